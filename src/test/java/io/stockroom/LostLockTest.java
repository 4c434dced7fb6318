package io.stockroom;

import io.stockroom.order.OrderContract;
import io.stockroom.platform.unit.Failpoints;
import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.SecondInstance;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Locks lost mid-unit, with two instances on one MongoDB and one Redis and no cluster between them: only Redis and the
 * database coordinate them. A holder paused past its lock's lifetime, or whose lock key vanished, while another holder
 * sells must have its writes refused by the database guard (the fence and the write identity); every test ends with
 * the ledger and stock invariants.
 */
class LostLockTest {
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

  private static String variant(Session owner, String sku, long stock) {
    return api.createVariant(owner, api.createProduct(owner, sku), sku, 1_000, stock).getString("id");
  }

  @Test
  @DisplayName("a holder paused past its lock's lifetime while another sells: its writes are refused, exactly one sale")
  void pausedPastTtl() throws InterruptedException {
    Session owner = api.signup("Paused Holder Co");
    String v = variant(owner, "PAUSED", 10);
    Failpoints.armPause(second.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), 0, 2_500);
    Future<Res> stale = second.api.placeOrderAsync(owner, Api.order(v, 7), Api.newKey());
    Thread.sleep(1_500);  // its 1 s lock expired while it is paused
    Res fresh = api.placeOrderAsync(owner, Api.order(v, 5), Api.newKey()).await();
    assertEquals(201, fresh.status(), fresh::toString);
    Res refused = stale.await();
    assertTrue(refused.status() == 409 || refused.status() == 503, refused::toString);
    assertEquals(5, api.stock(owner, v), "only the second holder sold");
    assertEquals(1, api.get("/api/v1/orders", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a holder whose lock key is deleted from Redis while another sells: its writes are refused, exactly one sale")
  void lockKeyDeleted() throws InterruptedException {
    Session owner = api.signup("Vanished Lock Co");
    String v = variant(owner, "VANISH", 10);
    Failpoints.armPause(stack.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), 0, 1_500);
    Future<Res> stale = api.placeOrderAsync(owner, Api.order(v, 7), Api.newKey());
    Thread.sleep(400);
    assertTrue(second.deleteLocks() >= 1, "the paused holder's lock was in Redis");
    Res fresh = second.api.placeOrderAsync(owner, Api.order(v, 5), Api.newKey()).await();
    assertEquals(201, fresh.status(), fresh::toString);
    Res refused = stale.await();
    assertTrue(refused.status() == 409 || refused.status() == 503, refused::toString);
    assertEquals(5, api.stock(owner, v), "only the second holder sold");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("buyers and receipts race through both instances while every lock key keeps vanishing: no oversell, no over-receipt, no 500")
  void raceWhileLocksVanish() throws Exception {
    Session owner = api.signup("Vanishing Locks Co");
    String hot = variant(owner, "HOT", 30);
    String other = variant(owner, "OTHER", 20);
    String received = variant(owner, "INBOUND", 0);
    String supplier = api.createSupplier(owner, "Supplier");
    String po = api.createPurchaseOrder(owner, supplier, received, 20, 250);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null).status());
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null).status());

    AtomicBoolean racing = new AtomicBoolean(true);
    AtomicInteger deletions = new AtomicInteger();
    Thread deleter = new Thread(() -> {
      while (racing.get()) {
        deletions.addAndGet(second.deleteLocks());
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    deleter.start();
    List<Future<Res>> orders = new ArrayList<>();
    List<Long> wanted = new ArrayList<>();
    List<Future<Res>> receipts = new ArrayList<>();
    try {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 24; i++) {
          Api via = i % 2 == 0 ? api : second.api;
          long quantity = 1 + ThreadLocalRandom.current().nextInt(3);
          JsonObject order = i % 3 == 0 ? Api.order(hot, quantity, other, 1L) : Api.order(hot, quantity);
          wanted.add(quantity);
          orders.add(via.placeOrderAsync(owner, order, Api.newKey()));
        }
        for (int i = 0; i < 6; i++) {
          Api via = i % 2 == 0 ? api : second.api;
          receipts.add(via.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", owner.token(),
            new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", received).put("quantity", 3))),
            Api.newKey()));
        }
        Future.join(new ArrayList<Future<Res>>(orders)).otherwiseEmpty().await();
        Future.join(new ArrayList<Future<Res>>(receipts)).otherwiseEmpty().await();
      }
    } finally {
      racing.set(false);
      deleter.join();
    }
    assertTrue(deletions.get() > 0, "lock keys were deleted during the race");

    List<Res> orderResults = orders.stream().map(Future::result).toList();
    List<Res> receiptResults = receipts.stream().map(Future::result).toList();
    Map<Integer, Long> statuses = new java.util.TreeMap<>(java.util.stream.Stream.concat(orderResults.stream(), receiptResults.stream())
      .collect(Collectors.groupingBy(Res::status, Collectors.counting())));
    assertTrue(orderResults.stream().allMatch(r -> List.of(201, 409, 503).contains(r.status()))
      && receiptResults.stream().allMatch(r -> List.of(201, 409, 503).contains(r.status())), () -> statuses + " "
      + java.util.stream.Stream.concat(orderResults.stream(), receiptResults.stream()).filter(r -> r.status() >= 500 && r.status() != 503).count()
      + " repairs: " + stack.mongo.find("unit_repairs", new JsonObject().put("tenantId", owner.tenantId())).await());

    long soldHot = 0;
    long soldOther = 0;
    int accepted = 0;
    for (int i = 0; i < orderResults.size(); i++) {
      if (orderResults.get(i).status() != 201) continue;
      accepted++;
      soldHot += wanted.get(i);
      if (i % 24 % 3 == 0) soldOther++;
    }
    assertTrue(soldHot <= 30, "never more sold than there was: " + soldHot);
    assertEquals(30 - soldHot, api.stock(owner, hot), "stock is what was there less what the accepted orders took");
    assertEquals(20 - soldOther, api.stock(owner, other));
    assertEquals(accepted, api.get("/api/v1/orders?limit=200", owner.token()).items().size(), "the orders listed are the orders accepted");

    long receivedUnits = 3 * receiptResults.stream().filter(r -> r.status() == 201).count();
    assertTrue(receivedUnits <= 20, "a purchase order is never over-received: " + receivedUnits);
    assertEquals(receivedUnits, api.stock(owner, received));
    assertEquals(receivedUnits, api.get("/api/v1/purchase-orders/" + po, owner.token()).json().getLong("receivedUnits"));
    Invariants.assertHold(stack, owner);
  }
}
