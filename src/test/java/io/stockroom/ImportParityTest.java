package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.ContractDocument;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An import row and a request body are one validation. The cases come from the contract itself: every property of
 * {@code VariantCreate}, a product's {@code name} and a location's {@code code} in openapi.yaml get values at and just
 * past each bound their schema declares (type, length, pattern, range, entry count, entry names), are left out when
 * required, and an undeclared property is added. Each case is sent to the API (create the variant, the product, the
 * location) and as a row of a JSON-lines import and, where CSV can say it, of a CSV import: all accept it or all refuse
 * it, with the API's message, the import naming the field the API points at.
 */
class ImportParityTest {
  private static final String PRODUCT = "Parity";
  private static final String UNDECLARED = "undeclared";
  /** The import's names for the variant schema's properties where they differ (a row's stock is the opening stock). */
  private static final Map<String, String> IMPORT_FIELD = Map.of("openingStock", "stock");
  private static final List<String> NUMBER_COLUMNS = List.of("price", "reorderLevel", "stock");
  private static final List<String> TEXT_COLUMNS = List.of("product", "sku", "location");
  private static final Pattern REQUIRED = Pattern.compile("required property \"(\\w+)\"");

  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;
  private final ContractDocument contract = ContractDocument.load();
  private final AtomicInteger unique = new AtomicInteger();

  /** What a case creates through the API; the import creates a variant either way. */
  enum Way { VARIANT, PRODUCT, LOCATION }

  /** One value to try: the API body carrying it, and whether the contract allows it by construction. */
  private record Case(Way way, String property, String what, JsonObject body, boolean valid) {
    @Override
    public String toString() {
      return way + " " + property + " " + what + " " + body.encode();
    }
  }

  @Test
  @DisplayName("every bound of the contract's variant, product name and location code is enforced alike by the API and by both import formats, with the same message")
  void importAndApiRefuseTheSameValues() throws Exception {
    Session owner = api.signup("Parity Co");
    String productId = api.createProduct(owner, PRODUCT);
    List<Case> cases = new ArrayList<>();
    JsonObject variant = contract.schema("VariantCreate");
    cases.add(new Case(Way.VARIANT, "", "as it is", variantBase(), true));
    for (String property : variant.getJsonObject("properties").fieldNames()) {
      values(variant, property).forEach((what, value) -> cases.add(new Case(Way.VARIANT, property, what,
        variantBase().put(property, value.getKey()), value.getValue())));
      if (variant.getJsonArray("required").contains(property)) {
        JsonObject body = variantBase();
        body.remove(property);
        cases.add(new Case(Way.VARIANT, property, "left out", body, false));
      }
    }
    cases.add(new Case(Way.VARIANT, UNDECLARED, "added", variantBase().put(UNDECLARED, 1), false));
    values(contract.schema("ProductCreate"), "name").forEach((what, value) -> cases.add(new Case(Way.PRODUCT, "name", what,
      new JsonObject().put("name", value.getKey()), value.getValue())));
    values(contract.schema("LocationCreate"), "code").forEach((what, value) -> cases.add(new Case(Way.LOCATION, "code", what,
      new JsonObject().put("name", "Somewhere").put("code", value.getKey()), value.getValue())));
    assertTrue(cases.size() >= 50 && cases.stream().filter(Case::valid).count() >= 10, cases::toString);

    // the API first: a row can name a location only once it exists
    List<Res> answers = Future.all(cases.stream().map(c -> api.send(HttpMethod.POST, path(c, productId), owner.token(), c.body()))
      .toList()).await().list();
    List<JsonObject> jsonLines = cases.stream().map(c -> importLine(c, "I")).toList();
    Map<Integer, Integer> csvRowOf = new HashMap<>();
    List<JsonObject> csvLines = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonObject line = importLine(cases.get(i), "C");
      if (csvCanSay(line)) {
        csvLines.add(line);
        csvRowOf.put(i, csvLines.size());
      }
    }
    assertTrue(csvLines.size() >= cases.size() / 2, "CSV can say most cases: " + csvLines.size() + " of " + cases.size());
    Map<Integer, JsonObject> jsonErrors = importErrors(owner, "application/x-ndjson", ndjson(jsonLines));
    Map<Integer, JsonObject> csvErrors = importErrors(owner, "text/csv", csv(csvLines));

    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Res answer = answers.get(i);
      boolean accepted = answer.status() == 201;
      if (accepted != c.valid() || !accepted && answer.status() != 400) disagreements.add(c + ": the API answered " + answer);
      JsonObject expected = accepted ? null : expectedRowError(c, answer.json());
      compare(c, "JSON lines", expected, jsonErrors.get(i + 1), disagreements);
      if (csvRowOf.containsKey(i)) compare(c, "CSV", expected, csvErrors.get(csvRowOf.get(i)), disagreements);
    }
    assertEquals(List.of(), disagreements);
    Invariants.assertHold(api, stack.mongo, owner);
  }

  private static String path(Case c, String productId) {
    return switch (c.way()) {
      case VARIANT -> "/api/v1/products/" + productId + "/variants";
      case PRODUCT -> "/api/v1/products";
      case LOCATION -> "/api/v1/locations";
    };
  }

  /** The row an import gets for a case: a variant of the product, with the value tried in its field. */
  private JsonObject importLine(Case c, String skuPrefix) {
    JsonObject line = new JsonObject().put("product", PRODUCT);
    switch (c.way()) {
      case VARIANT -> {
        c.body().forEach(e -> line.put(IMPORT_FIELD.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
        // the API made the variant of a valid case: the import's must be a new SKU, just as valid
        if (c.valid()) line.put("sku", skuPrefix + c.body().getString("sku").substring(1));
      }
      case PRODUCT -> line.put("product", c.body().getValue("name")).put("sku", skuPrefix + "P" + unique.incrementAndGet()).put("price", 100);
      case LOCATION -> line.put("location", c.body().getValue("code")).put("sku", skuPrefix + "L" + unique.incrementAndGet())
        .put("price", 100).put("stock", 1);
    }
    return line;
  }

  /** The error a row of this case must get: the API's first one, named as the import names the field. */
  private static JsonObject expectedRowError(Case c, JsonObject problem) {
    if (c.property().equals(UNDECLARED)) return new JsonObject().put("field", UNDECLARED); // the import's own message
    JsonObject first = problem.getJsonArray("errors").getJsonObject(0);
    String pointer = first.getString("pointer").replaceFirst("^#/?", "");
    Matcher required = REQUIRED.matcher(first.getString("message"));
    String property = pointer.isEmpty() && required.find() ? required.group(1) : pointer.replace('/', '.');
    String field = switch (c.way()) {
      case VARIANT -> IMPORT_FIELD.getOrDefault(property, property);
      case PRODUCT -> property.equals("name") ? "product" : property;
      case LOCATION -> property.equals("code") ? "location" : property;
    };
    return new JsonObject().put("field", field).put("message", first.getString("message"));
  }

  private static void compare(Case c, String format, JsonObject expected, JsonObject actual, List<String> disagreements) {
    if (expected == null && actual == null) return;
    if (expected == null || actual == null) {
      disagreements.add(c + ": the API " + (expected == null ? "accepted" : "refused") + " it, the " + format + " import "
        + (actual == null ? "applied it" : "refused it: " + actual));
      return;
    }
    boolean same = expected.getString("field").equals(actual.getString("field"))
      && (!expected.containsKey("message") || expected.getString("message").equals(actual.getString("message")));
    if (!same) disagreements.add(c + ": the API's error as a row's is " + expected + ", the " + format + " import said " + actual);
  }

  /** Whether a CSV cell can carry each value as it is: CSV cells are text, trimmed, and an empty one is no value. */
  private boolean csvCanSay(JsonObject line) {
    Pattern attributeName = Pattern.compile(contract.schema("Attributes").getJsonObject("propertyNames").getString("pattern"));
    for (Map.Entry<String, Object> field : line) {
      Object value = field.getValue();
      boolean sayable;
      if (NUMBER_COLUMNS.contains(field.getKey())) {
        sayable = value instanceof Number;
      } else if (TEXT_COLUMNS.contains(field.getKey())) {
        sayable = value instanceof String text && plain(text);
      } else if (field.getKey().equals("attributes")) {
        sayable = value instanceof JsonObject attributes && attributes.stream().allMatch(e -> attributeName.matcher(e.getKey()).find()
          && e.getValue() instanceof String text && plain(text));
      } else {
        sayable = false;
      }
      if (!sayable) return false;
    }
    return true;
  }

  private static boolean plain(String text) {
    return !text.isEmpty() && text.equals(text.strip());
  }

  private static String ndjson(List<JsonObject> lines) {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line.encode()).append('\n'));
    return text.toString();
  }

  private static String csv(List<JsonObject> lines) {
    Set<String> attributes = new LinkedHashSet<>();
    lines.forEach(line -> attributes.addAll(line.getJsonObject("attributes", new JsonObject()).fieldNames()));
    List<String> columns = new ArrayList<>(TEXT_COLUMNS);
    columns.addAll(NUMBER_COLUMNS);
    StringBuilder text = new StringBuilder(String.join(",", columns));
    attributes.forEach(name -> text.append(",attr.").append(name));
    text.append('\n');
    for (JsonObject line : lines) {
      List<String> cells = new ArrayList<>();
      columns.forEach(column -> cells.add(cell(line.getValue(column))));
      attributes.forEach(name -> cells.add(cell(line.getJsonObject("attributes", new JsonObject()).getValue(name))));
      text.append(String.join(",", cells)).append('\n');
    }
    return text.toString();
  }

  private static String cell(Object value) {
    return value == null ? "" : '"' + String.valueOf(value).replace("\"", "\"\"") + '"';
  }

  /** Runs one import to its end: its row errors by row number. */
  private Map<Integer, JsonObject> importErrors(Session owner, String contentType, String text) throws InterruptedException {
    Res started = api.send(HttpMethod.POST, "/api/v1/imports", owner.token(), new Api.Upload(contentType, text)).await();
    assertEquals(202, started.status(), started::toString);
    JsonObject job = Eventually.value(Duration.ofSeconds(60), Duration.ofMillis(200), () -> api.get("/api/v1/imports/" + started.id(), owner.token()).json(),
      polled -> !"RUNNING".equals(polled.getString("status")));
    assertEquals("COMPLETED", job.getString("status"), job.encode());
    Map<Integer, JsonObject> errors = new HashMap<>();
    job.getJsonArray("errors").forEach(e -> errors.put(((JsonObject) e).getInteger("row"), (JsonObject) e));
    assertEquals(errors.size(), job.getInteger("failed"), job::encode);
    return errors;
  }

  /** A valid variant: a SKU of its own and the required price. */
  private JsonObject variantBase() {
    return new JsonObject().put("sku", "P-" + unique.incrementAndGet()).put("price", 100);
  }

  /** Values at and just past each bound of one property's schema, each with whether the schema allows it. */
  private Map<String, Map.Entry<Object, Boolean>> values(JsonObject owner, String property) {
    JsonObject schema = contract.resolve(owner.getJsonObject("properties").getJsonObject(property));
    Map<String, Map.Entry<Object, Boolean>> values = new LinkedHashMap<>();
    switch (schema.getString("type")) {
      case "integer" -> {
        values.put("a text", Map.entry("12", false));
        values.put("a fraction", Map.entry(1.5, false));
        if (schema.getValue("minimum") instanceof Number min) {
          values.put("at its minimum", Map.entry(min.longValue(), true));
          values.put("below its minimum", Map.entry(min.longValue() - 1, false));
        }
        if (schema.getValue("maximum") instanceof Number max) {
          values.put("at its maximum", Map.entry(max.longValue(), true));
          values.put("above its maximum", Map.entry(max.longValue() + 1, false));
        }
      }
      case "string" -> strings(schema, values);
      case "object" -> {
        values.put("a text", Map.entry("x", false));
        Map<String, Map.Entry<Object, Boolean>> entryValues = new LinkedHashMap<>();
        strings(contract.resolve(schema.getJsonObject("additionalProperties", new JsonObject())), entryValues);
        entryValues.forEach((what, value) -> values.put("an entry " + what, Map.entry(new JsonObject().put("size", value.getKey()),
          value.getValue())));
        if (schema.getValue("maxProperties") instanceof Number max) {
          values.put("at its most entries", Map.entry(entries(max.intValue()), true));
          values.put("past its most entries", Map.entry(entries(max.intValue() + 1), false));
        }
        String namePattern = schema.getJsonObject("propertyNames", new JsonObject()).getString("pattern");
        if (namePattern != null) {
          for (String name : List.of("1st", "with-dash", "x".repeat(33), "ok_name")) {
            values.put("an entry named " + name, Map.entry(new JsonObject().put(name, "x"), Pattern.compile(namePattern).matcher(name).find()));
          }
        }
      }
      default -> throw new AssertionError("no cases for a property of type " + schema.getString("type") + "; add them here");
    }
    return values;
  }

  private void strings(JsonObject schema, Map<String, Map.Entry<Object, Boolean>> values) {
    Pattern pattern = schema.containsKey("pattern") ? Pattern.compile(schema.getString("pattern")) : null;
    int min = schema.getInteger("minLength", 0);
    int max = schema.getInteger("maxLength", 1_000);
    values.put("a number", Map.entry(12, false));
    values.put("of its least length", Map.entry(text(min), min > 0 || pattern == null));
    if (min > 0) values.put("shorter than its least length", Map.entry(text(min - 1), false));
    values.put("of its greatest length", Map.entry(text(max), true));
    values.put("longer than its greatest length", Map.entry(text(max + 1), false));
    if (pattern != null) {
      for (String odd : List.of(" lead", "  ", "-lead", "in side", "ünï", "$x", "a/b.c_d-e")) {
        values.put("'" + odd + "'", Map.entry(odd, pattern.matcher(odd).find() && odd.length() >= min && odd.length() <= max));
      }
    }
  }

  /** Text of this length, new each time where the length allows (a valid SKU or code when that is what is tried). */
  private String text(int length) {
    String fresh = "T" + unique.incrementAndGet();
    return length <= fresh.length() ? fresh.substring(0, length) : fresh + "x".repeat(length - fresh.length());
  }

  private static JsonObject entries(int count) {
    JsonObject entries = new JsonObject();
    for (int i = 0; i < count; i++) entries.put("a" + i, "v");
    return entries;
  }
}
