package io.stockroom;

import io.stockroom.api.ContractLoader;
import io.stockroom.platform.contract.OpenApiDocument;
import io.stockroom.support.Api;
import io.stockroom.support.ContractAnswers;
import io.stockroom.support.ContractDocument;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Contract fuzzing: requests for every operation of {@code openapi.yaml}, generated from its schemas (valid ones, and
 * ones with a wrong type, a missing or extra field, a boundary or huge number, a long or odd string, an operator-like
 * key, deep nesting, a body of the wrong kind, a bad path id or query value, or no valid token). Whatever the request:
 * no 5xx; every 4xx is problem+json and changes nothing; every 2xx body is valid against the contract's response schema.
 * The tenant's invariants hold at the end.
 */
class ContractFuzzTest {
  private static final List<String> SKIPPED = List.of("getOpenApiDocument", "getLiveness", "getReadiness");
  private static Fixture fixture;
  private static final Map<Integer, Integer> STATUSES = new java.util.concurrent.ConcurrentHashMap<>();

  enum Mutation { NONE, WRONG_TYPE, MISSING_REQUIRED, EXTRA_FIELD, OPERATOR_KEY, HUGE_NUMBER, LONG_STRING, ODD_STRING, DEEP_NESTING,
    WRONG_BODY, BAD_PATH_ID, BAD_QUERY, NO_TOKEN }

  record Case(ContractDocument.Operation op, Mutation mutation, long seed) {
    @Override
    public String toString() {
      return op.operationId() + " " + mutation + " seed=" + seed;
    }
  }

  /** The contract, a tenant with one of everything to point ids at, and the validator of answers. */
  private static final class Fixture {
    final TestStack stack = TestStack.get();
    final Api api = stack.api;
    final Session owner = api.signup("Fuzz Co");
    final ContractDocument contract = ContractDocument.load();
    final List<ContractDocument.Operation> ops = new ArrayList<>();
    final Map<String, List<String>> ids = new HashMap<>();
    final ResponseValidator validator;

    Fixture() throws IOException {
      OpenAPIContract parsed = ContractLoader.load(stack.vertx, OpenApiDocument.read(stack.vertx, OpenApiDocument.PATH)).await();
      validator = ResponseValidator.create(stack.vertx, parsed);
      for (ContractDocument.Operation op : contract.operations()) {
        if (!SKIPPED.contains(op.operationId())) ops.add(op);
      }
      String product = api.createProduct(owner, "Fuzzed");
      String variant = api.createVariant(owner, product, "FUZZ-1", 1000, 50).getString("id");
      String supplier = api.createSupplier(owner, "Fuzz Supplies");
      String location = api.createLocation(owner, "FUZZLOC");
      ids.put("productId", List.of(product));
      ids.put("variantId", List.of(variant));
      ids.put("supplierId", List.of(supplier));
      ids.put("locationId", List.of(location, owner.tenantId()));
      ids.put("userId", List.of(owner.userId(), api.addUser(owner, "STAFF").userId()));
      ids.put("purchaseOrderId", List.of(api.createPurchaseOrder(owner, supplier, variant, 5, 100)));
      ids.put("orderId", List.of(api.placeOrder(owner, Api.order(variant, 1)).id()));
      Res reservation = api.post("/api/v1/reservations", owner.token(), new JsonObject().put("items", new JsonArray()
        .add(new JsonObject().put("variantId", variant).put("quantity", 1))).put("ttlSeconds", 600));
      ids.put("reservationId", List.of(reservation.id()));
      Res webhook = api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", "https://hooks.example.com/fuzz")
        .put("events", new JsonArray().add("stock.changed")));
      ids.put("webhookId", List.of(webhook.id()));
      api.placeOrder(owner, Api.order(variant, 1));
      ids.put("fromLocationId", List.of(owner.tenantId()));
      ids.put("toLocationId", List.of(location));
      ids.put("transferId", List.of(api.post("/api/v1/transfers", owner.token(), new JsonObject().put("fromLocationId", owner.tenantId())
        .put("toLocationId", location).put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", 1))))
        .id()));
      ids.put("importId", List.of(api.send(HttpMethod.POST, "/api/v1/imports", owner.token(), new Api.Upload("application/x-ndjson",
        "{\"product\": \"Fuzzed\", \"sku\": \"FUZZ-2\", \"price\": 100}\n")).await().id()));
      Session staff = api.addUser(owner, "STAFF");
      ids.put("refreshToken", List.of(api.post("/api/v1/auth/login", null, new JsonObject().put("email", staff.email())
        .put("password", staff.password())).json().getString("refreshToken")));
      ids.put("deliveryId", List.of(firstDelivery(webhook.id())));
      ids.values().forEach(values -> assertTrue(values.stream().allMatch(java.util.Objects::nonNull), "fixture ids: " + ids));
    }

    /** The delivery of the order placed after the endpoint was created, once the ledger follower made it. */
    private String firstDelivery(String webhookId) {
      JsonArray items = Eventually.value(Duration.ofSeconds(20), Duration.ofMillis(100),
        () -> api.get("/api/v1/webhooks/" + webhookId + "/deliveries", owner.token()).items(), polled -> !polled.isEmpty());
      if (!items.isEmpty()) return items.getJsonObject(0).getString("id");
      throw new AssertionError("no webhook delivery within 20 s");
    }
  }

  private static synchronized Fixture fixture() throws IOException {
    if (fixture == null) fixture = new Fixture();
    return fixture;
  }

  @Example
  void everyOperationWithEveryKindOfInput() throws IOException {
    Fixture f = fixture();
    Random random = new Random(7);
    for (ContractDocument.Operation op : f.ops) {
      for (Mutation mutation : new Mutation[] {Mutation.NONE, Mutation.values()[1 + random.nextInt(Mutation.values().length - 1)]}) {
        check(new Case(op, mutation, random.nextLong()));
      }
    }
    Invariants.assertHold(f.api, f.stack.mongo, f.owner);
    System.out.println("Contract fuzzing answers by status: " + new java.util.TreeMap<>(STATUSES));
    assertTrue(STATUSES.keySet().stream().filter(s -> s < 300).count() >= 3, "valid requests succeed too: " + STATUSES);
  }

  @Property(tries = 150)
  void randomRequestsNeverBreakTheContract(@ForAll("cases") Case fuzzCase) throws IOException {
    check(fuzzCase);
  }

  @Provide
  Arbitrary<Case> cases() throws IOException {
    List<ContractDocument.Operation> ops = fixture().ops;
    return Arbitraries.randomValue(random -> new Case(ops.get(random.nextInt(ops.size())),
      Mutation.values()[random.nextInt(Mutation.values().length)], random.nextLong()));
  }

  private static void check(Case fuzzCase) throws IOException {
    Fixture f = fixture();
    Random random = new Random(fuzzCase.seed());
    Generator generate = new Generator(f, random);
    ContractDocument.Operation op = fuzzCase.op();
    HttpMethod method = HttpMethod.valueOf(op.method().toUpperCase());
    Mutation mutation = fuzzCase.mutation();

    String path = op.path();
    StringBuilder query = new StringBuilder();
    for (Object p : op.parameters()) {
      JsonObject parameter = generate.resolve((JsonObject) p);
      String name = parameter.getString("name");
      Object value = generate.value(name, parameter.getJsonObject("schema", new JsonObject()), 0);
      String text = String.valueOf(value instanceof JsonArray array && !array.isEmpty() ? array.getValue(0) : value);
      if ("path".equals(parameter.getString("in"))) {
        if (mutation == Mutation.BAD_PATH_ID) text = generate.pick(List.of(new ObjectId().toHexString(), "..", "x".repeat(300), "%00", "{\"$ne\":1}"));
        path = path.replace("{" + name + "}", URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%25", "%"));
      } else if ("query".equals(parameter.getString("in")) && (parameter.getBoolean("required", false) || random.nextBoolean())) {
        if (mutation == Mutation.BAD_QUERY) text = generate.pick(List.of("-1", "99999999999999999999", "abc", "", "$where", "1e999"));
        query.append(query.length() == 0 ? '?' : '&').append(name).append('=').append(URLEncoder.encode(text, StandardCharsets.UTF_8));
      }
    }
    Object body = op.jsonBodySchema() == null ? null : generate.value(null, op.jsonBodySchema(), 0);
    body = generate.mutate(body, op.jsonBodySchema(), mutation);

    String before = snapshot(f);
    HttpRequest<Buffer> request = f.stack.client.request(method, path + query);
    if (mutation != Mutation.NO_TOKEN) request.putHeader("Authorization", "Bearer " + f.owner.token());
    HttpResponse<Buffer> answer = body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body instanceof String raw ? raw
        : body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : String.valueOf(body))).await();
    int status = answer.statusCode();
    STATUSES.merge(status, 1, Integer::sum);
    String described = fuzzCase + " " + method + " " + path + query + " body=" + abbreviate(body) + " -> " + status + " "
      + abbreviate(answer.bodyAsString());

    if (status >= 500) fail("5xx: " + described);
    if (status >= 400) {
      assertEquals("application/problem+json", answer.getHeader("Content-Type"), described);
      JsonObject problem = answer.bodyAsJsonObject();
      assertEquals(status, problem.getInteger("status"), described);
      assertTrue(problem.getString("type").startsWith("urn:stockroom:problem:"), described);
      assertEquals(before, snapshot(f), "a " + status + " changed state: " + described);
    } else {
      String contentType = answer.getHeader("Content-Type");
      if (contentType == null || contentType.startsWith("application/json")) {
        MultiMap headers = answer.headers();
        Map<String, String> flat = new HashMap<>();
        headers.forEach(h -> flat.put(h.getKey(), h.getValue()));
        try {
          f.validator.validate(ValidatableResponse.create(status, flat, answer.body(), contentType), op.operationId()).await();
        } catch (RuntimeException invalid) {
          fail("2xx answer does not match the contract (" + invalid.getMessage() + "): " + described);
        }
        ContractAnswers.checked(method, path + query, Res.of(answer));
      }
    }
  }

  /** Everything the tenant owns, for before/after comparison (the stock collections and the admin ones). */
  private static String snapshot(Fixture f) {
    // Not the movements: the stand-in scans a collection for every query, and late in the suite it holds the other
    // tests' hundreds of thousands. A movement never comes without its variant's change, and the invariant check at
    // the end finds any other.
    List<String> collections = Invariants.SNAPSHOT_COLLECTIONS.stream().filter(c -> !c.equals("stock_movements")).toList();
    StringBuilder out = new StringBuilder(Invariants.snapshot(f.stack, f.owner.tenantId(), collections));
    for (String collection : List.of("users", "webhooks", "import_jobs", "allocation_rules")) {
      out.append(collection).append('=').append(f.stack.mongo.find(collection, new JsonObject().put("tenantId", f.owner.tenantId())).await());
    }
    return out.toString();
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
  }

  /** Values from schemas: within their bounds, with real ids of the fixture for id-named fields. */
  private static final class Generator {
    private final Fixture f;
    private final Random random;

    Generator(Fixture f, Random random) {
      this.f = f;
      this.random = random;
    }

    <T> T pick(List<T> options) {
      return options.get(random.nextInt(options.size()));
    }

    JsonObject resolve(JsonObject schema) {
      return f.contract.resolve(schema);
    }

    Object value(String name, JsonObject raw, int depth) {
      JsonObject schema = resolve(raw);
      if (schema.containsKey("enum")) return pick(schema.getJsonArray("enum").getList());
      if (schema.containsKey("const")) return schema.getValue("const");
      for (String choice : List.of("oneOf", "anyOf")) {
        if (schema.containsKey(choice)) return value(name, schema.getJsonArray(choice).getJsonObject(random.nextInt(schema.getJsonArray(choice).size())), depth + 1);
      }
      if (schema.containsKey("allOf")) {
        JsonObject merged = new JsonObject();
        for (Object part : schema.getJsonArray("allOf")) {
          Object v = value(name, (JsonObject) part, depth + 1);
          if (v instanceof JsonObject o) merged.mergeIn(o);
        }
        return merged;
      }
      Object type = schema.getValue("type");
      String kind = type instanceof JsonArray types ? types.stream().map(String::valueOf).filter(t -> !t.equals("null")).findFirst().orElse("null")
        : type == null ? (schema.containsKey("properties") ? "object" : "string") : String.valueOf(type);
      switch (kind) {
        case "object": {
          JsonObject object = new JsonObject();
          JsonObject properties = schema.getJsonObject("properties", new JsonObject());
          JsonArray required = schema.getJsonArray("required", new JsonArray());
          for (String property : properties.fieldNames()) {
            if (required.contains(property) || depth < 3 && random.nextInt(3) == 0) {
              object.put(property, value(property, properties.getJsonObject(property), depth + 1));
            }
          }
          return object;
        }
        case "array": {
          JsonArray array = new JsonArray();
          int min = schema.getInteger("minItems", 0);
          int count = Math.min(schema.getInteger("maxItems", 3), Math.max(min, 1 + random.nextInt(2)));
          for (int i = 0; i < count; i++) array.add(value(name, schema.getJsonObject("items", new JsonObject()), depth + 1));
          return array;
        }
        case "integer": {
          long min = schema.getValue("minimum") instanceof Number n ? n.longValue() : 0;
          long max = schema.getValue("maximum") instanceof Number n ? n.longValue() : min + 100;
          return min + (long) (random.nextDouble() * Math.min(100, max - min));
        }
        case "number":
          return Math.round(random.nextDouble() * 10000) / 100.0;
        case "boolean":
          return random.nextBoolean();
        case "null":
          return null;
        default:
          return string(name, schema);
      }
    }

    private String string(String name, JsonObject schema) {
      if (name != null && f.ids.containsKey(name) && random.nextInt(4) > 0) return pick(f.ids.get(name));
      String pattern = schema.getString("pattern", "");
      if (pattern.contains("[0-9a-f]{24}")) return new ObjectId().toHexString();
      if ("date-time".equals(schema.getString("format"))) return java.time.Instant.now().plusSeconds(random.nextInt(3600)).toString();
      if ("email".equals(schema.getString("format")) || "email".equals(name)) return Api.uniqueEmail("fuzz");
      if ("uri".equals(schema.getString("format")) || "url".equals(name)) return "https://hooks.example.com/" + random.nextInt(1000);
      int min = schema.getInteger("minLength", 1);
      int max = Math.min(schema.getInteger("maxLength", 16), Math.max(min, 16));
      StringBuilder text = new StringBuilder();
      int length = min + random.nextInt(Math.max(1, max - min + 1));
      for (int i = 0; i < length; i++) text.append((char) ('A' + random.nextInt(26)));
      return text.toString();
    }

    Object mutate(Object body, JsonObject schema, Mutation mutation) {
      if (mutation == Mutation.WRONG_BODY) return pick(List.of("[]", "\"text\"", "null", "42", "{\"a\":", "{}{}"));
      if (!(body instanceof JsonObject object)) {
        return mutation == Mutation.DEEP_NESTING && body != null ? "[".repeat(200) + "]".repeat(200) : body;
      }
      List<String> fields = new ArrayList<>(object.fieldNames());
      String field = fields.isEmpty() ? "name" : pick(fields);
      switch (mutation) {
        case WRONG_TYPE -> object.put(field, object.getValue(field) instanceof String ? (Object) 12345 : "not-the-right-type");
        case MISSING_REQUIRED -> {
          JsonArray required = resolve(schema).getJsonArray("required", new JsonArray());
          object.remove(required.isEmpty() ? field : required.getString(random.nextInt(required.size())));
        }
        case EXTRA_FIELD -> object.put("unexpected" + random.nextInt(100), "surprise");
        case OPERATOR_KEY -> {
          if (random.nextBoolean()) object.put(field, new JsonObject().put("$gt", ""));
          else object.put("$where", "sleep(1000)");
        }
        case HUGE_NUMBER -> {
          String huge = pick(List.of("1e308", "9223372036854775808", "-9223372036854775809", "1e-400", "123456789012345678901234567890"));
          return object.put(field, "__HUGE__").encode().replace("\"__HUGE__\"", huge);
        }
        case LONG_STRING -> object.put(field, "L".repeat(pick(List.of(257, 4_097, 100_000))));
        case ODD_STRING -> object.put(field, pick(List.of("\u0000nul", "\u202eevil", "𝕏𝕐ℤ", "'; DROP TABLE variants; --", "<script>1</script>", "  ", "%00")));
        case DEEP_NESTING -> {
          return object.put(field, "__DEEP__").encode().replace("\"__DEEP__\"", "[".repeat(64) + "]".repeat(64));
        }
        default -> {
        }
      }
      return object;
    }
  }
}
