package io.stockroom;

import io.stockroom.inventory.StockEvents;
import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InventoryApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private Res adjust(Session s, String v, long quantity) {
    return api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", s.token(),
      new JsonObject().put("quantity", quantity).put("reason", "test"), null).await();
  }

  private Res count(Session s, String v, long expected, long counted) {
    return api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/counts", s.token(),
      new JsonObject().put("expectedQuantity", expected).put("countedQuantity", counted), null).await();
  }

  @Test
  @DisplayName("opening stock is an ADJUSTMENT movement; adjustments never go below zero; zero is rejected")
  void adjustments() {
    Session owner = api.signup("Adjust Co");
    Session manager = api.addUser(owner, "MANAGER");
    Session staff = api.addUser(owner, "STAFF");
    String v = api.createVariant(owner, api.createProduct(owner, "Bolt"), "BOLT", 10, 12).getString("id");
    Res opening = api.get("/api/v1/stock-movements?variantId=" + v, owner.token());
    assertEquals(1, opening.items().size());
    assertEquals("ADJUSTMENT", opening.items().getJsonObject(0).getString("type"));
    assertEquals(12, opening.items().getJsonObject(0).getLong("stockAfter"));

    Res down = adjust(manager, v, -5);
    assertEquals(201, down.status(), down::toString);
    assertEquals(7, down.json().getLong("stockAfter"));
    JsonObject problem = assertProblem(adjust(manager, v, -8), 409);
    assertEquals(7, problem.getLong("available"));
    assertProblem(adjust(manager, v, 0), 400);
    assertProblem(adjust(staff, v, 1), 403);
    assertProblem(api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", manager.token(),
      new JsonObject().put("quantity", 1), null).await(), 400);
    assertEquals(7, api.stock(owner, v));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a cycle count is a compare-and-set: 409 with the current value when stock moved, else an adjustment")
  void counts() {
    Session owner = api.signup("Count Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Nut"), "NUT", 10, 20).getString("id");
    JsonObject stale = assertProblem(count(owner, v, 18, 17), 409);
    assertEquals(20, stale.getLong("currentQuantity"));
    Res counted = count(owner, v, 20, 17);
    assertEquals(201, counted.status(), counted::toString);
    assertEquals(-3, counted.json().getLong("quantity"));
    assertEquals(17, api.stock(owner, v));
    Res same = count(owner, v, 17, 17);
    assertEquals(201, same.status());
    assertEquals(null, same.json().getString("movementId"), "no movement when the count matches");
    assertEquals(2, api.get("/api/v1/stock-movements?variantId=" + v + "&type=ADJUSTMENT", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("movements filter by variant, type and time, page by cursor, and stay within the tenant")
  void movementQueries() {
    Session owner = api.signup("Movements Co");
    Session other = api.signup("Other Movements Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Pin"), "PIN", 10, 100).getString("id");
    for (int i = 0; i < 5; i++) api.placeOrder(owner, Api.order(v, 1));
    Res page1 = api.get("/api/v1/stock-movements?variantId=" + v + "&limit=4", owner.token());
    assertEquals(4, page1.items().size());
    Res page2 = api.get("/api/v1/stock-movements?variantId=" + v + "&limit=4&cursor=" + page1.json().getString("nextCursor"), owner.token());
    assertEquals(2, page2.items().size());
    assertEquals(5, api.get("/api/v1/stock-movements?type=SALE", owner.token()).items().size());
    assertEquals(0, api.get("/api/v1/stock-movements?to=2000-01-01T00:00:00Z", owner.token()).items().size());
    assertProblem(api.get("/api/v1/stock-movements?type=THEFT", owner.token()), 400);
    assertEquals(0, api.get("/api/v1/stock-movements?variantId=" + v, other.token()).items().size());
    assertEquals(0, api.get("/api/v1/inventory/audit", other.token()).json().getInteger("checkedVariants"));
    assertProblem(api.delete("/api/v1/variants/" + v, owner.token()), 409);
    assertProblem(adjust(other, v, 1), 404);
  }

  @Test
  @DisplayName("committed units publish a stock event to the tenant's address with stockAfter; failed ones publish nothing")
  void stockEvents() throws Exception {
    Session owner = api.signup("Events Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Flag"), "FLAG", 10, 3).getString("id");
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = stack.vertx.eventBus().consumer(StockEvents.address(owner.tenantId()), m -> received.add(m.body()));
    consumer.completion().await();
    try {
      String order = api.placeOrder(owner, Api.order(v, 2)).id();
      assertProblem(api.placeOrderAsync(owner, Api.order(v, 5), Api.newKey()).await(), 409);
      adjust(owner, v, 4);
      api.post("/api/v1/orders/" + order + "/cancel", owner.token(), null);
      long deadline = System.currentTimeMillis() + 2000;
      while (received.size() < 3 && System.currentTimeMillis() < deadline) TimeUnit.MILLISECONDS.sleep(20);
      TimeUnit.MILLISECONDS.sleep(100);
      assertEquals(List.of("ORDER_PLACED", "ADJUSTED", "ORDER_CANCELLED"), received.stream().map(e -> e.getString("type")).toList());
      assertEquals(1, received.get(0).getJsonArray("variants").getJsonObject(0).getLong("stockAfter"));
      assertEquals(order, received.get(0).getString("sourceId"));
      assertEquals(7, received.get(2).getJsonArray("variants").getJsonObject(0).getLong("stockAfter"));
      assertTrue(received.stream().allMatch(e -> owner.tenantId().equals(e.getString("tenantId"))));
    } finally {
      consumer.unregister().await();
    }
  }
}
