package io.stockroom;

import io.stockroom.order.OrderContract;
import io.stockroom.inventory.InventoryContract;
import io.stockroom.catalog.CatalogContract;

import io.stockroom.platform.unit.Failpoints;
import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regression tests for the defects the stock kernel fixes: each one failed on the code before it. */
class KernelDefectsTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private static JsonObject matrix(int sizes, int colors, String pattern) {
    JsonArray n = new JsonArray();
    JsonArray c = new JsonArray();
    for (int i = 0; i < sizes; i++) n.add("n" + i);
    for (int i = 0; i < colors; i++) c.add("c" + i);
    return new JsonObject().put("matrix", new JsonObject().put("n", n).put("c", c)).put("skuPattern", pattern)
      .put("price", 100).put("openingStock", 3);
  }

  @Test
  @DisplayName("a 500-variant matrix failing at its last step is undone completely, without a stack overflow")
  void longUnitFailsLate() {
    Session owner = api.signup("Long Unit Co");
    String product = api.createProduct(owner, "Big");
    String before = Invariants.snapshot(stack, owner.tenantId());
    int lastStep = 500 * 2;  // the product's count, then 2 writes per variant: the last variant's opening movement (steps count from 0)
    Failpoints.arm(stack.vertx, CatalogContract.VARIANT_MATRIX_CREATE.unitName(), owner.tenantId(), lastStep);
    Res failed = api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), matrix(25, 20, "L-{n}-{c}"));
    assertProblem(failed, 503);
    assertEquals(before, Invariants.snapshot(stack, owner.tenantId()), "the failed matrix left a trace");
    Res created = api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), matrix(25, 20, "L-{n}-{c}"));
    assertEquals(201, created.status(), created::toString);
    assertEquals(500, created.json().getInteger("count"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a matrix whose pattern makes the same SKU twice is a 400 naming it, and creates nothing")
  void collidingMatrixSkus() {
    Session owner = api.signup("Collision Co");
    String product = api.createProduct(owner, "X");
    JsonObject body = new JsonObject().put("matrix", new JsonObject()
        .put("n", new JsonArray().add("a").add("a-b")).put("c", new JsonArray().add("b-c").add("c")))
      .put("skuPattern", "X-{n}-{c}").put("price", 100).put("openingStock", 1);
    JsonObject problem = assertProblem(api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), body), 400);
    assertEquals(new JsonArray().add("X-a-b-c"), problem.getJsonArray("duplicateSkus"));
    assertEquals(0, api.get("/api/v1/variants", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a unit that fails among concurrent ones leaves no trace in the day's trend, and the others all count")
  void failedUnitLeavesTrendToOthers() {
    for (int round = 0; round < 5; round++) {
      Session owner = api.signup("Rollup Co " + round);
      String product = api.createProduct(owner, "R");
      List<String> variants = new ArrayList<>();
      for (int i = 0; i < 9; i++) variants.add(api.createVariant(owner, product, "R" + i, 100).getString("id"));
      Failpoints.arm(stack.vertx, InventoryContract.ADJUST.unitName(), owner.tenantId(), 3);  // its last step: the key record
      List<Future<Res>> all = new ArrayList<>();
      for (String v : variants) {
        all.add(api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(),
          new JsonObject().put("quantity", 2).put("reason", "found"), Api.newKey()));
      }
      Future.join(all).await();
      long committed = all.stream().filter(f -> f.result().status() == 201).count();
      assertEquals(8, committed, "exactly the armed adjustment fails");
      JsonObject day = api.get("/api/v1/dashboard?trendDays=1", owner.token()).json().getJsonArray("movementTrend").getJsonObject(0);
      assertEquals(2 * committed, day.getJsonObject("in").getLong("ADJUSTMENT"), day::encode);
      Invariants.assertHold(stack, owner);
    }
  }

  @Test
  @DisplayName("a variant on an open purchase order cannot be deleted, and the order can still be received")
  void variantOnOpenPurchaseOrder() {
    Session owner = api.signup("Open PO Co");
    String product = api.createProduct(owner, "P");
    String v = api.createVariant(owner, product, "ONPO", 100).getString("id");
    String supplier = api.createSupplier(owner, "S");
    String po = api.createPurchaseOrder(owner, supplier, v, 4, 50);
    assertProblem(api.delete("/api/v1/variants/" + v, owner.token()), 409);
    api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null);
    assertProblem(api.delete("/api/v1/variants/" + v, owner.token()), 409);
    assertProblem(api.delete("/api/v1/suppliers/" + supplier, owner.token()), 409);
    api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null);
    assertEquals(201, api.receive(owner, po, v, 4).status());
    assertEquals("RECEIVED", api.get("/api/v1/purchase-orders/" + po, owner.token()).json().getString("status"));
    assertEquals(204, api.delete("/api/v1/suppliers/" + supplier, owner.token()).status());
    Invariants.assertHold(stack, owner);

    String spare = api.createVariant(owner, product, "SPARE", 100).getString("id");
    String other = api.createSupplier(owner, "T");
    String draft = api.createPurchaseOrder(owner, other, spare, 1, 10);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + draft + "/cancel", owner.token(), null).status());
    assertEquals(204, api.delete("/api/v1/variants/" + spare, owner.token()).status(), "no open order is left");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("deleting a product while variants are created under it never lets both succeed")
  void productDeleteRacesVariantCreate() {
    Session owner = api.signup("Race Product Co");
    for (int round = 0; round < 20; round++) {
      String product = api.createProduct(owner, "P" + round);
      Future<Res> create = api.send(HttpMethod.POST, "/api/v1/products/" + product + "/variants", owner.token(),
        new JsonObject().put("sku", "RP-" + round).put("price", 10).put("openingStock", 2));
      Future<Res> delete = api.send(HttpMethod.DELETE, "/api/v1/products/" + product, owner.token(), null);
      Future.join(create, delete).await();
      boolean created = create.result().status() == 201;
      boolean deleted = delete.result().status() == 204;
      assertFalse(created && deleted, "round " + round + ": a variant was created under a deleted product");
      assertTrue(created || deleted, () -> create.result() + " / " + delete.result());
    }
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("deleting a supplier while a purchase order is created for it never lets both succeed")
  void supplierDeleteRacesPurchaseOrderCreate() {
    Session owner = api.signup("Race Supplier Co");
    String v = api.createVariant(owner, api.createProduct(owner, "P"), "RS", 100).getString("id");
    for (int round = 0; round < 20; round++) {
      String supplier = api.createSupplier(owner, "S" + round);
      Future<Res> create = api.send(HttpMethod.POST, "/api/v1/purchase-orders", owner.token(), new JsonObject()
        .put("supplierId", supplier).put("items", new JsonArray().add(Api.line(v, 1, 10))));
      Future<Res> delete = api.send(HttpMethod.DELETE, "/api/v1/suppliers/" + supplier, owner.token(), null);
      Future.join(create, delete).await();
      boolean created = create.result().status() == 201;
      boolean deleted = delete.result().status() == 204;
      assertFalse(created && deleted, "round " + round + ": a purchase order was created for a deleted supplier");
      assertTrue(created || deleted, () -> create.result() + " / " + delete.result());
    }
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("attribute names starting with $ or with other characters outside the contract are a 400")
  void attributeNames() {
    Session owner = api.signup("Attr Co");
    String product = api.createProduct(owner, "A");
    for (String name : List.of("$oid", "$date", "a.b", "")) {
      Res res = api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "ATTR")
        .put("price", 1).put("attributes", new JsonObject().put(name, "zz")));
      assertProblem(res, 400);
    }
    assertEquals(0, api.get("/api/v1/variants", owner.token()).items().size());
  }

  @Test
  @DisplayName("an unknown outcome is reported as such; a retry with the same key never runs the unit twice")
  void unknownOutcome() {
    Session owner = api.signup("Unknown Co");
    String v = api.createVariant(owner, api.createProduct(owner, "U"), "UNK", 100, 10).getString("id");
    String key = Api.newKey();
    Failpoints.armUnknownOutcome(stack.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), true);
    JsonObject problem = assertProblem(api.placeOrderAsync(owner, Api.order(v, 3), key).await(), 503);
    assertEquals("urn:stockroom:problem:outcome-unknown", problem.getString("type"));
    Res retried = api.placeOrderAsync(owner, Api.order(v, 3), key).await();
    assertEquals(201, retried.status(), retried::toString);
    assertEquals(7, api.stock(owner, v), "it had committed: the retry replays it");
    assertEquals(1, api.get("/api/v1/orders", owner.token()).items().size());

    String second = Api.newKey();
    Failpoints.armUnknownOutcome(stack.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), false);
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 2), second).await(), 503);
    assertEquals(7, api.stock(owner, v), "it did not commit");
    assertEquals(201, api.placeOrderAsync(owner, Api.order(v, 2), second).await().status());
    assertEquals(201, api.placeOrderAsync(owner, Api.order(v, 2), second).await().status(), "a replay");
    assertEquals(5, api.stock(owner, v), "the retry ran it once");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a key whose attempt died without a unit is taken over once its last claim is stale, not before")
  void staleClaimTakeover() {
    Session owner = api.signup("Stale Claim Co");
    String v = api.createVariant(owner, api.createProduct(owner, "S"), "STALE", 100, 10).getString("id");
    String key = Api.newKey();
    Failpoints.armUnknownOutcome(stack.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), false);
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 2), key).await(), 503);
    JsonObject record = new JsonObject().put("_id", owner.tenantId() + ":" + OrderContract.PLACE.idempotencyScope() + ":" + key);
    JsonObject longAgo = new JsonObject().put("$date", java.time.Instant.now().minus(java.time.Duration.ofHours(1)).toString());
    JsonObject justNow = new JsonObject().put("$date", java.time.Instant.now().toString());
    // A retry re-claimed the key long after the first attempt, then its instance died before the unit started.
    stack.mongo.updateCollection("idempotency_keys", record, new JsonObject().put("$set",
      new JsonObject().put("state", "RUNNING").put("createdAt", longAgo).put("claimedAt", justNow))).await();
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 2), key).await(), 409);
    assertEquals(10, api.stock(owner, v), "a fresh claim is not taken over");

    stack.mongo.updateCollection("idempotency_keys", record, new JsonObject().put("$set", new JsonObject().put("claimedAt", longAgo))).await();
    assertEquals(201, api.placeOrderAsync(owner, Api.order(v, 2), key).await().status());
    assertEquals(201, api.placeOrderAsync(owner, Api.order(v, 2), key).await().status(), "a replay");
    assertEquals(8, api.stock(owner, v), "the stale claim was taken over and the order ran once");
    assertEquals(1, api.get("/api/v1/orders", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("an undo that cannot finish undoes the other steps, keeps the key, and the audit names the variant")
  void undoThatCannotFinish() {
    Session owner = api.signup("Repair Co");
    String v = api.createVariant(owner, api.createProduct(owner, "R"), "REP", 100, 10).getString("id");
    String key = Api.newKey();
    // Steps 0-1 (variant, movement) are queued and never leave a unit that fails before its commit; step 2, the
    // adjustment record, is written at once. The unit fails at step 3 and the undo of step 2 fails.
    Failpoints.arm(stack.vertx, InventoryContract.ADJUST.unitName(), owner.tenantId(), 3);
    Failpoints.armUndoFailure(stack.vertx, InventoryContract.ADJUST.unitName(), owner.tenantId(), 2);
    JsonObject adjustment = new JsonObject().put("quantity", -3).put("reason", "broken");
    Res failed = api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(), adjustment, key).await();
    assertProblem(failed, 500);
    assertEquals(10, api.stock(owner, v), "the stock change was undone");
    JsonObject audit = api.get("/api/v1/inventory/audit", owner.token()).json();
    JsonArray repairs = audit.getJsonArray("needsRepair");
    assertEquals(1, repairs.size(), audit::encode);
    assertEquals(new JsonArray().add(v), repairs.getJsonObject(0).getJsonArray("variantIds"));
    assertEquals(1, repairs.getJsonObject(0).getInteger("pendingSteps"), "only the failing undo is left");
    assertProblem(api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(), adjustment, key).await(), 500);

    Object left = stack.vertx.eventBus().request(InventoryContract.REPAIR.address(), null).await().body();
    assertEquals(0, ((Number) left).intValue(), "the background retry finished the pending undo");
    JsonObject repaired = api.get("/api/v1/inventory/audit", owner.token()).json();
    assertTrue(repaired.getJsonArray("needsRepair").isEmpty(), repaired::encode);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a correctly signed token whose claims have the wrong type is a 401 and writes nothing")
  void claimTypes() {
    Session owner = api.signup("Claims Co");
    Tokens tokens = new Tokens(stack.vertx);
    List<JsonObject> bad = List.of(
      Tokens.claims(owner, "OWNER").put("tenantId", new JsonObject().put("x", 1)),
      Tokens.claims(owner, "OWNER").put("tenantId", "not-an-id"),
      Tokens.claims(owner, "OWNER").put("sub", 42),
      Tokens.claims(owner, "OWNER").put("role", new JsonArray().add("OWNER")));
    for (JsonObject claims : bad) {
      assertProblem(api.post("/api/v1/products", tokens.valid(claims), new JsonObject().put("name", "x")), 401);
    }
    assertEquals(0, api.get("/api/v1/products", owner.token()).items().size());
  }

  @Test
  @DisplayName("audits taken while a hot variant sells never report a discrepancy that is not real")
  void auditUnderLoad() {
    Session owner = api.signup("Audit Co");
    String v = api.createVariant(owner, api.createProduct(owner, "H"), "HOT-AUDIT", 100, 1000).getString("id");
    List<Future<Res>> orders = new ArrayList<>();
    for (int i = 0; i < 150; i++) orders.add(api.placeOrderAsync(owner, Api.order(v, 1), Api.newKey()));
    List<Future<Res>> audits = new ArrayList<>();
    for (int i = 0; i < 15; i++) audits.add(api.send(HttpMethod.GET, "/api/v1/inventory/audit", owner.token(), null));
    Future.join(orders).await();
    Future.join(audits).await();
    for (Future<Res> audit : audits) {
      assertEquals(200, audit.result().status());
      assertTrue(audit.result().json().getJsonArray("discrepancies").isEmpty(), audit.result()::toString);
    }
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("amounts at the contract's extremes are exact, and sent as strings of digits")
  void moneyAtTheExtremes() {
    Session owner = api.signup("Money Co");
    String product = api.createProduct(owner, "Gold");
    long maxPrice = 1_000_000_000_000L;
    List<String> bars = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Res created = api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "BAR-" + i)
        .put("price", maxPrice).put("openingStock", 1_000_000_000L));
      assertEquals(201, created.status(), created::toString);
      bars.add(created.id());
    }
    JsonObject dashboard = api.get("/api/v1/dashboard", owner.token()).json();
    assertEquals("10000000000000000000000", dashboard.getJsonObject("inventoryValue").getString("atPrice"),
      "10 variants × 10^9 units × 10^12");
    JsonArray items = new JsonArray();
    bars.forEach(id -> items.add(new JsonObject().put("variantId", id).put("quantity", 1_000_000)));
    Res order = api.placeOrderAsync(owner, new JsonObject().put("items", items), Api.newKey()).await();
    assertEquals(201, order.status(), order::toString);
    assertEquals("10000000000000000000", order.json().getString("total"), "10 lines × 10^6 units × 10^12");
    assertEquals("1000000000000000000", order.json().getJsonArray("lines").getJsonObject(0).getString("lineTotal"));
    assertTrue(order.json().getValue("total") instanceof String, "sent as a string: " + order.text());
    JsonObject after = api.get("/api/v1/dashboard", owner.token()).json();
    assertEquals("9990000000000000000000", after.getJsonObject("inventoryValue").getString("atPrice"));
    assertEquals("1000000000000000000", after.getJsonArray("topSellers").getJsonObject(0).getString("revenue"));

    String supplier = api.createSupplier(owner, "Mint");
    Res po = api.post("/api/v1/purchase-orders", owner.token(), new JsonObject().put("supplierId", supplier)
      .put("items", new JsonArray().add(Api.line(bars.get(0), 1_000_000, maxPrice))));
    assertEquals("1000000000000000000", po.json().getString("orderedValue"));
    assertProblem(api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "TOO-DEAR")
      .put("price", maxPrice + 1)), 400);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a variant's stock never passes the limit that keeps it exact: 409 naming it, nothing changed")
  void stockLimit() {
    Session owner = api.signup("Limit Co");
    String v = api.createVariant(owner, api.createProduct(owner, "L"), "LIMIT", 1, 5).getString("id");
    long nearMax = io.stockroom.inventory.StockLedger.MAX_STOCK - 10;
    stack.mongo.updateCollection("variants", new JsonObject().put("_id", v), new JsonObject().put("$set", new JsonObject().put("stock", nearMax)
      .put("levels." + owner.tenantId() + ".onHand", nearMax))).await();
    stack.mongo.insert("stock_movements", new JsonObject().put("_id", new org.bson.types.ObjectId().toHexString()).put("tenantId", owner.tenantId())
      .put("variantId", v).put("sku", "LIMIT").put("type", "ADJUSTMENT").put("quantity", nearMax - 5).put("sourceKey", "test:near-max")
      .put("source", new JsonObject().put("kind", "ADJUSTMENT").put("id", "test"))).await();
    JsonObject up = new JsonObject().put("quantity", 10).put("reason", "found");
    assertEquals(201, api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(), up, Api.newKey()).await().status());
    JsonObject problem = assertProblem(api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(),
      new JsonObject().put("quantity", 1).put("reason", "found"), Api.newKey()).await(), 409);
    assertEquals(io.stockroom.inventory.StockLedger.MAX_STOCK, problem.getLong("maxStock"));
    assertEquals(io.stockroom.inventory.StockLedger.MAX_STOCK, api.stock(owner, v));
    assertTrue(api.get("/api/v1/inventory/audit", owner.token()).json().getJsonArray("discrepancies").isEmpty());
  }

  @Test
  @DisplayName("a purchase-order transition racing a DRAFT edit of its lines changes the variants it re-read under lock")
  void transitionRacesDraftEdit() {
    Session owner = api.signup("PO Race Co");
    String product = api.createProduct(owner, "P");
    String a = api.createVariant(owner, product, "PR-A", 100).getString("id");
    String b = api.createVariant(owner, product, "PR-B", 100).getString("id");
    String supplier = api.createSupplier(owner, "S");
    for (int round = 0; round < 15; round++) {
      String po = api.createPurchaseOrder(owner, supplier, a, 5, 10);
      Future<Res> edit = api.send(HttpMethod.PATCH, "/api/v1/purchase-orders/" + po, owner.token(),
        new JsonObject().put("items", new JsonArray().add(Api.line(b, 7, 10))));
      Future<Res> send = api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/send", owner.token(), null);
      Future.join(edit, send).await();
      assertTrue(List.of(200, 409).contains(edit.result().status()), edit.result()::toString);
      assertEquals(200, send.result().status(), send.result()::toString);
    }
    Invariants.assertHold(stack, owner);
  }
}
