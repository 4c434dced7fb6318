package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.ContractDocument;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An import row and a request body are one validation. The cases come from the contract itself: every property of
 * {@code VariantCreate} in openapi.yaml gets values at and just past each bound its schema declares (type, length,
 * pattern, range, property count, property names), is left out when required, and an undeclared property is added.
 * Each case is sent as {@code POST /products/{id}/variants} and as a JSON line of one import: both accept it or both
 * refuse it, with the same message, the import naming the field.
 */
class ImportParityTest {
  private static final String PRODUCT = "Parity";
  /** The import's names for the contract's properties where they differ (a row's stock is the opening stock). */
  private static final Map<String, String> IMPORT_FIELD = Map.of("openingStock", "stock");
  private static final String UNDECLARED = "undeclared";

  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;
  private final ContractDocument contract = ContractDocument.load();
  private final AtomicInteger skus = new AtomicInteger();

  /** One body to try: what it changes in a valid base, and whether the contract allows it by construction. */
  private record Case(String property, String what, JsonObject body, boolean valid) {
    @Override
    public String toString() {
      return property + " " + what + " " + body.encode();
    }
  }

  @Test
  @DisplayName("every bound of the contract's variant schema is enforced alike by the API and by the import, with the same message")
  void importAndApiRefuseTheSameVariants() throws Exception {
    Session owner = api.signup("Parity Co");
    String product = api.createProduct(owner, PRODUCT);
    List<Case> cases = cases(contract.schema("VariantCreate"));
    assertTrue(cases.size() >= 30 && cases.stream().anyMatch(Case::valid) && cases.stream().anyMatch(c -> !c.valid()), cases::toString);

    List<Res> answers = Future.all(cases.stream().map(c -> api.send(HttpMethod.POST, "/api/v1/products/" + product + "/variants",
      owner.token(), c.body())).toList()).await().list();
    StringBuilder lines = new StringBuilder();
    for (Case c : cases) lines.append(importLine(c).encode()).append('\n');
    Res started = api.send(HttpMethod.POST, "/api/v1/imports", owner.token(), new Api.Upload("application/x-ndjson", lines.toString())).await();
    assertEquals(202, started.status(), started::toString);
    JsonObject job = finished(owner, started.id());
    Map<Integer, JsonObject> importErrors = new HashMap<>();
    job.getJsonArray("errors").forEach(e -> importErrors.put(((JsonObject) e).getInteger("row"), (JsonObject) e));

    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Res answer = answers.get(i);
      JsonObject imported = importErrors.get(i + 1);
      boolean apiAccepted = answer.status() == 201;
      if (answer.status() != 201 && answer.status() != 400) disagreements.add(c + ": the API answered " + answer);
      if (apiAccepted != c.valid()) disagreements.add(c + ": the API " + (apiAccepted ? "accepted" : "refused") + " it: " + answer);
      if (apiAccepted != (imported == null)) {
        disagreements.add(c + ": the API " + (apiAccepted ? "accepted" : "refused") + ", the import " + (imported == null ? "applied it" : "refused it: " + imported));
      } else if (imported != null && c.property().equals(UNDECLARED)) {
        // the API's message for it is the oneOf's (it names the matrix branch): only the import's field is compared
        if (!UNDECLARED.equals(imported.getString("field"))) disagreements.add(c + ": the import said " + imported);
      } else if (imported != null) {
        String field = IMPORT_FIELD.getOrDefault(c.property(), c.property());
        String message = answer.json().getJsonArray("errors").getJsonObject(0).getString("message");
        if (!String.valueOf(imported.getString("field")).startsWith(field) || !imported.getString("message").equals(message)) {
          disagreements.add(c + ": the API said " + message + ", the import " + imported);
        }
      }
    }
    assertEquals(List.of(), disagreements);
    long valid = cases.stream().filter(Case::valid).count();
    assertEquals(valid, job.getLong("applied"), job::encode);
    // every accepted case was created twice (API and import, under two SKUs); the ledger holds for both
    assertEquals(2 * valid, api.get("/api/v1/variants?limit=200", owner.token()).items().size());
    Invariants.assertHold(api, stack.mongo, owner);
  }

  /** The import's line for a case: the same values, under the import's names, with the product by name. */
  private JsonObject importLine(Case c) {
    JsonObject line = new JsonObject().put("product", PRODUCT);
    c.body().forEach(e -> line.put(IMPORT_FIELD.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
    // the API's variant of a valid case exists by now: the import's must be a new SKU, and just as valid
    if (c.valid()) line.put("sku", importSku(c.body().getString("sku")));
    return line;
  }

  private static String importSku(String sku) {
    return sku.length() < 64 ? "I" + sku : "I" + sku.substring(1);
  }

  private List<Case> cases(JsonObject schema) {
    List<Case> cases = new ArrayList<>();
    JsonObject properties = schema.getJsonObject("properties");
    List<Object> required = schema.getJsonArray("required", new JsonArray()).getList();
    cases.add(new Case("", "as it is", base(), true));
    for (String property : properties.fieldNames()) {
      JsonObject propertySchema = contract.resolve(properties.getJsonObject(property));
      for (Map.Entry<String, Map.Entry<Object, Boolean>> value : values(propertySchema).entrySet()) {
        JsonObject body = base().put(property, value.getValue().getKey());
        cases.add(new Case(property, value.getKey(), body, value.getValue().getValue()));
      }
      if (required.contains(property)) {
        JsonObject body = base();
        body.remove(property);
        cases.add(new Case(property, "left out", body, false));
      }
    }
    cases.add(new Case(UNDECLARED, "added", base().put(UNDECLARED, 1), false));
    return cases;
  }

  /** A valid body: a SKU of its own and the required price. */
  private JsonObject base() {
    return new JsonObject().put("sku", "P-" + skus.incrementAndGet()).put("price", 100);
  }

  /** Values at and just past each bound of a property's schema, each with whether the schema allows it. */
  private Map<String, Map.Entry<Object, Boolean>> values(JsonObject schema) {
    Map<String, Map.Entry<Object, Boolean>> values = new java.util.LinkedHashMap<>();
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
        JsonObject valueSchema = contract.resolve(schema.getJsonObject("additionalProperties", new JsonObject()));
        Map<String, Map.Entry<Object, Boolean>> attributeValues = new java.util.LinkedHashMap<>();
        strings(valueSchema, attributeValues);
        attributeValues.forEach((what, value) -> values.put("an entry " + what, Map.entry(new JsonObject().put("size", value.getKey()),
          value.getValue())));
        values.put("an entry of a number", Map.entry(new JsonObject().put("size", 5), false));
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
    values.put("a number", Map.entry(12, false));
    int min = schema.getInteger("minLength", 0);
    int max = schema.getInteger("maxLength", 1_000);
    values.put("of its least length", Map.entry(text(min), min > 0 || pattern == null));
    if (min > 0) values.put("shorter than its least length", Map.entry(text(min - 1), false));
    values.put("of its greatest length", Map.entry(text(max), true));
    values.put("longer than its greatest length", Map.entry(text(max + 1), false));
    if (pattern != null) {
      for (String odd : List.of(" lead", "-lead", "in side", "ünï", "$x", "a/b.c_d-e")) {
        values.put("'" + odd + "'", Map.entry(odd, pattern.matcher(odd).find() && odd.length() >= min && odd.length() <= max));
      }
    }
  }

  /** Text of this length that is new each time (a valid SKU, when a SKU is what is being tried). */
  private String text(int length) {
    String unique = "T" + skus.incrementAndGet();
    return length <= unique.length() ? unique.substring(0, length) : unique + "x".repeat(length - unique.length());
  }

  private static JsonObject entries(int count) {
    JsonObject entries = new JsonObject();
    for (int i = 0; i < count; i++) entries.put("a" + i, "v");
    return entries;
  }

  /** Waits for the job to end: a bound on liveness, not a speed target. */
  private JsonObject finished(Session s, String importId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject job = api.get("/api/v1/imports/" + importId, s.token()).json();
      if (!"RUNNING".equals(job.getString("status"))) return job;
      Thread.sleep(200);
    }
    throw new AssertionError("import " + importId + " still running");
  }
}
