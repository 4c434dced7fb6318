package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.ContractDocument;
import io.stockroom.support.QueryShapes;
import io.stockroom.support.Session;
import io.stockroom.support.ShapeCheck;
import io.stockroom.support.SuiteRecords;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of tenants in one database stay fast only if every query is answered from an index, never a scan. The
 * embedded stand-in scans for almost everything, so it cannot show this; the shapes of the queries can. Every query the
 * service sent while the whole suite ran must be served by an index declared at startup: by {@code _id}, or by an index
 * whose first keys are exactly the query's equality fields ({@code tenantId} among them for tenant data) and whose next
 * keys give its sort. The suite runs in several JVMs, which record their shapes in files ({@link QueryShapes}); this
 * class runs after them, last in an execution of its own (pom.xml: after-suite), and adds its own workload: every list
 * with every combination of its filters the API accepts, so that no filter is checked only when a randomised test
 * happened to send it.
 */
@Order(Integer.MAX_VALUE)
class IndexCoverageTest {
  /**
   * Queries without a tenant, each for a reason (collection, equality fields, range fields): background work over every
   * tenant, or a lookup made before the tenant is known. They must still be served by an index.
   */
  static final Map<String, String> CROSS_TENANT = Map.ofEntries(
    Map.entry("outbox [] []", "the webhook dispatcher takes the oldest events (the _id index)"),
    Map.entry("unit_repairs [] []", "the repair sweep, oldest first (the _id index)"),
    Map.entry("unit_repairs [] [_id]", "the repair sweep's next pages, after the last id it read (the _id index)"),
    Map.entry("variants [figuresPending] []", "the dashboard projector, four times a second by one instance: the tenants "
      + "with figures to take, at most 1,000 variants (index {figuresPending, tenantId})"),
    Map.entry("variants [] [lastDay, salesCap]", "the expired-days sweep, once a minute by one instance, 100 variants at most "
      + "(index {lastDay, salesCap})"),
    Map.entry("unit_journal [unitId] []", "settling committed units by id"),
    Map.entry("unit_journal [] [leaseUntil]", "recovery of units whose instance died"),
    Map.entry("reservations [status] [expiresAt]", "the reservation expiry sweep"),
    Map.entry("webhook_deliveries [status] [leaseUntil, nextAttemptAt]", "deliveries that are due"),
    Map.entry("import_jobs [status] [leaseUntil]", "resuming imports whose instance died"),
    Map.entry("users [email] []", "login: the accounts with this email, before a tenant is chosen"),
    Map.entry("outbox [_id] []", "the webhook dispatcher reads and deletes the batch of events it took, of any tenants, by id"),
    Map.entry("unit_repairs [_id] []", "the repair sweep reads the entries it pages over, of any tenants, by id; the webhook "
      + "dispatcher asks which units of a page of movements await repair, by id"));

  /**
   * Collections whose documents are not one tenant's rows, each for a reason: queries on them need no tenantId (they
   * must still be index-served).
   */
  static final Map<String, String> NOT_TENANT_DATA = Map.of(
    "tenants", "the tenant document itself: its _id is the tenantId",
    "allocation_rules", "one document per tenant whose _id is the tenantId",
    "unit_journal", "the units in flight on every tenant, keyed by unit id; a unit's entry is found by its id before its tenant is known (recovery)",
    "refresh_tokens", "the token is the credential: it is looked up by its hash, and its family revoked, before the tenant is known (unsharded)",
    "refresh_families", "a token's family, found by its id beside the token (unsharded, like the tokens)",
    "webhook_cursors", "one document per followed tenant whose _id is the tenantId; the dispatcher takes them in _id order");

  /**
   * Ranges that only filter what an index walk reads, each for why it leaves out few of those documents (collection
   * field).
   */
  static final Map<String, String> RESIDUAL_RANGES = Map.of(
    "reservations expiresAt", "an ACTIVE list leaves out only the holds past their time that the 2-second expiry sweep has not reached yet",
    "webhook_deliveries leaseUntil", "of the due deliveries (nextAttemptAt bounds the walk) only those another instance holds a lease on are left out",
    "variants salesCap", "the expired-days sweep: a variant whose buckets were emptied has no lastDay, so the lastDay walk reads "
      + "almost only variants that still have sales to drop",
    "unit_journal leaseUntil", "the journal holds only units in flight (an entry goes when its unit closes): the _id walk reads at most those");

  /** Collections an older release used, read once by migrate's upgrade and nowhere else (so not declared). */
  static final Map<String, String> LEGACY = Map.of(
    "daily_stock", "the older release's daily rollups: FiguresBackfill reads a variant's old sales from them once");

  /** Reads of every document, by design: once per sweep or start, over every tenant. */
  static final Map<String, String> SCANS = Map.of(
    "variants [] []", "migrate's one-off upgrade: the variants an older release wrote without their dashboard figures",
    "webhooks [active] []", "migrate's one-off upgrade: the tenants with an active endpoint get their ledger cursor",
    "webhooks [active] [_id]", "the same upgrade's next pages",
    "tenants [] []", "the start-up migration checks every tenant's default location",
    "products [] []", "migrate's one-off upgrade: the products an older release wrote without the search keys of their name");

  private final TestStack stack = TestStack.get();

  @Test
  @DisplayName("every query the service sent during the suite is served by a declared index, tenantId first")
  void everyQueryIsIndexed() {
    int others = QueryShapes.loadRecorded();
    if (SuiteRecords.afterSuite()) {
      assertTrue(others >= 1, "after the suite, but no other test JVM's query shapes in " + SuiteRecords.directory());
    }
    sampleWorkload();
    everyListFilterCombination();
    Map<String, List<ShapeCheck.Index>> indexes = new HashMap<>();
    List<String> uncovered = new ArrayList<>();
    java.util.Set<String> declared = new java.util.HashSet<>();
    SchemaManifest.collections().forEach(spec -> declared.add(spec.name()));
    for (ShapeCheck.Shape shape : QueryShapes.all()) {
      if (shape.collection().startsWith("bench_") || shape.collection().startsWith("system.")) continue;
      // a test's own collection, reached by the service when its recovery undoes a test's abandoned unit
      if (shape.collection().matches("[a-z_]+_test(_[0-9a-f]{24})?")) continue;
      if (LEGACY.containsKey(shape.collection())) continue;
      if (!declared.contains(shape.collection())) {
        uncovered.add(shape.collection() + ": not declared in SchemaManifest (migrate would not create it)");
        continue;
      }
      if (SCANS.containsKey(shape.kind())) continue;
      List<ShapeCheck.Index> keys = indexes.computeIfAbsent(shape.collection(), this::indexes);
      String problem = ShapeCheck.problem(shape, keys, !NOT_TENANT_DATA.containsKey(shape.collection()), CROSS_TENANT.keySet(),
        RESIDUAL_RANGES.keySet());
      if (problem != null) {
        uncovered.add(shape.collection() + " " + shape.command() + " " + shape.example() + " sort " + shape.sort()
          + (shape.group() ? " $group" : "") + ": " + problem);
      }
    }
    uncovered.sort(null);
    assertTrue(uncovered.isEmpty(), () -> uncovered.size() + " query shape(s) not served by an index:\n  " + String.join("\n  ", uncovered));
  }


  /**
   * The indexes the schema manifest declares for a real server (stand-in-only indexes do not count: MongoDB never
   * has them), plus {@code _id}. A collection the manifest does not declare has none, so its queries fail.
   */
  private List<ShapeCheck.Index> indexes(String collection) {
    List<ShapeCheck.Index> indexes = new ArrayList<>();
    LinkedHashMap<String, Integer> byId = new LinkedHashMap<>();
    byId.put("_id", 1);
    indexes.add(new ShapeCheck.Index("_id_", byId, true));
    SchemaManifest.collections().stream().filter(spec -> spec.name().equals(collection))
      .flatMap(spec -> spec.indexesFor(false).stream())
      .forEach(index -> {
        LinkedHashMap<String, Integer> keys = new LinkedHashMap<>();
        index.keys().forEach(k -> keys.put(k.getKey(), ((Number) k.getValue()).intValue() < 0 ? -1 : 1));
        indexes.add(new ShapeCheck.Index(index.name(), keys, index.unique()));
      });
    return indexes;
  }

  /**
   * A little of everything, including the shapes that once scanned a whole tenant (low stock, top sellers, date ranges,
   * exports, the audit, reservations).
   */
  private void sampleWorkload() {
    Api api = stack.api;
    Session owner = api.signup("Index Co");
    String product = api.createProduct(owner, "Idx");
    String v = api.createVariant(owner, product, "IDX-1", 100, 10).getString("id");
    api.createVariant(owner, product, "IDX-2", 100, 0);
    api.placeOrder(owner, Api.order(v, 1));
    String location = api.get("/api/v1/locations", owner.token()).items().getJsonObject(0).getString("id");
    api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("reorderLevel", 50)
      .put("locationReorderLevels", new JsonObject().put(location, 50)));
    api.post("/api/v1/reservations", owner.token(), new JsonObject().put("ttlSeconds", 600).put("reference", "idx-ref")
      .put("items", new io.vertx.core.json.JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 1))));
    String from = java.time.Instant.now().minusSeconds(3600).toString();
    String to = java.time.Instant.now().plusSeconds(3600).toString();
    String po = api.createPurchaseOrder(owner, api.createSupplier(owner, "Idx Supplier"), v, 1, 10);
    String after = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (String path : List.of("/api/v1/purchase-orders/" + po + "/receipts", "/api/v1/purchase-orders/" + po + "/receipts?cursor=" + after,
      "/api/v1/imports", "/api/v1/imports?status=COMPLETED", "/api/v1/imports?cursor=" + after,
      "/api/v1/imports?status=RUNNING&cursor=" + after)) {
      assertEquals(200, api.get(path, owner.token()).status(), path);
    }
    for (String path : List.of("/api/v1/orders", "/api/v1/orders?from=" + from + "&to=" + to, "/api/v1/variants",
      "/api/v1/variants?lowStock=true", "/api/v1/variants?lowStock=true&limit=1",
      "/api/v1/stock-movements?variantId=" + v, "/api/v1/stock-movements?from=" + from + "&to=" + to,
      "/api/v1/stock-movements?variantId=" + v + "&from=" + from, "/api/v1/stock-movements?type=SALE&to=" + to,
      "/api/v1/dashboard", "/api/v1/dashboard?topSellersDays=7", "/api/v1/dashboard?locationId=" + location,
      "/api/v1/inventory/audit", "/api/v1/products", "/api/v1/suppliers", "/api/v1/purchase-orders",
      "/api/v1/reservations", "/api/v1/reservations?status=ACTIVE", "/api/v1/reservations?reference=idx-ref",
      "/api/v1/exports/variants", "/api/v1/exports/stock-levels", "/api/v1/exports/movements",
      "/api/v1/exports/movements?from=" + from + "&to=" + to, "/api/v1/audit-log?from=" + from)) {
      api.get(path, owner.token());
    }
  }

  /**
   * Every GET of the contract that takes query filters, once with each combination of them (each value of an enum or
   * boolean, in turn), on a tenant with one of everything to point ids at. A parameter this cannot fill fails the test:
   * a new filter gets a value here, and so its query shapes are checked.
   */
  private void everyListFilterCombination() {
    Api api = stack.api;
    Session owner = api.signup("Index Filters Co");
    String product = api.createProduct(owner, "Idx Filters");
    String variant = api.createVariant(owner, product, "IDXF-1", 100, 10).getString("id");
    String supplier = api.createSupplier(owner, "Idx Filters Supplier");
    String location = api.createLocation(owner, "IDXF");
    String webhook = api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", "https://hooks.example.com/index")
      .put("events", new JsonArray().add("stock.changed"))).id();
    String at = java.time.Instant.now().minusSeconds(3600).toString();
    Map<String, String> values = Map.of("productId", product, "variantId", variant, "supplierId", supplier, "locationId", location,
      "webhookId", webhook, "sku", "IDXF-1", "q", "Idx", "reference", "idx-ref", "from", at, "to", at);
    ContractDocument contract = ContractDocument.load();
    int sent = 0;
    List<String> refused = new ArrayList<>();
    for (ContractDocument.Operation op : contract.operations()) {
      if (!op.method().equals("get")) continue;
      List<JsonObject> parameters = op.parameters().stream().map(p -> contract.resolve((JsonObject) p)).toList();
      Map<String, List<String>> filters = new LinkedHashMap<>();
      for (JsonObject parameter : parameters) {
        String name = parameter.getString("name");
        if (parameter.getString("in").equals("query") && !List.of("limit", "cursor").contains(name)) {
          filters.put(name, choices(name, contract.resolve(parameter.getJsonObject("schema")), values, op));
        }
      }
      if (filters.isEmpty()) continue;
      String path = op.path();
      for (JsonObject parameter : parameters) {
        if (!parameter.getString("in").equals("path")) continue;
        String id = values.get(parameter.getString("name"));
        assertTrue(id != null, "no id for path parameter " + parameter.getString("name") + " of " + op.operationId());
        path = path.replace("{" + parameter.getString("name") + "}", id);
      }
      for (String query : combinations(new ArrayList<>(filters.entrySet()), 0)) {
        String uri = path + (query.isEmpty() ? "" : "?" + query.substring(1));
        int status = api.get(uri, owner.token()).status();
        // a combination the API refuses (400) reads nothing; every filter alone must be answered
        boolean combined = query.chars().filter(c -> c == '&').count() > 1;
        if (status == 400 && combined) refused.add(uri);
        else assertEquals(200, status, uri);
        sent++;
      }
    }
    System.out.println("Index coverage: " + sent + " filter combinations sent, " + refused.size() + " refused as combinations: " + refused);
    assertTrue(sent - refused.size() > 100, "filter combinations answered: " + (sent - refused.size()));
  }

  /** The values a filter is tried with: each of an enum's or a boolean's, else one that matches the tenant's data. */
  private static List<String> choices(String name, JsonObject schema, Map<String, String> values, ContractDocument.Operation op) {
    if (schema.containsKey("enum")) return schema.getJsonArray("enum").stream().map(String::valueOf).toList();
    if ("boolean".equals(schema.getString("type"))) return List.of("true", "false");
    if ("integer".equals(schema.getString("type"))) return List.of(String.valueOf(schema.getValue("default", schema.getValue("minimum", 1))));
    if ("date-time".equals(schema.getString("format")) && !values.containsKey(name)) return List.of(values.get("from"));
    String value = values.get(name);
    assertTrue(value != null, "no value for query parameter " + name + " of " + op.operationId());
    return List.of(value);
  }

  /** Every query string of the filters from {@code at} on: each left out or given one of its values. */
  private static List<String> combinations(List<Map.Entry<String, List<String>>> filters, int at) {
    if (at == filters.size()) return List.of("");
    List<String> rest = combinations(filters, at + 1);
    List<String> all = new ArrayList<>(rest);
    Map.Entry<String, List<String>> filter = filters.get(at);
    for (String value : filter.getValue()) {
      String pair = "&" + filter.getKey() + "=" + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
      for (String tail : rest) all.add(pair + tail);
    }
    return all;
  }
}
