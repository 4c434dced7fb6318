package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit of a hot variant's orders: the orders that queue while a batch is being placed go together in one
 * unit, and each still succeeds or fails on its own.
 */
class GroupCommitTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  /** Orders that went in a batch with others, so far (the batch-size summary's sum minus its count). */
  private long batchedSoFar() {
    String text = stack.management.get("/metrics", null).text();
    return metric(text, "stockroom_orders_batch_sum") - metric(text, "stockroom_orders_batch_count");
  }

  private static long metric(String text, String name) {
    Matcher m = Pattern.compile("^" + name + "(\\{[^}]*})? ([0-9.E+-]+)$", Pattern.MULTILINE).matcher(text);
    return m.find() ? (long) Double.parseDouble(m.group(2)) : 0;
  }

  private List<Res> race(List<JsonObject> orders, Session owner, List<String> keys) {
    List<Future<Res>> all = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) all.add(api.placeOrderAsync(owner, orders.get(i), keys.get(i)));
    Future.join(all).await();
    return all.stream().map(Future::result).toList();
  }

  @Test
  @DisplayName("mixed sizes on one variant: orders are batched, each refusal fails alone, exactly the stock is sold")
  void batchMatesFailAlone() {
    Session owner = api.signup("Batch Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Flash"), "FLASH", 250, 100).getString("id");
    long batchedBefore = batchedSoFar();
    List<JsonObject> orders = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      orders.add(Api.order(v, i % 3 == 0 ? 7 : 1));  // 50 orders of 7 units, 100 of one
      keys.add(Api.newKey());
    }
    List<Res> results = race(orders, owner, keys);

    long sold = 0;
    for (int i = 0; i < results.size(); i++) {
      Res res = results.get(i);
      assertTrue(res.status() == 201 || res.status() == 409, res::toString);
      if (res.status() == 201) {
        long units = orders.get(i).getJsonArray("items").getJsonObject(0).getLong("quantity");
        assertEquals(units * 250, Long.parseLong(String.valueOf(res.json().getValue("total"))), res::toString);
        sold += units;
      } else {
        assertEquals(1, res.json().getJsonArray("shortages").size(), res::toString);
      }
    }
    long left = api.stock(owner, v);
    assertEquals(100 - sold, left, "what was sold left the stock");
    assertTrue(left < 7, "an order of 7 is refused only when fewer than 7 are left at its turn: " + left);
    long placedCount = results.stream().filter(r -> r.status() == 201).count();
    assertEquals(placedCount, api.get("/api/v1/orders?limit=200", owner.token()).items().size());
    assertTrue(batchedSoFar() > batchedBefore, "some orders were placed together");

    // each order's Idempotency-Key record was written in the batch: a retry replays that order's own answer
    for (int i = 0; i < 10; i++) {
      Res again = api.placeOrderAsync(owner, orders.get(i), keys.get(i)).await();
      assertEquals(results.get(i).status(), again.status());
      if (again.status() == 201) assertEquals(results.get(i).id(), again.id());
    }
    assertEquals(left, api.stock(owner, v), "replays change nothing");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("two hot variants at once: each queue sells exactly its own stock")
  void twoQueues() {
    Session owner = api.signup("Two Queues Co");
    String product = api.createProduct(owner, "Pair");
    String a = api.createVariant(owner, product, "Q-A", 100, 30).getString("id");
    String b = api.createVariant(owner, product, "Q-B", 100, 45).getString("id");
    List<JsonObject> orders = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      orders.add(Api.order(i % 2 == 0 ? a : b, 1));
      keys.add(Api.newKey());
    }
    Map<Integer, Long> counts = race(orders, owner, keys).stream().collect(Collectors.groupingBy(Res::status, Collectors.counting()));
    assertEquals(Map.of(201, 75L, 409, 45L), counts);
    assertEquals(0, api.stock(owner, a));
    assertEquals(0, api.stock(owner, b));
    Invariants.assertHold(stack, owner);
  }
}
