package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Orders across locations: the allocation rule, named locations, and units going back where they came from. */
class AllocationTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private void stockAt(Session s, String variantId, String locationId, long quantity) {
    Res res = api.post("/api/v1/variants/" + variantId + "/adjustments", s.token(), new JsonObject().put("quantity", quantity)
      .put("reason", "put away").put("locationId", locationId));
    assertEquals(201, res.status(), res::toString);
  }

  private Map<String, Long> available(Session s, String variantId) {
    Map<String, Long> byLocation = new HashMap<>();
    api.get("/api/v1/variants/" + variantId + "/levels", s.token()).items()
      .forEach(o -> byLocation.put(((JsonObject) o).getString("locationId"), ((JsonObject) o).getLong("available")));
    return byLocation;
  }

  private static Map<String, Long> allocations(JsonObject line) {
    Map<String, Long> parts = new HashMap<>();
    line.getJsonArray("allocations").forEach(o -> parts.put(((JsonObject) o).getString("locationId"), ((JsonObject) o).getLong("quantity")));
    return parts;
  }

  private void rule(Session s, String strategy, String... locationIds) {
    Res res = api.put("/api/v1/allocation-rule", s.token(), new JsonObject().put("strategy", strategy)
      .put("locationIds", new JsonArray(List.of((Object[]) locationIds))));
    assertEquals(200, res.status(), res::toString);
  }

  @Test
  @DisplayName("PRIORITY takes from the listed locations in order and splits a line; MOST_AVAILABLE from the fullest; inactive ones never")
  void strategies() {
    Session owner = api.signup("Allocate Co");
    String main = owner.tenantId();
    String north = api.createLocation(owner, "NORTH");
    String south = api.createLocation(owner, "SOUTH");
    String v = api.createVariant(owner, api.createProduct(owner, "Chair"), "CHAIR", 4000, 2).getString("id");
    stockAt(owner, v, north, 3);
    stockAt(owner, v, south, 5);

    rule(owner, "PRIORITY", south, north);
    Res split = api.placeOrder(owner, Api.order(v, 6));
    assertEquals(Map.of(south, 5L, north, 1L), allocations(split.json().getJsonArray("lines").getJsonObject(0)));
    assertEquals(Map.of(main, 2L, north, 2L, south, 0L), available(owner, v));

    rule(owner, "MOST_AVAILABLE");
    stockAt(owner, v, south, 1);
    Res fullest = api.placeOrder(owner, Api.order(v, 2));
    assertEquals(Map.of(main, 2L), allocations(fullest.json().getJsonArray("lines").getJsonObject(0)));

    assertEquals(200, api.patch("/api/v1/locations/" + north, owner.token(), new JsonObject().put("active", false)).status());
    JsonObject shortage = assertProblem(api.placeOrderAsync(owner, Api.order(v, 2), Api.newKey()).await(), 409);
    assertEquals(1, shortage.getJsonArray("shortages").getJsonObject(0).getLong("available"));
    Res named = api.placeOrder(owner, new JsonObject().put("items", new JsonArray()
      .add(new JsonObject().put("variantId", v).put("quantity", 2).put("locationId", north))));
    assertEquals(Map.of(north, 2L), allocations(named.json().getJsonArray("lines").getJsonObject(0)));
    stockAt(owner, v, south, 2);
    Res both = api.placeOrder(owner, new JsonObject().put("items", new JsonArray()
      .add(new JsonObject().put("variantId", v).put("quantity", 1).put("locationId", south))
      .add(new JsonObject().put("variantId", v).put("quantity", 1))));
    assertEquals(Map.of(south, 2L), allocations(both.json().getJsonArray("lines").getJsonObject(0)),
      "a line naming the location and one the rule sends there become one allocation");
    JsonObject atSouth = assertProblem(api.placeOrderAsync(owner, new JsonObject().put("items", new JsonArray()
      .add(new JsonObject().put("variantId", v).put("quantity", 2).put("locationId", south))), Api.newKey()).await(), 409);
    assertEquals(south, atSouth.getJsonArray("shortages").getJsonObject(0).getString("locationId"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("cancelling puts units back where they left; returns go there too, or to a named location, optionally as damaged")
  void backWhereTheyCameFrom() {
    Session owner = api.signup("Back Co");
    String main = owner.tenantId();
    String store = api.createLocation(owner, "STORE");
    String v = api.createVariant(owner, api.createProduct(owner, "Plate"), "PLATE", 800, 2).getString("id");
    stockAt(owner, v, store, 4);
    rule(owner, "PRIORITY", store);

    Res cancelled = api.placeOrder(owner, Api.order(v, 5));
    assertEquals(Map.of(main, 1L, store, 0L), available(owner, v));
    assertEquals(200, api.post("/api/v1/orders/" + cancelled.id() + "/cancel", owner.token(), null).status());
    assertEquals(Map.of(main, 2L, store, 4L), available(owner, v));

    Res order = api.placeOrder(owner, Api.order(v, 5));
    Res back = api.post("/api/v1/orders/" + order.id() + "/returns", owner.token(), new JsonObject().put("reason", "too many")
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 2))));
    assertEquals(201, back.status(), back::toString);
    assertEquals(Map.of(main, 2L, store, 1L), available(owner, v), "the unit from main (allocated last) and one from the store");
    Res damaged = api.post("/api/v1/orders/" + order.id() + "/returns", owner.token(), new JsonObject().put("reason", "broken")
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 1).put("locationId", main).put("damaged", true))));
    assertEquals(201, damaged.status(), damaged::toString);
    JsonObject mainLevel = api.get("/api/v1/variants/" + v + "/levels", owner.token()).items().getJsonObject(0);
    assertEquals(3, mainLevel.getLong("stock"));
    assertEquals(2, mainLevel.getLong("available"));
    assertEquals(1, mainLevel.getJsonObject("unavailable").getLong("damaged"));
    assertProblem(api.post("/api/v1/orders/" + order.id() + "/returns", owner.token(), new JsonObject().put("reason", "x")
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 1).put("locationId", "0123456789abcdef01234567")))), 404);
    assertProblem(api.post("/api/v1/orders/" + order.id() + "/returns", owner.token(), new JsonObject().put("reason", "x")
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 3)))), 409);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("60 concurrent one-unit orders on 12 units spread over three locations: exactly 12 succeed, every location ends empty")
  void concurrentAllocation() {
    Session owner = api.signup("Spread Co");
    String a = api.createLocation(owner, "A");
    String b = api.createLocation(owner, "B");
    String v = api.createVariant(owner, api.createProduct(owner, "Hat"), "HAT", 1200, 4).getString("id");
    stockAt(owner, v, a, 4);
    stockAt(owner, v, b, 4);
    rule(owner, "MOST_AVAILABLE");
    List<Future<Res>> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) all.add(api.placeOrderAsync(owner, Api.order(v, 1), Api.newKey()));
    Future.join(all).await();
    long won = all.stream().filter(f -> f.result().status() == 201).count();
    all.stream().filter(f -> f.result().status() != 201).forEach(f -> assertProblem(f.result(), f.result().status() == 503 ? 503 : 409));
    assertEquals(12, won);
    assertEquals(Map.of(owner.tenantId(), 0L, a, 0L, b, 0L), available(owner, v));
    Invariants.assertHold(stack, owner);
  }
}
