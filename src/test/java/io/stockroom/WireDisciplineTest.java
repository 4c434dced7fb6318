package io.stockroom;

import io.stockroom.order.OrderContract;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.mongo.RoundTrips;
import io.stockroom.platform.unit.Failpoints;
import io.stockroom.support.Res;
import io.vertx.core.Future;
import io.stockroom.support.Api;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import org.bson.BsonDocument;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the service sends to MongoDB, read off the driver's command listener as a recording proxy would read the wire:
 * every command carries a server-side time limit ({@code maxTimeMS}), and every write waits for a journaled majority.
 */
class WireDisciplineTest {
  /** Commands the driver sends without maxTimeMS by design: cursor continuations and clean-up. */
  private static final Set<String> UNTIMED = Set.of("getMore", "killCursors", "endSessions");
  private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "createIndexes", "create",
    "dropIndexes");

  private final TestStack stack = TestStack.get();

  private record Sent(String name, BsonDocument command) {
  }

  @Test
  @DisplayName("every command of a workload carries maxTimeMS and every write w:majority with journal")
  void everyCommandIsBoundedAndEveryWriteDurable() {
    // the command's bytes are released once the listener returns: keep a copy
    ConcurrentLinkedQueue<Sent> seen = new ConcurrentLinkedQueue<>();
    Runnable untap = RoundTrips.tap(event -> seen.add(new Sent(event.getCommandName(), event.getCommand().clone())));
    try {
      Api api = stack.api;
      Session owner = api.signup("Wire Co");
      String variant = api.createVariant(owner, api.createProduct(owner, "Wire"), "WIRE-1", 100, 10).getString("id");
      assertEquals(201, api.placeOrder(owner, Api.order(variant, 2)).status());
      for (String path : List.of("/api/v1/orders", "/api/v1/variants", "/api/v1/stock-movements?variantId=" + variant,
        "/api/v1/dashboard", "/api/v1/inventory/audit", "/api/v1/products")) {
        assertEquals(200, api.get(path, owner.token()).status(), path);
      }
    } finally {
      untap.run();
    }

    Map<String, String> unbounded = new TreeMap<>();
    Map<String, String> notDurable = new TreeMap<>();
    for (Sent event : seen) {
      String name = event.name();
      BsonDocument command = event.command();
      if (!UNTIMED.contains(name) && !command.containsKey("maxTimeMS")) unbounded.putIfAbsent(name, command.toJson());
      if (WRITES.contains(name)) {
        BsonDocument concern = command.getDocument("writeConcern", new BsonDocument());
        boolean majority = concern.containsKey("w") && concern.get("w").isString() && concern.getString("w").getValue().equals("majority");
        boolean journaled = concern.getBoolean("j", org.bson.BsonBoolean.FALSE).getValue();
        if (!majority || !journaled) notDurable.putIfAbsent(name, command.toJson());
      }
    }
    assertTrue(seen.stream().anyMatch(e -> e.name().equals("find")), "the workload was recorded");
    assertTrue(seen.stream().anyMatch(e -> WRITES.contains(e.name())), "the workload wrote");
    assertEquals(Map.of(), unbounded, "commands without maxTimeMS");
    assertEquals(Map.of(), notDurable, "writes without w:majority, j:true");
  }

  @Test
  @DisplayName("an order that waited 3 s for a busy variant reads it under the lock with maxTimeMS within what is left of "
    + "its bus budget, not the fixed mongo.timeoutMs")
  void readUnderLockKeepsToTheCallersBudget() throws InterruptedException {
    Api api = stack.api;
    Session owner = api.signup("Late Reader Co");
    String variant = api.createVariant(owner, api.createProduct(owner, "Late"), "LATE-1", 100, 10).getString("id");
    ConcurrentLinkedQueue<Long> variantReads = new ConcurrentLinkedQueue<>();
    Runnable untap = RoundTrips.tap(event -> {
      BsonDocument command = event.getCommand();
      if (event.getCommandName().equals("find") && "variants".equals(command.getString("find").getValue())
          && command.containsKey("maxTimeMS")) {
        variantReads.add(command.getNumber("maxTimeMS").longValue());
      }
    });
    try {
      Failpoints.armPause(stack.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), 0, 3_000);
      Future<Res> holder = api.placeOrderAsync(owner, Api.order(variant, 1), Api.newKey());
      Thread.sleep(300);
      Res waiter = api.placeOrderAsync(owner, Api.order(variant, 1), Api.newKey()).await();
      assertEquals(201, waiter.status(), waiter::toString);
      assertEquals(201, holder.await().status());
    } finally {
      untap.run();
    }
    long budget = stack.settings.integer(ConfigKey.BUS_TIMEOUT_MS);
    long tightest = variantReads.stream().mapToLong(Long::longValue).min().orElseThrow();
    System.out.println("maxTimeMS of the variant reads of two orders, one waiting ~2.7 s for the other's lock: " + variantReads);
    assertTrue(tightest <= budget - 2_500, "the waiting order's read under the lock sent maxTimeMS " + tightest
      + ", more than what was left of its " + budget + " ms");
  }
}
