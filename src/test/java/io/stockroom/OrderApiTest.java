package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

class OrderApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  @Test
  @DisplayName("an order snapshots prices, totals lines, decrements stock and writes SALE movements")
  void placeOrder() {
    Session owner = api.signup("Orders Co");
    String product = api.createProduct(owner, "Mug");
    String a = api.createVariant(owner, product, "MUG-A", 1250, 10).getString("id");
    String b = api.createVariant(owner, product, "MUG-B", 300, 4).getString("id");
    Res placed = api.placeOrder(owner, Api.order(a, 2, b, 3, a, 1).put("note", "gift").put("customer", new JsonObject().put("name", "Bo")));
    JsonObject order = placed.json();
    assertEquals("PLACED", order.getString("status"));
    assertEquals(2, order.getJsonArray("lines").size(), "duplicate lines are merged");
    assertEquals(String.valueOf(3 * 1250 + 3 * 300), order.getString("total"));
    assertEquals("EUR", order.getString("currency"));
    assertEquals(7, api.stock(owner, a));
    assertEquals(1, api.stock(owner, b));

    api.patch("/api/v1/variants/" + a, owner.token(), new JsonObject().put("price", 9999));
    assertEquals(String.valueOf(3 * 1250 + 3 * 300), api.get("/api/v1/orders/" + order.getString("id"), owner.token()).json().getString("total"),
      "the order keeps the price it was placed at");

    Res sales = api.get("/api/v1/stock-movements?type=SALE&variantId=" + a, owner.token());
    assertEquals(1, sales.items().size());
    JsonObject sale = sales.items().getJsonObject(0);
    assertEquals(-3, sale.getLong("quantity"));
    assertEquals(7, sale.getLong("stockAfter"));
    assertEquals(owner.userId(), sale.getString("actor"));
    assertEquals(order.getString("id"), sale.getJsonObject("source").getString("id"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a short line fails the whole order with 409 naming each short variant, and nothing changes")
  void insufficientStock() {
    Session owner = api.signup("Short Co");
    String product = api.createProduct(owner, "Cap");
    String a = api.createVariant(owner, product, "CAP-A", 500, 5).getString("id");
    String b = api.createVariant(owner, product, "CAP-B", 500, 1).getString("id");
    String c = api.createVariant(owner, product, "CAP-C", 500, 0).getString("id");
    String before = Invariants.snapshot(stack, owner.tenantId());
    Res res = api.placeOrderAsync(owner, Api.order(a, 2, b, 2, c, 1), Api.newKey()).await();
    JsonObject problem = assertProblem(res, 409);
    JsonArray shortages = problem.getJsonArray("shortages");
    assertEquals(2, shortages.size(), problem::encode);
    assertEquals(java.util.Set.of(1L, 0L), shortages.stream().map(s -> ((JsonObject) s).getLong("available")).collect(java.util.stream.Collectors.toSet()),
      problem::encode);
    assertEquals(before, Invariants.snapshot(stack, owner.tenantId()));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("bad orders are 4xx: missing Idempotency-Key, unknown or foreign variant, zero quantity, empty items")
  void badOrders() {
    Session owner = api.signup("Bad Orders Co");
    Session other = api.signup("Foreign Co");
    String foreign = api.createVariant(other, api.createProduct(other, "X"), "FOREIGN", 100, 10).getString("id");
    String mine = api.createVariant(owner, api.createProduct(owner, "Y"), "MINE", 100, 10).getString("id");
    assertProblem(api.sendWithoutKey(HttpMethod.POST, "/api/v1/orders", owner.token(), Api.order(mine, 1)).await(), 400);
    assertProblem(api.placeOrderAsync(owner, Api.order(foreign, 1), Api.newKey()).await(), 404);
    assertProblem(api.placeOrderAsync(owner, Api.order(mine, 0), Api.newKey()).await(), 400);
    assertProblem(api.placeOrderAsync(owner, new JsonObject().put("items", new JsonArray()), Api.newKey()).await(), 400);
    assertEquals(10, api.stock(other, foreign));
    assertEquals(10, api.stock(owner, mine));
    assertEquals(0, api.get("/api/v1/orders", owner.token()).items().size());
  }

  @Test
  @DisplayName("cancel returns every unreturned unit as RETURN movements; partial returns never exceed sold minus returned")
  void cancelAndReturns() {
    Session owner = api.signup("Returns Co");
    Session staff = api.addUser(owner, "STAFF");
    String product = api.createProduct(owner, "Sock");
    String a = api.createVariant(owner, product, "SOCK-A", 200, 10).getString("id");
    String b = api.createVariant(owner, product, "SOCK-B", 200, 10).getString("id");
    String orderId = api.placeOrder(staff, Api.order(a, 4, b, 2)).id();

    Res partial = api.send(HttpMethod.POST, "/api/v1/orders/" + orderId + "/returns", staff.token(),
      Api.order(a, 1).put("reason", "too small")).await();
    assertEquals(201, partial.status(), partial::toString);
    assertEquals(7, api.stock(owner, a));
    JsonObject over = assertProblem(api.send(HttpMethod.POST, "/api/v1/orders/" + orderId + "/returns", staff.token(),
      Api.order(a, 4).put("reason", "greedy")).await(), 409);
    assertEquals(3L, over.getJsonArray("lines").getJsonObject(0).getLong("returnable"), over::encode);
    assertProblem(api.send(HttpMethod.POST, "/api/v1/orders/" + orderId + "/returns", staff.token(),
      Api.order(api.createVariant(owner, product, "SOCK-C", 1).getString("id"), 1).put("reason", "not ours")).await(), 409);
    assertProblem(api.post("/api/v1/orders/" + orderId + "/cancel", staff.token(), null), 403);

    Res cancelled = api.post("/api/v1/orders/" + orderId + "/cancel", owner.token(), null);
    assertEquals(200, cancelled.status(), cancelled::toString);
    assertEquals("CANCELLED", cancelled.json().getString("status"));
    assertEquals(10, api.stock(owner, a));
    assertEquals(10, api.stock(owner, b));
    assertProblem(api.post("/api/v1/orders/" + orderId + "/cancel", owner.token(), null), 409);
    assertProblem(api.send(HttpMethod.POST, "/api/v1/orders/" + orderId + "/returns", staff.token(),
      Api.order(a, 1).put("reason", "late")).await(), 409);
    Res returns = api.get("/api/v1/stock-movements?type=RETURN", owner.token());
    assertEquals(3, returns.items().size(), "one partial return + two cancellation lines");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("an order takes at most 10 returns: the 11th is a 409 problem naming the cap, and moves no stock")
  void returnsPerOrderAreCapped() {
    Session owner = api.signup("Many Returns Co");
    String variant = api.createVariant(owner, api.createProduct(owner, "Bead"), "BEAD-1", 10, 100).getString("id");
    String orderId = api.placeOrder(owner, Api.order(variant, 20)).id();
    for (int i = 0; i < 10; i++) {
      Res taken = api.send(HttpMethod.POST, "/api/v1/orders/" + orderId + "/returns", owner.token(),
        Api.order(variant, 1).put("reason", "return " + i)).await();
      assertEquals(201, taken.status(), () -> "return " + taken.status());
    }
    assertEquals(90, api.stock(owner, variant));
    Res eleventh = api.send(HttpMethod.POST, "/api/v1/orders/" + orderId + "/returns", owner.token(),
      Api.order(variant, 1).put("reason", "one too many")).await();
    assertEquals(409, eleventh.status(), () -> "the 11th return answered " + eleventh.status());
    JsonObject refused = assertProblem(eleventh, 409);
    assertEquals(10, refused.getInteger("maxReturns"), refused::encode);
    assertEquals(90, api.stock(owner, variant), "the refused return moved nothing");
    JsonObject order = api.get("/api/v1/orders/" + orderId, owner.token()).json();
    assertEquals(10, order.getJsonArray("returns").size());
    assertEquals("PLACED", order.getString("status"));
    Res cancelled = api.post("/api/v1/orders/" + orderId + "/cancel", owner.token(), null);
    assertEquals(200, cancelled.status(), "what is left comes back by cancelling: " + cancelled);
    assertEquals(100, api.stock(owner, variant));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("orders list filters by status and date, and another tenant sees 404 on every order verb")
  void listAndIsolation() {
    Session owner = api.signup("List Orders Co");
    Session other = api.signup("Nosy Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Pen"), "PEN", 100, 10).getString("id");
    String first = api.placeOrder(owner, Api.order(v, 1)).id();
    String second = api.placeOrder(owner, Api.order(v, 1)).id();
    api.post("/api/v1/orders/" + first + "/cancel", owner.token(), null);
    assertEquals(1, api.get("/api/v1/orders?status=CANCELLED", owner.token()).items().size());
    assertEquals(second, api.get("/api/v1/orders?status=PLACED", owner.token()).items().getJsonObject(0).getString("id"));
    assertEquals(0, api.get("/api/v1/orders?from=2999-01-01T00:00:00Z", owner.token()).items().size());
    assertEquals(2, api.get("/api/v1/orders?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z", owner.token()).items().size());
    // the widest range allowed: the id bounds derived from the dates must not exclude anything (ids hold 32-bit seconds)
    assertEquals(2, api.get("/api/v1/orders?from=1970-01-01T00:00:00Z&to=9999-12-31T23:59:59Z", owner.token()).items().size());
    assertEquals(2, api.get("/api/v1/stock-movements?type=SALE&from=1970-01-01T00:00:30Z&to=2200-01-01T00:00:00Z", owner.token())
      .items().size(), "both orders' sales");
    assertProblem(api.get("/api/v1/orders?from=yesterday", owner.token()), 400);
    for (String path : List.of("/api/v1/orders", "/api/v1/stock-movements", "/api/v1/audit-log", "/api/v1/exports/movements")) {
      JsonObject reversed = assertProblem(api.get(path + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", owner.token()), 400);
      assertTrue(reversed.getString("detail").contains("is after to"), reversed::encode);
    }

    assertProblem(api.get("/api/v1/orders/" + second, other.token()), 404);
    assertProblem(api.post("/api/v1/orders/" + second + "/cancel", other.token(), null), 404);
    assertProblem(api.send(HttpMethod.POST, "/api/v1/orders/" + second + "/returns", other.token(), Api.order(v, 1).put("reason", "x")).await(), 404);
    assertEquals(0, api.get("/api/v1/orders", other.token()).items().size());
    assertEquals(9, api.stock(owner, v), "10 - 2 sold + 1 back from the cancelled order");
    Invariants.assertHold(stack, owner);
  }
}
