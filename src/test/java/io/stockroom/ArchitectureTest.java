package io.stockroom;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.schema.CollectionSpec;
import io.stockroom.support.ClassConstants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Architecture rules that run with the build: packages by feature without cycles, every collection named (read or
 * written) by its one repository type in the package that owns it, use cases that take commands, and the tools kept out
 * of the service. The rules read compiled classes (ArchUnit, and the class files' constant pools), never source text.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
    .importPackages("io.stockroom");

  @Test
  @DisplayName("feature packages depend on each other without cycles")
  void noFeatureCycles() {
    slices().matching("io.stockroom.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  @DisplayName("the platform's packages depend on each other without cycles, and never on a feature")
  void noPlatformCycles() {
    slices().matching("io.stockroom.platform.(*)..").should().beFreeOfCycles().check(MAIN);
    List<String> features = features();
    assertTrue(features.containsAll(List.of("io.stockroom.api..", "io.stockroom.location..", "io.stockroom.webhook..",
      "io.stockroom.bulk..", "io.stockroom.transfer..")), "features read from the layout: " + features);
    noClasses().that().resideInAPackage("io.stockroom.platform..")
      .should().dependOnClassesThat().resideInAnyPackage(features.toArray(String[]::new))
      .check(MAIN);
  }

  /**
   * Use cases take commands and plain values, never the bus envelope: a verticle's consumer parses a request once (a
   * command's static {@code from}), and any use case can be called from inside the service. Outside the HTTP edge, only
   * verticles and those factories name {@code BusRequest}.
   */
  @Test
  @DisplayName("no use case takes the bus envelope: only verticles and the commands' factories read it")
  void useCasesTakeCommands() {
    String[] features = features().stream().filter(name -> !name.equals("io.stockroom.api..")).toArray(String[]::new);
    noMethods().that().areDeclaredInClassesThat().resideInAnyPackage(features)
      .and().areDeclaredInClassesThat().haveSimpleNameNotEndingWith("Verticle")
      .and().doNotHaveModifier(JavaModifier.STATIC)
      .should().haveRawParameterTypes(A_BUS_REQUEST)
      .check(MAIN);
  }

  private static final DescribedPredicate<List<JavaClass>> A_BUS_REQUEST = DescribedPredicate.describe("a BusRequest among them",
    (List<JavaClass> types) -> types.stream().anyMatch(type -> type.isEquivalentTo(BusRequest.class)));

  /** Every top-level package but the platform (and the root's own classes): one per feature, the HTTP edge included. */
  private static List<String> features() {
    return MAIN.stream().map(JavaClass::getPackageName).filter(name -> name.startsWith("io.stockroom."))
      .map(name -> "io.stockroom." + name.split("\\.")[2] + "..").filter(name -> !name.equals("io.stockroom.platform.."))
      .distinct().sorted().toList();
  }

  /**
   * The benchmark, seeding and build tools (src/tools/java) are compiled apart and kept out of the runtime jar: the
   * service's classes (target/classes, what the jar is shaded from) hold none of them and never depend on them.
   */
  @Test
  @DisplayName("the service never holds or depends on the tools")
  void toolsOutsideTheService() {
    assertTrue(MAIN.containPackage("io.stockroom") && !MAIN.containPackage("io.stockroom.tools"),
      "io.stockroom.tools is compiled from src/tools/java, never into target/classes");
    noClasses().that().resideOutsideOfPackage("io.stockroom.tools..")
      .should().dependOnClassesThat().resideInAPackage("io.stockroom.tools..")
      .check(MAIN);
  }

  /**
   * Strings that equal a collection's name but name no collection: stored fields and wire values that cannot be renamed.
   * By class name prefix (a class's nested classes included); nothing broader.
   */
  private static final Map<String, Set<String>> NOT_COLLECTIONS = Map.of(
    // Transfer and TransferRepository: a transfer document's list of arrivals (receipts: [...]), stored and on the wire
    "io.stockroom.transfer.Transfer", Set.of("receipts"),
    // the variants export's file name on the wire (variants.csv, variants.ndjson)
    "io.stockroom.bulk.ExportService", Set.of("variants"),
    // the audit's 503 names the read that did not finish ("could not read the variants in time")
    "io.stockroom.inventory.InventoryService", Set.of("variants"),
    // the projection check's report names the differing document by its collection (management port)
    "io.stockroom.dashboard.ProjectionCheck", Set.of("dashboard_totals", "dashboard_days"));

  /**
   * A collection is named by exactly one type, its repository, in the package that owns it (SchemaManifest says which):
   * no other class holds its name among its string constants, so none can read, write or queue a write to it, whether it
   * spells the name or uses the repository's constant (javac copies a constant into every class that uses it, so the
   * class files tell who names which collection; the manifest, which declares them all, is the one exception). A
   * string that equals a collection's name but names none (a stored field, a wire value) is listed in {@link #NOT_COLLECTIONS}.
   */
  @Test
  @DisplayName("every collection has one repository type, and no other class names it")
  void oneRepositoryPerCollection() {
    Map<String, String> ownerByCollection = new HashMap<>();
    for (CollectionSpec spec : SchemaManifest.collections()) ownerByCollection.put(spec.name(), "io.stockroom." + spec.owner());
    Map<String, List<String>> namedBy = new java.util.TreeMap<>();
    List<String> violations = new ArrayList<>();
    for (JavaClass type : MAIN) {
      if (type.isEquivalentTo(SchemaManifest.class)) continue;
      for (String constant : ClassConstants.strings(type)) {
        String owner = ownerByCollection.get(constant);
        if (owner == null) continue;
        String top = type.getName().replaceAll("\\$.*", "");
        if (NOT_COLLECTIONS.entrySet().stream().anyMatch(a -> top.startsWith(a.getKey()) && a.getValue().contains(constant))) continue;
        if (!type.getPackageName().equals(owner)) violations.add(top + " names " + constant + ", owned by " + owner + ": call its repository");
        else if (!namedBy.computeIfAbsent(constant, c -> new ArrayList<>()).contains(top)) namedBy.get(constant).add(top);
      }
    }
    namedBy.forEach((collection, types) -> {
      if (types.size() != 1) violations.add(collection + " is named by " + types + ": one repository type should own it");
    });
    assertEquals(ownerByCollection.keySet(), namedBy.keySet(), "every collection has its repository");
    assertEquals(List.of(), violations.stream().distinct().sorted().toList(),
      "collections named outside their repository (a string that names no collection goes in NOT_COLLECTIONS, with why)");
  }
}
