package io.stockroom;

import io.stockroom.support.Api;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real races over HTTP: many requests in flight at once, then the ledger invariants. */
class ConcurrencyTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private static List<Res> race(int n, Function<Integer, Future<Res>> request) {
    List<Future<Res>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(request.apply(i));
    Future.join(all).await();
    return all.stream().map(Future::result).toList();
  }

  private static Map<Integer, Long> byStatus(List<Res> results) {
    return results.stream().collect(Collectors.groupingBy(Res::status, Collectors.counting()));
  }

  @Test
  @DisplayName("last items: stock 5, 60 concurrent buyers of one unit: exactly 5 win, the rest get 409, stock ends at 0")
  void lastItems() {
    Session owner = api.signup("Last Item Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Rare"), "RARE", 10_000, 5).getString("id");
    List<Res> results = race(60, i -> api.placeOrderAsync(owner, Api.order(v, 1), Api.newKey()));
    Map<Integer, Long> counts = byStatus(results);
    assertEquals(Map.of(201, 5L, 409, 55L), counts, results::toString);
    assertEquals(0, api.stock(owner, v));
    assertEquals(5, api.get("/api/v1/stock-movements?type=SALE&variantId=" + v, owner.token()).items().size());
    assertEquals(5, api.get("/api/v1/orders", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("crossing multi-line orders {A,B} and {B,A} at once: no deadlock, never oversold")
  void crossingOrders() {
    Session owner = api.signup("Crossing Co");
    String product = api.createProduct(owner, "Pair");
    String a = api.createVariant(owner, product, "PAIR-A", 100, 20).getString("id");
    String b = api.createVariant(owner, product, "PAIR-B", 100, 30).getString("id");
    List<Res> results = race(40, i -> api.placeOrderAsync(owner, i % 2 == 0 ? Api.order(a, 1, b, 1) : Api.order(b, 1, a, 1), Api.newKey()));
    Map<Integer, Long> counts = byStatus(results);
    assertEquals(Map.of(201, 20L, 409, 20L), counts, results::toString);
    assertEquals(0, api.stock(owner, a));
    assertEquals(10, api.stock(owner, b));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a hot variant with enough stock: 200 concurrent buyers all succeed (they queue, they do not fail)")
  void hotVariant() {
    Session owner = api.signup("Hot Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Hot"), "HOT", 500, 1000).getString("id");
    List<Res> results = race(200, i -> api.placeOrderAsync(owner, Api.order(v, 2), Api.newKey()));
    assertEquals(Map.of(201, 200L), byStatus(results), () -> results.stream().filter(r -> r.status() != 201).limit(3).toList().toString());
    assertEquals(600, api.stock(owner, v));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("the same receipt sent 10 times at once with one key is counted once; the others replay or get 409")
  void duplicateReceiptCountedOnce() {
    Session owner = api.signup("Receipt Race Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Box"), "BOX", 100).getString("id");
    String po = confirmedPurchaseOrder(owner, v, 10);
    String key = Api.newKey();
    JsonObject receipt = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 4)));
    List<Res> results = race(10, i -> api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", owner.token(), receipt, key));
    long created = results.stream().filter(r -> r.status() == 201).count();
    assertTrue(created >= 1, results::toString);
    assertTrue(results.stream().allMatch(r -> r.status() == 201 || r.status() == 409), results::toString);
    String receiptId = results.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json().getJsonObject("receipt").getString("id");
    results.stream().filter(r -> r.status() == 201)
      .forEach(r -> assertEquals(receiptId, r.json().getJsonObject("receipt").getString("id"), "a replay answers the original receipt"));
    assertEquals(4, api.stock(owner, v));
    assertEquals(1, api.get("/api/v1/purchase-orders/" + po + "/receipts", owner.token()).items().size());
    assertEquals(4, api.get("/api/v1/purchase-orders/" + po, owner.token()).json().getLong("receivedUnits"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("concurrent receipts with different keys never receive more than was ordered")
  void receiptsNeverExceedOrdered() {
    Session owner = api.signup("Over Receipt Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Crate"), "CRATE", 100).getString("id");
    String po = confirmedPurchaseOrder(owner, v, 10);
    List<Res> results = race(12, i -> api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", owner.token(),
      new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 3))), Api.newKey()));
    assertEquals(Map.of(201, 3L, 409, 9L), byStatus(results), results::toString);
    assertEquals(9, api.stock(owner, v));
    JsonObject after = api.get("/api/v1/purchase-orders/" + po, owner.token()).json();
    assertEquals(9, after.getLong("receivedUnits"));
    assertEquals("CONFIRMED", after.getString("status"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("orders, returns, adjustments and receipts racing on the same variants keep the ledger exact")
  void mixedWorkload() {
    Session owner = api.signup("Mixed Co");
    String product = api.createProduct(owner, "Mix");
    String a = api.createVariant(owner, product, "MIX-A", 100, 50).getString("id");
    String b = api.createVariant(owner, product, "MIX-B", 100, 50).getString("id");
    String po = confirmedPurchaseOrder(owner, a, 100);
    String returnable = api.placeOrder(owner, Api.order(a, 10, b, 10)).id();
    List<Res> results = race(60, i -> switch (i % 4) {
      case 0 -> api.placeOrderAsync(owner, Api.order(a, 3, b, 2), Api.newKey());
      case 1 -> api.send(HttpMethod.POST, "/api/v1/variants/" + b + "/adjustments", owner.token(),
        new JsonObject().put("quantity", -1).put("reason", "breakage"), Api.newKey());
      case 2 -> api.send(HttpMethod.POST, "/api/v1/orders/" + returnable + "/returns", owner.token(),
        Api.order(a, 1).put("reason", "return"), Api.newKey());
      default -> api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", owner.token(),
        new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", a).put("quantity", 5))), Api.newKey());
    });
    assertTrue(results.stream().allMatch(r -> r.status() == 201 || r.status() == 409), () -> byStatus(results).toString());
    assertTrue(api.stock(owner, a) >= 0 && api.stock(owner, b) >= 0);
    Invariants.assertHold(stack, owner);
  }

  private String confirmedPurchaseOrder(Session owner, String variantId, long quantity) {
    String supplier = api.createSupplier(owner, "Supplier");
    String po = api.createPurchaseOrder(owner, supplier, variantId, quantity, 250);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null).status());
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null).status());
    return po;
  }
}
