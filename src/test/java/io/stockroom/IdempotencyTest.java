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

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  @Test
  @DisplayName("same key and payload replays the original answer without a second order; key order in JSON does not matter")
  void replay() {
    Session owner = api.signup("Replay Co");
    String v = api.createVariant(owner, api.createProduct(owner, "R"), "R-1", 100, 10).getString("id");
    String key = Api.newKey();
    Res first = api.placeOrderAsync(owner, new JsonObject().put("note", "n").put("items", Api.order(v, 2).getJsonArray("items")), key).await();
    Res again = api.placeOrderAsync(owner, new JsonObject().put("items", Api.order(v, 2).getJsonArray("items")).put("note", "n"), key).await();
    assertEquals(201, first.status(), first::toString);
    assertEquals(201, again.status());
    assertEquals(first.json(), again.json());
    assertEquals(8, api.stock(owner, v));
    assertEquals(1, api.get("/api/v1/orders", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("same key with a different payload is 422; a missing required key is 400")
  void mismatchAndMissing() {
    Session owner = api.signup("Mismatch Co");
    String v = api.createVariant(owner, api.createProduct(owner, "M"), "M-1", 100, 10).getString("id");
    String key = Api.newKey();
    assertEquals(201, api.placeOrderAsync(owner, Api.order(v, 1), key).await().status());
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 2), key).await(), 422);
    assertProblem(api.sendWithoutKey(HttpMethod.POST, "/api/v1/orders", owner.token(), Api.order(v, 1)).await(), 400);
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 1), "bad key with spaces").await(), 400);
    assertEquals(9, api.stock(owner, v));
  }

  @Test
  @DisplayName("a business failure (409) is replayed too; a retry with a new key sees the new state")
  void failuresAreReplayed() {
    Session owner = api.signup("Failure Replay Co");
    String v = api.createVariant(owner, api.createProduct(owner, "F"), "F-1", 100, 1).getString("id");
    String key = Api.newKey();
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 2), key).await(), 409);
    api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(), new JsonObject().put("quantity", 5).put("reason", "restock")).await();
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 2), key).await(), 409);
    assertEquals(201, api.placeOrderAsync(owner, Api.order(v, 2), Api.newKey()).await().status());
  }

  @Test
  @DisplayName("the same key sent concurrently: one order, the others replay it or get 409 while it runs")
  void concurrentSameKey() {
    Session owner = api.signup("Concurrent Key Co");
    String v = api.createVariant(owner, api.createProduct(owner, "C"), "C-1", 100, 100).getString("id");
    String key = Api.newKey();
    List<Future<Res>> all = new ArrayList<>();
    for (int i = 0; i < 15; i++) all.add(api.placeOrderAsync(owner, Api.order(v, 1), key));
    Future.join(all).await();
    List<Res> results = all.stream().map(Future::result).toList();
    assertTrue(results.stream().allMatch(r -> r.status() == 201 || r.status() == 409), results::toString);
    assertEquals(1, results.stream().filter(r -> r.status() == 201).map(r -> r.json().getString("id")).distinct().count());
    assertEquals(99, api.stock(owner, v));
    assertEquals(1, api.get("/api/v1/orders", owner.token()).items().size());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("keys are scoped per tenant: the same key in two tenants makes two orders")
  void keysPerTenant() {
    Session a = api.signup("Key A");
    Session b = api.signup("Key B");
    String va = api.createVariant(a, api.createProduct(a, "K"), "K-1", 100, 5).getString("id");
    String vb = api.createVariant(b, api.createProduct(b, "K"), "K-1", 100, 5).getString("id");
    String key = "shared-key-" + Api.newKey();
    assertEquals(201, api.placeOrderAsync(a, Api.order(va, 1), key).await().status());
    Res inB = api.placeOrderAsync(b, Api.order(vb, 1), key).await();
    assertEquals(201, inB.status(), inB::toString);
    assertEquals(4, api.stock(a, va));
    assertEquals(4, api.stock(b, vb));
  }

  @Test
  @DisplayName("keys on adjustments deduplicate retries too")
  void optionalKeys() {
    Session owner = api.signup("Optional Key Co");
    String v = api.createVariant(owner, api.createProduct(owner, "O"), "O-1", 100, 5).getString("id");
    String key = Api.newKey();
    JsonObject adjustment = new JsonObject().put("quantity", 3).put("reason", "found");
    Res first = api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(), adjustment, key).await();
    Res second = api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(), adjustment, key).await();
    assertEquals(201, first.status());
    assertEquals(first.json(), second.json());
    assertEquals(8, api.stock(owner, v));
    assertEquals(new JsonArray(), api.get("/api/v1/inventory/audit", owner.token()).json().getJsonArray("discrepancies"));
  }
}
