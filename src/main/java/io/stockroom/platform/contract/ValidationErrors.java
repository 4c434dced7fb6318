package io.stockroom.platform.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a schema validation found, as a client can act on it: one entry per failed check ({@code pointer} into the
 * request, {@code message}). The validator's output also holds entries that only say a part failed ("A subschema had
 * errors", "Property x does not match schema", "Items did not match schema": a deeper entry says what), and it reports
 * a declared property that failed its own checks once more as an additional property; those are left out. Of the branches of a {@code oneOf}
 * or {@code anyOf}, only the one closest to the request (fewest failed checks, the first on a tie) is reported.
 */
public final class ValidationErrors {
  private static final String ADDITIONAL = "additionalProperties";
  private static final Pattern BRANCH = Pattern.compile("/(oneOf|anyOf)/(\\d+)");

  private ValidationErrors() {
  }

  private record Failure(String keywordLocation, String pointer, String message) {
  }

  public static JsonArray of(OutputUnit root) {
    List<Failure> all = new ArrayList<>();
    flatten(root, all);
    // a failure that a deeper one explains ("A subschema had errors" at a $ref, "Items did not match schema") says nothing more
    Set<String> explained = new HashSet<>();
    for (Failure failure : all) {
      String location = failure.keywordLocation();
      for (int slash = location.indexOf('/'); slash >= 0; slash = location.indexOf('/', slash + 1)) explained.add(location.substring(0, slash));
    }
    List<Failure> checks = all.stream().filter(f -> !explained.contains(f.keywordLocation())).toList();
    List<Failure> real = new ArrayList<>();
    for (Failure failure : checks) {
      if (!lastKeyword(failure).equals(ADDITIONAL)) {
        real.add(failure);
      } else if (checks.stream().noneMatch(other -> other != failure && within(other.pointer(), failure.pointer()))) {
        // nothing else checked this property: it is not one the schema declares
        real.add(new Failure(failure.keywordLocation(), failure.pointer(), "Property \"" + name(failure.pointer()) + "\" is not allowed"));
      }
    }
    Map<String, Integer> chosen = closestBranches(real);
    Set<JsonObject> errors = new LinkedHashSet<>();
    for (Failure failure : real) {
      if (inChosenBranches(failure, chosen)) errors.add(new JsonObject().put("pointer", failure.pointer()).put("message", failure.message()));
    }
    return new JsonArray(new ArrayList<>(errors));
  }

  private static boolean within(String pointer, String ancestor) {
    return pointer.equals(ancestor) || pointer.startsWith(ancestor + "/");
  }

  /** The last reference token of a JSON pointer, unescaped. */
  private static String name(String pointer) {
    return pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
  }

  private static void flatten(OutputUnit unit, List<Failure> into) {
    if (unit.getError() != null) {
      into.add(new Failure(unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation(),
        unit.getInstanceLocation() == null ? "#" : unit.getInstanceLocation(), unit.getError()));
    }
    if (unit.getErrors() != null) unit.getErrors().forEach(child -> flatten(child, into));
  }

  private static String lastKeyword(Failure failure) {
    String location = failure.keywordLocation();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** For each oneOf/anyOf (by its keyword location), the branch with the fewest failed checks. */
  private static Map<String, Integer> closestBranches(List<Failure> failures) {
    Map<String, Map<Integer, Integer>> counts = new HashMap<>();
    for (Failure failure : failures) {
      Matcher branch = BRANCH.matcher(failure.keywordLocation());
      while (branch.find()) {
        String at = failure.keywordLocation().substring(0, branch.start(2));
        counts.computeIfAbsent(at, k -> new HashMap<>()).merge(Integer.parseInt(branch.group(2)), 1, Integer::sum);
      }
    }
    Map<String, Integer> chosen = new HashMap<>();
    counts.forEach((at, byBranch) -> chosen.put(at, byBranch.entrySet().stream()
      .min(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey()));
    return chosen;
  }

  private static boolean inChosenBranches(Failure failure, Map<String, Integer> chosen) {
    Matcher branch = BRANCH.matcher(failure.keywordLocation());
    while (branch.find()) {
      String at = failure.keywordLocation().substring(0, branch.start(2));
      if (chosen.get(at) != Integer.parseInt(branch.group(2))) return false; // present: counted from the same failures
    }
    return true;
  }
}
