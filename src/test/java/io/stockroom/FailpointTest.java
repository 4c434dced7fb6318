package io.stockroom;

import io.stockroom.order.OrderContract;
import io.stockroom.order.ReservationRepository;
import io.stockroom.purchasing.PurchasingContract;
import io.stockroom.inventory.InventoryContract;
import io.stockroom.catalog.CatalogContract;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.Failpoints;
import io.stockroom.support.Eventually;
import io.vertx.redis.client.Redis;
import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.support.WebhookLedger;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails each unit of work before each of its steps in turn (test-only failpoints) and checks that the request fails
 * with 503 and leaves variants, movements, orders, purchase orders, receipts and adjustments exactly as before; then
 * the same request without a failpoint succeeds, which proves every step was covered.
 */
class FailpointTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private int failEveryStep(Session owner, String unit, Supplier<Res> request, int expectedSuccess) {
    int step = 0;
    while (true) {
      String before = Invariants.snapshot(stack, owner.tenantId());
      Failpoints.arm(stack.vertx, unit, owner.tenantId(), step);
      Res res = request.get();
      if (res.status() == expectedSuccess) {
        Failpoints.disarm(stack.vertx, unit, owner.tenantId());
        Invariants.assertHold(stack, owner);
        System.out.println("Unit " + unit + " went through after failing at each of its " + step + " steps");
        return step;
      }
      int failedStep = step;
      assertProblem(res, 503);
      assertEquals(before, Invariants.snapshot(stack, owner.tenantId()), () -> unit + " left a trace after failing at step " + failedStep);
      Invariants.assertHold(stack, owner);
      step++;
      assertTrue(step < 50, "unit never completed");
    }
  }

  /**
   * An endpoint (at a closed port: its deliveries stay pending) that wants every event: what a failed unit would have
   * leaked shows up as a delivery.
   */
  private String hook(Session owner) {
    Res created = api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", "http://127.0.0.1:1/hooks")
      .put("events", new JsonArray(io.stockroom.webhook.WebhookEvents.TYPES)));
    assertEquals(201, created.status(), created::toString);
    return created.id();
  }

  @Test
  @DisplayName("order placement failing at any step leaves no trace, and no webhook event")
  void orderPlacement() {
    Session owner = api.signup("FP Order Co");
    String hook = hook(owner);
    String product = api.createProduct(owner, "FP");
    String a = api.createVariant(owner, product, "FP-A", 100, 10).getString("id");
    String b = api.createVariant(owner, product, "FP-B", 100, 10).getString("id");
    int steps = failEveryStep(owner, OrderContract.PLACE.unitName(), () -> api.placeOrderAsync(owner, Api.order(a, 2, b, 3), Api.newKey()).await(), 201);
    assertEquals(6, steps, "per line the stock update and the movement (which carries the stock event); then the order and "
      + "the Idempotency-Key record");
    WebhookLedger.assertDeliveredOnce(stack.mongo, owner.tenantId(), hook, WebhookLedger.FOLLOWER_BOUND_MS);
    assertEquals(4, WebhookLedger.delivered(stack.mongo, owner.tenantId(), hook).size(),
      "the two openings (stock.changed) and the one order that committed (stock.changed, order.placed): the 10 failed tries made none");
  }

  @Test
  @DisplayName("receiving failing at any step leaves no trace")
  void receipt() {
    Session owner = api.signup("FP Receipt Co");
    String product = api.createProduct(owner, "FP");
    String a = api.createVariant(owner, product, "FPR-A", 100).getString("id");
    String b = api.createVariant(owner, product, "FPR-B", 100).getString("id");
    String supplier = api.createSupplier(owner, "S");
    Res po = api.post("/api/v1/purchase-orders", owner.token(), new JsonObject().put("supplierId", supplier).put("items", new JsonArray()
      .add(new JsonObject().put("variantId", a).put("quantity", 5).put("unitCost", 100))
      .add(new JsonObject().put("variantId", b).put("quantity", 5).put("unitCost", 100))));
    String id = po.id();
    api.post("/api/v1/purchase-orders/" + id + "/send", owner.token(), null);
    api.post("/api/v1/purchase-orders/" + id + "/confirm", owner.token(), null);
    JsonObject receipt = new JsonObject().put("items", new JsonArray()
      .add(new JsonObject().put("variantId", a).put("quantity", 5).put("unitCost", 120))
      .add(new JsonObject().put("variantId", b).put("quantity", 5)));
    int steps = failEveryStep(owner, PurchasingContract.RECEIVE.unitName(),
      () -> api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + id + "/receipts", owner.token(), receipt, Api.newKey()).await(), 201);
    assertEquals(10, steps, "PO compare-and-set; per line stock and movement; the order is complete, so per line one open "
      + "order less, and the supplier's count; then the receipt and the key record");
    assertEquals("RECEIVED", api.get("/api/v1/purchase-orders/" + id, owner.token()).json().getString("status"));
  }

  @Test
  @DisplayName("cancel and return failing at any step leave no trace")
  void cancelAndReturn() {
    Session owner = api.signup("FP Cancel Co");
    String product = api.createProduct(owner, "FP");
    String a = api.createVariant(owner, product, "FPC-A", 100, 10).getString("id");
    String b = api.createVariant(owner, product, "FPC-B", 100, 10).getString("id");
    String order = api.placeOrder(owner, Api.order(a, 3, b, 3)).id();
    int returnSteps = failEveryStep(owner, OrderContract.RETURN.unitName(), () -> api.send(HttpMethod.POST, "/api/v1/orders/" + order + "/returns",
      owner.token(), Api.order(a, 1, b, 2).put("reason", "damaged"), Api.newKey()).await(), 201);
    assertEquals(6, returnSteps, "order compare-and-set, per line stock and movement, the key record");
    int cancelSteps = failEveryStep(owner, OrderContract.CANCEL.unitName(),
      () -> api.post("/api/v1/orders/" + order + "/cancel", owner.token(), null), 200);
    assertEquals(6, cancelSteps, "order compare-and-set, per line stock and movement, the key record");
    assertEquals(10, api.stock(owner, a));
  }

  @Test
  @DisplayName("purchase-order transitions that change incoming quantities leave no trace when they fail")
  void purchaseOrderTransitions() {
    Session owner = api.signup("FP PO Co");
    String product = api.createProduct(owner, "FP");
    String a = api.createVariant(owner, product, "FPT-A", 100).getString("id");
    String supplier = api.createSupplier(owner, "S");
    String po = api.createPurchaseOrder(owner, supplier, a, 6, 100);
    // sending lifts the variant out of low stock (6 incoming), closing short drops it back in: each an outbox event;
    // each transition also completes its Idempotency-Key record inside the unit
    assertEquals(4, failEveryStep(owner, PurchasingContract.SEND.unitName(), () -> api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null), 200));
    assertEquals(2, failEveryStep(owner, PurchasingContract.CONFIRM.unitName(), () -> api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null), 200));
    assertEquals(201, api.receive(owner, po, a, 2).status());
    assertEquals(5, failEveryStep(owner, PurchasingContract.CLOSE.unitName(), () -> api.post("/api/v1/purchase-orders/" + po + "/close", owner.token(), null), 200));
  }

  @Test
  @DisplayName("variant price changes and deletions failing at any step leave no trace")
  void catalogUnits() {
    Session owner = api.signup("FP Catalog Co");
    String product = api.createProduct(owner, "FP");
    String v = api.createVariant(owner, product, "FPV", 100, 4).getString("id");
    assertEquals(1, failEveryStep(owner, CatalogContract.VARIANTS_UPDATE.unitName(),
      () -> api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("price", 250).put("reorderLevel", 9)), 200));
    String empty = api.createVariant(owner, product, "FPV-EMPTY", 100).getString("id");
    assertEquals(2, failEveryStep(owner, CatalogContract.VARIANTS_DELETE.unitName(), () -> api.delete("/api/v1/variants/" + empty, owner.token()), 204));
  }

  @Test
  @DisplayName("adjustments, counts and opening stock failing at any step leave no trace")
  void adjustmentsAndCounts() {
    Session owner = api.signup("FP Adjust Co");
    String product = api.createProduct(owner, "FP");
    String v = api.createVariant(owner, product, "FPA", 100, 10).getString("id");
    assertEquals(4, failEveryStep(owner, InventoryContract.ADJUST.unitName(), () -> api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments",
      owner.token(), new JsonObject().put("quantity", -4).put("reason", "shrinkage"), Api.newKey()).await(), 201));
    assertEquals(4, failEveryStep(owner, InventoryContract.COUNT.unitName(), () -> api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/counts",
      owner.token(), new JsonObject().put("expectedQuantity", 6).put("countedQuantity", 9), Api.newKey()).await(), 201));
    assertEquals(9, api.stock(owner, v));
    int openingSteps = failEveryStep(owner, CatalogContract.VARIANT_MATRIX_CREATE.unitName(), () -> api.post("/api/v1/products/" + product + "/variant-matrix",
      owner.token(), new JsonObject().put("matrix", new JsonObject().put("size", new JsonArray().add("S").add("M")))
        .put("skuPattern", "FPM-{size}").put("price", 100).put("openingStock", 7)), 201);
    assertEquals(6, openingSteps, "the product's variant count; per variant the variant (with its opening stock) and its movement; the key record");
  }

  @Test
  @DisplayName("the location and reservation units failing at any step leave no trace, and no webhook event")
  void locationsAndReservations() {
    Session owner = api.signup("FP Locations Co");
    String hook = hook(owner);
    String store = api.createLocation(owner, "FP-STORE");
    String product = api.createProduct(owner, "FP");
    String a = api.createVariant(owner, product, "FPL-A", 100, 10).getString("id");
    String b = api.createVariant(owner, product, "FPL-B", 100, 10).getString("id");
    assertEquals(5, failEveryStep(owner, InventoryContract.ADJUST.unitName(), () -> api.send(HttpMethod.POST, "/api/v1/variants/" + a + "/adjustments",
      owner.token(), new JsonObject().put("quantity", 4).put("reason", "put away").put("locationId", store), Api.newKey()).await(), 201),
      "the variant, the store's stocked count, the movement, the adjustment, the key");
    assertEquals(4, failEveryStep(owner, InventoryContract.STATE_MOVE.unitName(), () -> api.send(HttpMethod.POST, "/api/v1/variants/" + b + "/state-moves",
      owner.token(), new JsonObject().put("from", "available").put("to", "damaged").put("quantity", 2).put("reason", "dropped"), Api.newKey()).await(), 201),
      "the variant, the movement, the daily rollup, the key; damaged units are still on hand and the variant "
        + "stays above its reorder level, so no totals counter moves and the totals are not written");
    JsonObject hold = new JsonObject().put("ttlSeconds", 600).put("items", new JsonArray()
      .add(new JsonObject().put("variantId", a).put("quantity", 12)).add(new JsonObject().put("variantId", b).put("quantity", 3)));
    int holdSteps = failEveryStep(owner, OrderContract.RESERVE.unitName(),
      () -> api.send(HttpMethod.POST, "/api/v1/reservations", owner.token(), hold, Api.newKey()).await(), 201);
    assertEquals(8, holdSteps, "three holds (a at two locations, b), each variant and movement (both variants entering low "
      + "stock: their movements carry it); the reservation; the key");
    String reservation = api.get("/api/v1/reservations?status=ACTIVE", owner.token()).items().getJsonObject(0).getString("id");
    JsonObject consume = Api.order(a, 11, b, 1).put("reservationId", reservation);
    assertTrue(failEveryStep(owner, OrderContract.PLACE.unitName(), () -> api.placeOrderAsync(owner, consume, Api.newKey()).await(), 201) > 10);
    String second = api.send(HttpMethod.POST, "/api/v1/reservations", owner.token(), new JsonObject().put("ttlSeconds", 600)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", b).put("quantity", 2))), Api.newKey()).await().id();
    // the variant and movement of the release (b leaving low stock goes with the movement); the reservation; the key
    assertEquals(4, failEveryStep(owner, OrderContract.RELEASE.unitName(),
      () -> api.send(HttpMethod.POST, "/api/v1/reservations/" + second + "/release", owner.token(), null, Api.newKey()).await(), 200));
    String order = api.placeOrder(owner, Api.order(a, 2)).id();
    assertTrue(failEveryStep(owner, OrderContract.RETURN.unitName(), () -> api.send(HttpMethod.POST, "/api/v1/orders/" + order + "/returns",
      owner.token(), new JsonObject().put("reason", "broken").put("items", new JsonArray().add(new JsonObject().put("variantId", a)
        .put("quantity", 2).put("locationId", store).put("damaged", true))), Api.newKey()).await(), 201) >= 4,
      "the order, the variant and movement of the units coming back damaged, the key");
    WebhookLedger.assertDeliveredOnce(stack.mongo, owner.tenantId(), hook, WebhookLedger.FOLLOWER_BOUND_MS);
  }

  @Test
  @DisplayName("shipping and receiving a transfer failing at any step leaves no trace")
  void transfers() {
    Session owner = api.signup("FP Transfer Co");
    String store = api.createLocation(owner, "FP-T");
    String product = api.createProduct(owner, "FP");
    String a = api.createVariant(owner, product, "FPT-A", 100, 10).getString("id");
    String b = api.createVariant(owner, product, "FPT-B", 100, 10).getString("id");
    JsonObject plan = new JsonObject().put("fromLocationId", owner.tenantId()).put("toLocationId", store)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", a).put("quantity", 3)).add(new JsonObject().put("variantId", b).put("quantity", 4)));
    assertEquals(2, failEveryStep(owner, io.stockroom.transfer.TransferContract.CREATE.unitName(),
      () -> api.send(HttpMethod.POST, "/api/v1/transfers", owner.token(), plan, Api.newKey()).await(), 201), "the transfer and the key");
    String doomed = api.get("/api/v1/transfers", owner.token()).items().getJsonObject(0).getString("id");
    assertEquals(2, failEveryStep(owner, io.stockroom.transfer.TransferContract.CANCEL.unitName(),
      () -> api.send(HttpMethod.POST, "/api/v1/transfers/" + doomed + "/cancel", owner.token(), null, Api.newKey()).await(), 200));
    Res transfer = api.post("/api/v1/transfers", owner.token(), plan);
    assertEquals(201, transfer.status(), transfer::toString);
    String path = "/api/v1/transfers/" + transfer.id();
    assertTrue(failEveryStep(owner, io.stockroom.transfer.TransferContract.SHIP.unitName(),
      () -> api.send(HttpMethod.POST, path + "/ship", owner.token(), null, Api.newKey()).await(), 200) > 10);
    assertTrue(failEveryStep(owner, io.stockroom.transfer.TransferContract.RECEIVE.unitName(),
      () -> api.send(HttpMethod.POST, path + "/receive", owner.token(), new JsonObject().put("items", new JsonArray()
        .add(new JsonObject().put("variantId", a).put("quantity", 3)).add(new JsonObject().put("variantId", b).put("quantity", 1))),
        Api.newKey()).await(), 200) >= 6, "per line the variant and movement, the transfer, the key");
  }

  @Test
  @DisplayName("the background expiry of a reservation failing at any step leaves it held, and a later run expires it")
  void reservationExpiry() throws Exception {
    Session owner = api.signup("FP Expiry Co");
    String v = api.createVariant(owner, api.createProduct(owner, "FP"), "FPE", 100, 5).getString("id");
    Res held = api.send(HttpMethod.POST, "/api/v1/reservations", owner.token(), new JsonObject().put("ttlSeconds", 1)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 3))), Api.newKey()).await();
    assertEquals(201, held.status(), held::toString);
    String unit = "reservations.expire";
    LockManager locks = new LockManager(stack.vertx, Redis.createClient(stack.vertx, stack.settings.string(ConfigKey.REDIS_URI)),
      new LockManager.LockSettings(30_000, 8_000, 16, 1_000));
    String before = Invariants.snapshot(stack, owner.tenantId());
    int step = 0;
    Failpoints.arm(stack.vertx, unit, owner.tenantId(), step);
    while (true) {
      // EXPIRED once the unit finished. In rerun mode its first, undone run shows EXPIRED for a moment, and its undo
      // can end between two reads: EXPIRED, then no unit open, then still EXPIRED (an undo restores the reservation
      // before it closes its journal entry).
      BooleanSupplier status = () -> "EXPIRED".equals(stack.mongo.findOne("reservations", new JsonObject().put("_id", held.id()), null)
        .await().getString("status"));
      BooleanSupplier expired = () -> status.getAsBoolean()
        && stack.mongo.find("unit_journal", new JsonObject().put("tenantId", owner.tenantId())).await().isEmpty() && status.getAsBoolean();
      if (Eventually.value(Duration.ofSeconds(10), expired::getAsBoolean,
        done -> done || !Failpoints.isArmed(stack.vertx, unit, owner.tenantId()))) break;
      int failedStep = step;
      // hold the reservation's lock while looking: the failed run has undone its steps, the next run (2 s on) waits
      LockManager.Lease lease = locks.acquire(List.of(ReservationRepository.LOCK.key(owner.tenantId(), held.id()))).await();
      try {
        assertEquals("ACTIVE", stack.mongo.findOne("reservations", new JsonObject().put("_id", held.id()), null).await().getString("status"));
        assertEquals(before, Invariants.snapshot(stack, owner.tenantId()), () -> "the expiry left a trace after failing at step " + failedStep);
        Failpoints.arm(stack.vertx, unit, owner.tenantId(), step + 1);  // before a run waiting for the lock goes on
      } finally {
        lease.release().await();
      }
      step++;
      assertTrue(step < 20, "the expiry never completed");
    }
    Failpoints.disarm(stack.vertx, unit, owner.tenantId());
    assertEquals(3, step, "the variant, the movement, the reservation (the units return to available: no totals counter moves)");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("an import row failing at any step of its unit is reported and leaves no trace; the same row then applies")
  void importRows() throws Exception {
    Session owner = api.signup("FP Import Co");
    api.createLocation(owner, "FP-I");
    for (String file : List.of("product,sku,price,stock,location\nNew Product,FPI-1,100,5,FP-I\n",
      "product,sku,price,reorderLevel,stock\nNew Product,FPI-1,150,3,2\n")) {
      int step = 0;
      while (true) {
        String before = Invariants.snapshot(stack, owner.tenantId());
        Failpoints.arm(stack.vertx, "imports.row", owner.tenantId(), step);
        Res started = api.send(HttpMethod.POST, "/api/v1/imports", owner.token(), new Api.Upload("text/csv", file)).await();
        assertEquals(202, started.status(), started::toString);
        JsonObject job = Eventually.value(Duration.ofSeconds(10), () -> api.get("/api/v1/imports/" + started.id(), owner.token()).json(),
          polled -> !"RUNNING".equals(polled.getString("status")));
        if (job.getInteger("applied") == 1) {
          Failpoints.disarm(stack.vertx, "imports.row", owner.tenantId());
          break;
        }
        assertEquals(1, job.getInteger("failed"), job::encode);
        int failedStep = step;
        assertEquals(before, Invariants.snapshot(stack, owner.tenantId()), () -> "an import row left a trace after failing at step " + failedStep);
        step++;
        assertTrue(step < 30, "the row never applied");
      }
      assertTrue(step >= 3, "the row's unit has several steps: " + step);
    }
    JsonObject variant = api.get("/api/v1/variants?sku=FPI-1", owner.token()).items().getJsonObject(0);
    assertEquals(150, variant.getLong("price"));
    assertEquals(7, variant.getLong("stock"), "5 at the store, 2 counted at the default location");
    assertEquals(1, api.get("/api/v1/products", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }
}
