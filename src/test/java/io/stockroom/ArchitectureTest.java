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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Architecture rules that run with the build: packages by feature without cycles, every collection written only by the
 * package that owns it, and the tools kept out of the service.
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
   * A collection is named by exactly one type, its repository, in the package that owns it (SchemaManifest says which):
   * no other class holds its name among its string constants, so none can read, write or queue a write to it, whether it
   * spells the name or uses the repository's constant (javac copies a constant into every class that uses it, so the
   * class files tell who names which collection; the manifest, which declares them all, is the one exception).
   */
  @Test
  @DisplayName("every collection has one repository type, and no other class names it")
  void oneRepositoryPerCollection() throws IOException {
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
        if (!type.getPackageName().equals(owner)) violations.add(top + " names " + constant + ", owned by " + owner);
        else if (!namedBy.computeIfAbsent(constant, c -> new ArrayList<>()).contains(top)) namedBy.get(constant).add(top);
      }
    }
    namedBy.forEach((collection, types) -> {
      if (types.size() != 1) violations.add(collection + " is named by " + types + ": one repository type should own it");
    });
    assertEquals(ownerByCollection.keySet(), namedBy.keySet(), "every collection has its repository");
    assertEquals(List.of(), violations.stream().distinct().sorted().toList());
  }

  /**
   * Collection names are compile-time constants (javac inlines them, so bytecode cannot tell who names which), so this
   * rule reads the sources: every call of a write method (the Mongo client's writes, the unit-of-work steps) whose
   * first argument names a collection, by constant or literal, must sit in the package that declares that collection.
   */
  @Test
  @DisplayName("every collection is written only by the package that owns it")
  void collectionsWrittenByTheirOwner() throws IOException {
    Map<String, String> ownerByCollection = new HashMap<>();
    Map<String, String> collectionByConstant = new HashMap<>();
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path source : sources) {
      String text = Files.readString(source);
      Matcher constant = COLLECTION_CONSTANT.matcher(text);
      while (constant.find()) {
        String className = source.getFileName().toString().replace(".java", "");
        ownerByCollection.put(constant.group(2), packageOf(text));
        collectionByConstant.put(className + "." + constant.group(1), constant.group(2));
      }
    }
    List<String> violations = new ArrayList<>();
    for (Path source : sources) {
      String text = Files.readString(source);
      String pkg = packageOf(text);
      String className = source.getFileName().toString().replace(".java", "");
      Matcher write = WRITE_CALL.matcher(text);
      while (write.find()) {
        String argument = write.group(2);
        String collection = argument.startsWith("\"") ? argument.substring(1, argument.length() - 1)
          : collectionByConstant.get(argument.contains(".") ? argument : className + "." + argument);
        String owner = collection == null ? null : ownerByCollection.get(collection);
        if (owner != null && !owner.equals(pkg)) {
          violations.add(source + ": " + write.group(1) + "(" + argument + ") writes " + collection + ", owned by " + owner);
        }
      }
    }
    assertTrue(ownerByCollection.containsKey("variants") && ownerByCollection.containsKey("stock_movements"),
      "collection constants found: " + ownerByCollection);
    assertEquals(List.of(), violations);
  }

  private static final Pattern COLLECTION_CONSTANT =
    Pattern.compile("static final String (COLLECTION|TOTALS|DAYS|STATE|ADJUSTMENTS) = \"([a-z_]+)\";");
  private static final Pattern WRITE_CALL = Pattern.compile("\\.(insert|insertWithOptions|save|saveWithOptions|updateCollection"
    + "|updateCollectionWithOptions|removeDocuments?|removeDocumentsWithOptions|removeDocumentWithOptions|findOneAndUpdate"
    + "|findOneAndUpdateWithOptions|findOneAndReplace\\w*|findOneAndDelete\\w*|bulkWrite\\w*|replaceDocuments\\w*|compareAndSet"
    + "|delete|updateShared)\\(\\s*((?:[A-Z]\\w*\\.)?[A-Z_]{4,}|\"[a-z_]+\")");

  private static String packageOf(String source) {
    Matcher m = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(source);
    return m.find() ? m.group(1) : "";
  }
}
