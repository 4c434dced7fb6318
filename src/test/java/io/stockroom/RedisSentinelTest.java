package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.RedisTopologies;
import io.stockroom.support.Res;
import io.stockroom.support.ServiceOnRedis;
import io.stockroom.support.Session;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stockroom on Redis Sentinel (redis.type=sentinel: one master, one replica, three sentinels, quorum 2), including a
 * failover in the middle of a race for the last items. The failover runs last.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelTest extends RedisTopologyContract {
  private static final int STOCK = 40;
  private static RedisTopologies.Sentinels sentinels;
  private static ServiceOnRedis service;

  @BeforeAll
  static void start() {
    RedisTopologies.requireBinaries();
    sentinels = RedisTopologies.Sentinels.start("mymaster", 3);
    // a release lost in the failover leaves its key held on the new master until the lock's lifetime: keep it short
    service = ServiceOnRedis.start(overrides("sentinel", sentinels.uri()).put("redis.masterName", "mymaster")
      .put("locks.ttlMs", 3_000));
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
    if (sentinels != null) sentinels.close();
  }

  @Override
  ServiceOnRedis service() {
    return service;
  }

  @Test
  @Order(Integer.MAX_VALUE)
  @DisplayName("a failover in the middle of a last-40 race: exactly 40 sold, the ledger holds, and the service recovers")
  void failoverDuringRace() throws Exception {
    Api api = service.api;
    Session owner = api.signup("Failover Co");
    String product = api.createProduct(owner, "Contested");
    String v = api.createVariant(owner, product, "CONTESTED", 5_000, STOCK).getString("id");
    String spare = api.createVariant(owner, product, "SPARE", 5_000, 100).getString("id");
    List<Session> buyers = List.of(owner, api.addUser(owner, "STAFF"), api.addUser(owner, "STAFF"), api.addUser(owner, "MANAGER"));

    // one order every 100 ms, the failover forced after the fifth: sales before, during and after the switch
    List<Future<Res>> orders = new ArrayList<>();
    int oldMaster = -1;
    int switchedAt = -1;
    for (int i = 0; i < 80; i++) {
      orders.add(api.placeOrderAsync(buyers.get(i % 4), Api.order(v, 1), Api.newKey()));
      if (i == 5) oldMaster = sentinels.failover();
      if (oldMaster > 0 && switchedAt < 0 && sentinels.masterPort() != oldMaster) switchedAt = i;
      Thread.sleep(100);
    }
    Future.join(new ArrayList<>(orders)).await();
    List<Res> raced = orders.stream().map(Future::result).toList();
    assertTrue(Set.of(201, 409, 503).containsAll(byStatus(raced).keySet()), () -> "only sold, sold out or paused: " + byStatus(raced));
    int switched = switchedAt;
    assertTrue(switched > 0 && raced.subList(switched, raced.size()).stream().anyMatch(r -> r.status() == 201),
      () -> "the sentinels switched masters (at order " + switched + ") while stock was still being sold: " + raced);

    sentinels.awaitNewMaster(oldMaster);
    sentinels.awaitReplica(oldMaster);
    // recovered: stock changes and sign-ins work again on the new master, without a restart
    assertEquals(201, eventually(() -> api.placeOrderAsync(owner, Api.order(spare, 1), Api.newKey())).status());
    Res login = eventually(() -> api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/auth/login", null,
      new JsonObject().put("email", buyers.get(1).email()).put("password", Api.PASSWORD)));
    assertEquals(200, login.status(), login::toString);

    // the buyers keep trying until it is sold out: never more than the stock is sold
    long sold = byStatus(raced).getOrDefault(201, 0L);
    for (int i = 0; sold < STOCK + 1 && i < STOCK + 5; i++) {
      Res more = eventually(() -> api.placeOrderAsync(owner, Api.order(v, 1), Api.newKey()));
      if (more.status() == 409) break;
      assertEquals(201, more.status(), more::toString);
      sold++;
    }
    assertEquals(STOCK, sold, () -> "sold during the race: " + byStatus(raced));
    assertEquals(0, api.stock(owner, v));
    assertEquals(STOCK, api.get("/api/v1/stock-movements?type=SALE&variantId=" + v, owner.token()).items().size());
    Invariants.assertHold(api, service.mongo, owner);
  }

  /** The first answer that is not a 503, retried for up to 20 s (the client reconnects to the new master meanwhile). */
  private static Res eventually(Supplier<Future<Res>> request) {
    return Eventually.value(Duration.ofSeconds(20), Duration.ofMillis(200), () -> request.get().await(), res -> res.status() != 503);
  }
}
