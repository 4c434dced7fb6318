package io.stockroom;

import io.stockroom.support.Api;
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
import java.util.List;
import java.util.Map;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verifies the Idempotency-Key on the operations that took none before: variant creation (required with opening
 * stock), purchase-order transitions and product creation replay their first answer and change nothing more; every
 * stock change refuses a request without a key, naming the header, with nothing changed.
 */
class StockChangeKeysTest {
  private static final String SOME_ID = "0123456789abcdef01234567";

  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  @Test
  @DisplayName("a variant with opening stock: the same key replays the 201, another body with it is 422, stock and ledger counted once")
  void variantWithOpeningStockReplays() {
    Session owner = api.signup("Opening Key Co");
    String product = api.createProduct(owner, "OK");
    String path = "/api/v1/products/" + product + "/variants";
    JsonObject body = variant("OK-1", 7);
    String key = Api.newKey();
    Res first = api.send(HttpMethod.POST, path, owner.token(), body, key).await();
    Res again = api.send(HttpMethod.POST, path, owner.token(), body, key).await();
    assertEquals(201, first.status(), first::toString);
    assertEquals(201, again.status(), again::toString);
    assertEquals(first.json(), again.json());
    String id = first.id();
    String before = Invariants.snapshot(stack, owner.tenantId());
    assertProblem(api.send(HttpMethod.POST, path, owner.token(), variant("OK-2", 7), key).await(), 422);
    assertEquals(before, Invariants.snapshot(stack, owner.tenantId()));
    assertEquals(1, api.get("/api/v1/variants?productId=" + product, owner.token()).items().size());
    assertEquals(7, api.stock(owner, id));
    assertEquals(1, api.get("/api/v1/stock-movements?variantId=" + id, owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("opening stock without a key is 400 naming the header (one variant or a matrix); without opening stock the key is optional")
  void openingStockRequiresKey() {
    Session owner = api.signup("Opening No Key Co");
    String product = api.createProduct(owner, "NK");
    String path = "/api/v1/products/" + product + "/variants";
    String before = Invariants.snapshot(stack, owner.tenantId());
    assertMissingKey(api.sendWithoutKey(HttpMethod.POST, path, owner.token(), variant("NK-1", 3)).await());
    JsonObject matrix = new JsonObject().put("matrix", new JsonObject().put("size", new JsonArray().add("S").add("M")))
      .put("skuPattern", "NK-{size}").put("price", 100).put("openingStock", 2);
    assertMissingKey(api.sendWithoutKey(HttpMethod.POST, "/api/v1/products/" + product + "/variant-matrix", owner.token(), matrix).await());
    assertEquals(before, Invariants.snapshot(stack, owner.tenantId()));
    Res unstocked = api.sendWithoutKey(HttpMethod.POST, path, owner.token(), variant("NK-0", 0)).await();
    assertEquals(201, unstocked.status(), unstocked::toString);
    assertEquals(1, api.get("/api/v1/variants?productId=" + product, owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("10 identical variant creations with opening stock at once, one key: one variant, stock = openingStock, the ledger adds up")
  void concurrentVariantCreation() {
    Session owner = api.signup("Concurrent Opening Co");
    String product = api.createProduct(owner, "CO");
    String key = Api.newKey();
    List<Future<Res>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(api.send(HttpMethod.POST, "/api/v1/products/" + product + "/variants", owner.token(), variant("CO-1", 12), key));
    }
    Future.join(all).await();
    List<Res> results = all.stream().map(Future::result).toList();
    assertTrue(results.stream().allMatch(r -> r.status() == 201 || r.status() == 409), results::toString);
    // a 409 is the key's (the first is still running), never the duplicate SKU a second creation would meet
    assertTrue(results.stream().filter(r -> r.status() == 409).allMatch(r -> r.json().getString("detail").contains("Idempotency-Key")),
      results::toString);
    assertEquals(1, results.stream().filter(r -> r.status() == 201).map(Res::id).distinct().count(),
      results::toString);
    Res retried = api.send(HttpMethod.POST, "/api/v1/products/" + product + "/variants", owner.token(), variant("CO-1", 12), key).await();
    assertEquals(201, retried.status(), retried::toString);
    JsonArray variants = api.get("/api/v1/variants?productId=" + product, owner.token()).items();
    assertEquals(1, variants.size());
    assertEquals(12, variants.getJsonObject(0).getLong("stock"));
    assertEquals(1, api.get("/api/v1/stock-movements?variantId=" + variants.getJsonObject(0).getString("id"), owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("purchase-order send, confirm and close replay their answer with the same key; the key on another order is 422")
  void purchaseOrderTransitionsReplay() {
    Session owner = api.signup("PO Key Co");
    String v = api.createVariant(owner, api.createProduct(owner, "PK"), "PK-1", 100, 0).getString("id");
    String supplier = api.createSupplier(owner, "PK supplier");
    String po = api.createPurchaseOrder(owner, supplier, v, 10, 50);
    String other = api.createPurchaseOrder(owner, supplier, v, 4, 50);
    for (String step : List.of("send", "confirm")) {
      String key = Api.newKey();
      Res first = api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/" + step, owner.token(), null, key).await();
      assertEquals(200, first.status(), first::toString);
      String before = Invariants.snapshot(stack, owner.tenantId());
      Res again = api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/" + step, owner.token(), null, key).await();
      assertEquals(200, again.status(), again::toString);
      assertEquals(first.json(), again.json());
      assertProblem(api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + other + "/" + step, owner.token(), null, key).await(), 422);
      assertEquals(before, Invariants.snapshot(stack, owner.tenantId()));
    }
    assertEquals(201, api.receive(owner, po, v, 3).status());
    String key = Api.newKey();
    Res closed = api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/close", owner.token(), null, key).await();
    assertEquals(200, closed.status(), closed::toString);
    String before = Invariants.snapshot(stack, owner.tenantId());
    Res again = api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/close", owner.token(), null, key).await();
    assertEquals(closed.json(), again.json());
    assertEquals(before, Invariants.snapshot(stack, owner.tenantId()));
    assertEquals(Map.of("status", closed.json().getString("status"), "stock", 3L),
      Map.of("status", api.get("/api/v1/purchase-orders/" + po, owner.token()).json().getString("status"), "stock", api.stock(owner, v)));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a product, a supplier or a location created twice with one key is created once; another body with the key is 422")
  void creationsReplay() {
    Session owner = api.signup("Creation Key Co");
    int locationsBefore = api.get("/api/v1/locations", owner.token()).items().size();
    createdOnce(owner, "/api/v1/products", new JsonObject().put("name", "Once"), new JsonObject().put("name", "Twice"));
    createdOnce(owner, "/api/v1/suppliers", new JsonObject().put("name", "Once"), new JsonObject().put("name", "Twice"));
    createdOnce(owner, "/api/v1/locations", new JsonObject().put("name", "Once").put("code", "ONCE"),
      new JsonObject().put("name", "Twice").put("code", "TWICE"));
    assertEquals(1, api.get("/api/v1/products", owner.token()).items().size());
    assertEquals(1, api.get("/api/v1/suppliers", owner.token()).items().size());
    assertEquals(locationsBefore + 1, api.get("/api/v1/locations", owner.token()).items().size());
  }

  @Test
  @DisplayName("an import needs a key; started twice with one key it is one job: the replay names the same job and the stock is imported once")
  void importStartReplays() {
    Session owner = api.signup("Import Key Co");
    Api.Upload file = new Api.Upload("text/csv", "product,sku,price,stock\nTee,IK-1,1999,5\n");
    assertMissingKey(api.sendWithoutKey(HttpMethod.POST, "/api/v1/imports", owner.token(), file).await());
    assertEquals(0, api.get("/api/v1/imports", owner.token()).items().size(), "no job without a key: an import writes stock");
    String key = Api.newKey();
    Res first = api.send(HttpMethod.POST, "/api/v1/imports", owner.token(), file, key).await();
    Res again = api.send(HttpMethod.POST, "/api/v1/imports", owner.token(), file, key).await();
    assertEquals(202, first.status(), first::toString);
    assertEquals(202, again.status(), again::toString);
    assertEquals(first.id(), again.id());
    assertProblem(api.send(HttpMethod.POST, "/api/v1/imports", owner.token(),
      new Api.Upload("text/csv", "product,sku,price,stock\nTee,IK-2,1999,5\n"), key).await(), 422);
    JsonObject job = Eventually.value(Duration.ofSeconds(30), Duration.ofMillis(100),
      () -> api.get("/api/v1/imports/" + first.id(), owner.token()).json(), polled -> !"RUNNING".equals(polled.getString("status")));
    assertEquals("COMPLETED", job.getString("status"), job::encode);
    JsonArray variants = api.get("/api/v1/variants?sku=IK-1", owner.token()).items();
    assertEquals(1, variants.size());
    assertEquals(5, variants.getJsonObject(0).getLong("stock"));
    assertEquals(0, api.get("/api/v1/variants?sku=IK-2", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  private void createdOnce(Session owner, String path, JsonObject body, JsonObject otherBody) {
    String key = Api.newKey();
    Res first = api.send(HttpMethod.POST, path, owner.token(), body, key).await();
    Res again = api.send(HttpMethod.POST, path, owner.token(), body, key).await();
    assertEquals(201, first.status(), first::toString);
    assertEquals(201, again.status(), again::toString);
    assertEquals(first.json(), again.json());
    assertProblem(api.send(HttpMethod.POST, path, owner.token(), otherBody, key).await(), 422);
  }

  @Test
  @DisplayName("every operation that changes stock refuses a request without Idempotency-Key, naming the header, with nothing changed")
  void everyStockChangeRequiresKey() {
    Session owner = api.signup("Required Key Co");
    String v = api.createVariant(owner, api.createProduct(owner, "RK"), "RK-1", 100, 10).getString("id");
    JsonObject item = new JsonObject().put("variantId", v).put("quantity", 1);
    Map<String, JsonObject> requests = Map.of(
      "/api/v1/variants/" + v + "/adjustments", new JsonObject().put("quantity", 1).put("reason", "found"),
      "/api/v1/variants/" + v + "/counts", new JsonObject().put("expectedQuantity", 10).put("countedQuantity", 9),
      "/api/v1/variants/" + v + "/state-moves", new JsonObject().put("quantity", 1).put("from", "available").put("to", "damaged"),
      "/api/v1/orders", new JsonObject().put("items", new JsonArray().add(item)),
      "/api/v1/orders/" + SOME_ID + "/cancel", new JsonObject(),
      "/api/v1/orders/" + SOME_ID + "/returns", new JsonObject().put("items", new JsonArray().add(item)),
      "/api/v1/reservations", new JsonObject().put("items", new JsonArray().add(item)).put("ttlSeconds", 600),
      "/api/v1/reservations/" + SOME_ID + "/release", new JsonObject(),
      "/api/v1/transfers/" + SOME_ID + "/ship", new JsonObject(),
      "/api/v1/transfers/" + SOME_ID + "/receive", new JsonObject().put("items", new JsonArray().add(item)));
    String before = Invariants.snapshot(stack, owner.tenantId());
    requests.forEach((path, body) -> assertMissingKey(api.sendWithoutKey(HttpMethod.POST, path, owner.token(), body).await()));
    assertEquals(before, Invariants.snapshot(stack, owner.tenantId()));
    assertEquals(10, api.stock(owner, v));
  }

  private static JsonObject variant(String sku, long openingStock) {
    return new JsonObject().put("sku", sku).put("price", 100).put("reorderLevel", 1).put("openingStock", openingStock);
  }

  private static void assertMissingKey(Res res) {
    JsonObject problem = assertProblem(res, 400);
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertEquals("Idempotency-Key", error.getString("parameter"), problem::encodePrettily);
    assertEquals("header", error.getString("in"), problem::encodePrettily);
    assertTrue(problem.getString("detail").startsWith("Idempotency-Key header is required"), problem::encodePrettily);
  }
}
