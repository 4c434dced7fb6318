package io.stockroom;

import io.stockroom.order.OrderContract;
import io.stockroom.platform.unit.Failpoints;
import io.stockroom.purchasing.PurchasingContract;
import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.SecondInstance;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.support.WebhookLedger;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Function;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes whose answer is lost count as maybe applied: their undo is kept, so the unit is rolled back completely and a
 * retry with the same Idempotency-Key does the work exactly once. And a unit whose commit mark's answer is lost while
 * the database is out of reach is left to recovery, which settles it if the mark landed and undoes it otherwise.
 */
class UnknownOutcomeTest {
  private static final TestStack stack = TestStack.get();
  private static final Api api = stack.api;
  private static SecondInstance second;

  @BeforeAll
  static void startSecond() {
    second = SecondInstance.withShortLocks(stack);
  }

  @AfterAll
  static void stopSecond() {
    second.close();
  }

  /**
   * Loses the answer of each step's write in turn: the request fails with 503 and leaves nothing behind, and the
   * retry with the same key succeeds; until the step is past the unit's last one.
   *
   * @return how many steps the unit has
   */
  private int loseEveryAck(Session owner, String unit, Function<String, Res> request, int success, Runnable afterSuccess) {
    for (int step = 0; step < 50; step++) {
      String before = Invariants.snapshot(stack, owner.tenantId());
      Failpoints.armLostAck(stack.vertx, unit, owner.tenantId(), step);
      String key = Api.newKey();
      Res first = request.apply(key);
      if (first.status() == success) {
        Failpoints.disarm(stack.vertx, unit, owner.tenantId());
        afterSuccess.run();
        Invariants.assertHold(stack, owner);
        return step;
      }
      int lost = step;
      assertProblem(first, 503);
      assertEquals(before, Invariants.snapshot(stack, owner.tenantId()), () -> unit + " left a trace after losing the answer of step " + lost);
      Res retry = request.apply(key);
      assertEquals(success, retry.status(), () -> "retry after the lost answer of step " + lost + ": " + retry);
      afterSuccess.run();
      Invariants.assertHold(stack, owner);
    }
    throw new AssertionError(unit + " never completed");
  }

  @Test
  @DisplayName("a receipt whose write answer is lost at any step (the purchase order's RECEIVED included) is received exactly once on retry")
  void receiptAckLost() {
    Session owner = api.signup("Lost Ack Receipt Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Box"), "LOST-ACK-R", 100).getString("id");
    String supplier = api.createSupplier(owner, "S");
    String po = api.createPurchaseOrder(owner, supplier, v, 1_000, 100);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null).status());
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null).status());
    JsonObject receipt = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 1)));
    long[] received = {0};
    int steps = loseEveryAck(owner, PurchasingContract.RECEIVE.unitName(),
      key -> api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", owner.token(), receipt, key).await(), 201,
      () -> {
        received[0]++;
        assertEquals(received[0], api.stock(owner, v), "each receipt counted once");
        assertEquals(received[0], api.get("/api/v1/purchase-orders/" + po, owner.token()).json().getLong("receivedUnits"));
      });
    assertTrue(steps >= 5, "every step of the receipt had its answer lost once: " + steps);

    // The last units: the receipt turns the purchase order RECEIVED; that write's answer is lost first.
    String last = api.createPurchaseOrder(owner, supplier, v, 2, 100);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + last + "/send", owner.token(), null).status());
    assertEquals(200, api.post("/api/v1/purchase-orders/" + last + "/confirm", owner.token(), null).status());
    Failpoints.armLostAck(stack.vertx, PurchasingContract.RECEIVE.unitName(), owner.tenantId(), 0);
    String key = Api.newKey();
    JsonObject all = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 2)));
    assertProblem(api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + last + "/receipts", owner.token(), all, key).await(), 503);
    assertEquals("CONFIRMED", api.get("/api/v1/purchase-orders/" + last, owner.token()).json().getString("status"));
    assertEquals(201, api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + last + "/receipts", owner.token(), all, key).await().status());
    assertEquals("RECEIVED", api.get("/api/v1/purchase-orders/" + last, owner.token()).json().getString("status"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a cancellation whose write answer is lost at any step gives every unit back exactly once on retry, with one webhook event")
  void cancellationAckLost() {
    Session owner = api.signup("Lost Ack Cancel Co");
    String hook = hook(owner);
    String v = api.createVariant(owner, api.createProduct(owner, "Box"), "LOST-ACK-C", 100, 100).getString("id");
    String[] order = {api.placeOrder(owner, Api.order(v, 3)).id()};
    loseEveryAck(owner, OrderContract.CANCEL.unitName(),
      key -> api.send(HttpMethod.POST, "/api/v1/orders/" + order[0] + "/cancel", owner.token(), null, key).await(), 200,
      () -> {
        assertEquals("CANCELLED", api.get("/api/v1/orders/" + order[0], owner.token()).json().getString("status"));
        assertEquals(100, api.stock(owner, v), "the cancelled units came back once");
        order[0] = api.placeOrder(owner, Api.order(v, 3)).id();
      });
    // each try whose answer was lost rolled back, its movements visible meanwhile: only the retries made events
    WebhookLedger.assertDeliveredOnce(stack.mongo, owner.tenantId(), hook, WebhookLedger.FOLLOWER_BOUND_MS);
  }

  /** An endpoint (at a closed port: its deliveries stay pending) that wants every event. */
  private static String hook(Session owner) {
    Res created = api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", "http://127.0.0.1:1/hooks")
      .put("events", new JsonArray(io.stockroom.webhook.WebhookEvents.TYPES)));
    assertEquals(201, created.status(), created::toString);
    return created.id();
  }

  @Test
  @DisplayName("a commit mark whose answer is lost while the database is out of reach: recovery settles the unit that committed")
  void commitInDoubtLanded() throws InterruptedException {
    InDoubt unit = commitInDoubt("In Doubt Landed Co", true);
    assertEquals(6, api.stock(unit.owner(), unit.variant()), "the order committed and was settled");
    Res replay = unit.retry();
    assertEquals(201, replay.status(), replay::toString);
    assertEquals(6, api.stock(unit.owner(), unit.variant()), "the retry found the stored answer");
    assertEquals(1, api.get("/api/v1/orders", unit.owner().token()).items().size());
    WebhookLedger.assertDeliveredOnce(stack.mongo, unit.owner().tenantId(), unit.hook(), WebhookLedger.FOLLOWER_BOUND_MS);
    assertEquals(2, WebhookLedger.delivered(stack.mongo, unit.owner().tenantId(), unit.hook()).size(), "the settled order's two messages");
    Invariants.assertHold(stack, unit.owner());
  }

  @Test
  @DisplayName("a commit mark that never landed while the database is out of reach: recovery undoes the unit, the retry then runs it")
  void commitInDoubtLost() throws InterruptedException {
    InDoubt unit = commitInDoubt("In Doubt Lost Co", false);
    assertEquals(10, api.stock(unit.owner(), unit.variant()), "the unit that never committed was undone");
    assertEquals(0, api.get("/api/v1/orders", unit.owner().token()).items().size());
    Res retry = unit.retry();
    assertEquals(201, retry.status(), retry::toString);
    assertEquals(6, api.stock(unit.owner(), unit.variant()));
    WebhookLedger.assertDeliveredOnce(stack.mongo, unit.owner().tenantId(), unit.hook(), WebhookLedger.FOLLOWER_BOUND_MS);
    assertEquals(2, WebhookLedger.delivered(stack.mongo, unit.owner().tenantId(), unit.hook()).size(),
      "only the retry's order: the undone unit's movements, visible until recovery, made no event");
    Invariants.assertHold(stack, unit.owner());
  }

  /** An order of 4 of a variant's 10 units, placed through the second instance with {@code key}. */
  private record InDoubt(Session owner, String variant, String key, String hook) {
    Res retry() {
      return second.api.placeOrderAsync(owner, Api.order(variant, 4), key).await();
    }
  }

  /**
   * An order whose commit mark's answer was lost while the database was out of reach: it got 503 and was left to
   * recovery, which has finished when this returns.
   */
  private InDoubt commitInDoubt(String tenant, boolean landed) throws InterruptedException {
    Session owner = api.signup(tenant);
    String v = api.createVariant(owner, api.createProduct(owner, "Box"), "DOUBT", 100, 10).getString("id");
    String hook = hook(owner);
    Failpoints.armCommitInDoubt(second.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), landed);
    InDoubt unit = new InDoubt(owner, v, Api.newKey(), hook);
    assertProblem(unit.retry(), 503);
    awaitJournalEmpty(owner);
    return unit;
  }

  private void awaitJournalEmpty(Session owner) {
    JsonObject scope = new JsonObject().put("tenantId", owner.tenantId());
    // Recovery takes the entry once its lease (a third of locks.ttlMs) ran out; when the unit's own locks are about to
    // expire it waits for them instead, up to locks.ttlMs (30 s) and one more sweep.
    assertTrue(Eventually.holds(Duration.ofSeconds(40), () -> stack.mongo.find("unit_journal", scope).await().isEmpty()),
      "the unit left to recovery was recovered");
  }
}
