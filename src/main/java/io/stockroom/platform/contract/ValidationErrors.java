package io.stockroom.platform.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.JsonSchema;
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
 *
 * <p>Two of the validator's messages say nothing a client can act on, so the contract words them where it knows
 * better: a {@code not} failure ("Instance matched "not" schema") takes the enclosing schema's {@code x-not-message},
 * else its {@code description}; a property the schema does not declare takes its entry in the object schema's
 * {@code x-refused-properties} (why it is refused and what to send instead), when there is one.
 */
public final class ValidationErrors {
  private static final String ADDITIONAL = "additionalProperties";
  private static final String NOT = "not";
  private static final String X_NOT_MESSAGE = "x-not-message";
  private static final String X_REFUSED = "x-refused-properties";
  private static final String DESCRIPTION = "description";
  private static final Pattern BRANCH = Pattern.compile("/(oneOf|anyOf)/(\\d+)");

  private ValidationErrors() {
  }

  private record Failure(String keywordLocation, String pointer, String message) {
  }

  public static JsonArray of(OutputUnit root) {
    return of(root, null, null);
  }

  /**
   * As {@link #of(OutputUnit)}, with the messages the contract gives ({@code schema}: the schema validated, in which
   * the failures' keyword locations point; {@code document}: the contract a {@code $ref} in it points into).
   */
  public static JsonArray of(OutputUnit root, Object schema, JsonObject document) {
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
      if (lastKeyword(failure).equals(NOT)) {
        real.add(new Failure(failure.keywordLocation(), failure.pointer(), notMessage(failure, schema, document)));
      } else if (!lastKeyword(failure).equals(ADDITIONAL)) {
        real.add(failure);
      } else if (checks.stream().noneMatch(other -> other != failure && within(other.pointer(), failure.pointer()))) {
        // nothing else checked this property: it is not one the schema declares
        real.add(new Failure(failure.keywordLocation(), failure.pointer(), refusedMessage(failure, schema, document)));
      }
    }
    Map<String, Integer> chosen = closestBranches(real);
    Set<JsonObject> errors = new LinkedHashSet<>();
    for (Failure failure : real) {
      if (inChosenBranches(failure, chosen)) errors.add(new JsonObject().put("pointer", failure.pointer()).put("message", failure.message()));
    }
    return new JsonArray(new ArrayList<>(errors));
  }

  private static String notMessage(Failure failure, Object schema, JsonObject document) {
    Object enclosing = resolve(schema, document, parentLocation(failure.keywordLocation()));
    String worded = text(enclosing, X_NOT_MESSAGE);
    if (worded == null) worded = text(enclosing, DESCRIPTION);
    return worded != null ? worded : failure.message();
  }

  private static String refusedMessage(Failure failure, Object schema, JsonObject document) {
    String property = name(failure.pointer());
    String refused = "Property \"" + property + "\" is not allowed";
    Object why = child(child(resolve(schema, document, parentLocation(failure.keywordLocation())), X_REFUSED), property);
    return why instanceof String text ? refused + ": " + text : refused;
  }

  private static String parentLocation(String keywordLocation) {
    return keywordLocation.substring(0, Math.max(0, keywordLocation.lastIndexOf('/')));
  }

  /** The schema at a keyword location ({@code #/properties/quantity}), following {@code $ref}s into the document. */
  private static Object resolve(Object schema, JsonObject document, String keywordLocation) {
    Object node = schema;
    String path = keywordLocation.startsWith("#") ? keywordLocation.substring(1) : keywordLocation;
    for (String token : path.split("/")) {
      if (node == null) return null;
      if (token.isEmpty()) continue;
      String key = token.replace("~1", "/").replace("~0", "~");
      node = key.equals("$ref") ? referenced(child(node, key), document) : child(node, key);
    }
    return node;
  }

  private static Object referenced(Object ref, JsonObject document) {
    if (!(ref instanceof String uri) || document == null || uri.indexOf('#') < 0) return null;
    return JsonPointer.from(uri.substring(uri.indexOf('#') + 1)).queryJson(document);
  }

  private static Object child(Object node, String key) {
    if (node instanceof JsonSchema schema) return schema.get(key);
    if (node instanceof JsonObject object) return object.getValue(key);
    if (node instanceof Map<?, ?> map) return map.get(key);
    if (node instanceof JsonArray array && key.chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(key);
      return index < array.size() ? array.getValue(index) : null;
    }
    return null;
  }

  private static String text(Object node, String key) {
    return child(node, key) instanceof String text && !text.isBlank() ? text : null;
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
