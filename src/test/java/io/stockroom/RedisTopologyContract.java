package io.stockroom;

import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.redis.RedisConnections;
import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.ServiceOnRedis;
import io.stockroom.support.Session;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Stockroom keeps in Redis, checked against one topology (the subclass starts it and a service on it): locks and
 * their fencing tokens, rate limits, login throttling, sessions, and a last-items race over HTTP.
 */
abstract class RedisTopologyContract {
  /** The per-user rate limit the service under test runs with. */
  static final int USER_PER_SECOND = 25;

  /** The service on the topology under test. */
  abstract ServiceOnRedis service();

  /** Overrides for a service on a topology: {@code redis.*} plus a user limit low enough to hit. */
  static JsonObject overrides(String type, String uri) {
    return new JsonObject().put("redis.type", type).put("redis.uri", uri).put("rateLimits.userPerSecond", USER_PER_SECOND);
  }

  static Map<Integer, Long> byStatus(List<Res> results) {
    return results.stream().collect(Collectors.groupingBy(Res::status, Collectors.counting()));
  }

  @Test
  @DisplayName("locks: keys spread over the topology are granted all at once, a held key is refused, fences only grow")
  void locksAndFences() {
    ServiceOnRedis service = service();
    Redis redis = RedisConnections.create(service.vertx, service.settings);
    LockManager locks = service.onContext(() -> Future.succeededFuture(
      new LockManager(service.vertx, redis, new LockManager.LockSettings(10_000, 300, 100, 1_000))));
    List<String> keys = IntStream.range(0, 6).mapToObj(i -> Variants.LOCK.key("t-" + i, "v-" + i)).toList();
    long floor = (System.currentTimeMillis() - 60_000) * 1_000;

    LockManager.Lease first = service.onContext(() -> locks.acquire(keys));
    assertEquals(keys.size(), first.keys().size());
    first.fences().values().forEach(fence -> assertTrue(fence > floor, "a fence is at least Redis's clock in µs: " + fence));
    assertTrue(first.uncleanKeys().isEmpty(), first.uncleanKeys()::toString);

    Throwable refused = assertFailsOnContext(service, () -> locks.acquire(List.of(keys.get(3))));
    ServiceError busy = assertInstanceOf(ServiceError.class, refused);
    assertEquals(ErrorCode.UNAVAILABLE, busy.code());
    assertNotNull(busy.extensions().getValue("retryAfterSeconds"));

    service.onContext(first::release);
    Map<String, Long> bumped = service.onContext(() -> locks.bumpFences(keys));
    LockManager.Lease second = service.onContext(() -> locks.acquire(keys));
    for (String key : keys) {
      assertTrue(bumped.get(key) > first.fences().get(key), "a bump goes past the last grant of " + key);
      assertTrue(second.fences().get(key) > bumped.get(key), "a grant goes past the last bump of " + key);
    }
    assertTrue(second.uncleanKeys().isEmpty(), "every earlier grant was released: " + second.uncleanKeys());
    service.onContext(second::release);
    redis.close();
  }

  @Test
  @DisplayName("rate limits: a user flooding reads gets 429 with Retry-After, the rest of its burst passes")
  void floodIsRateLimited() {
    ServiceOnRedis service = service();
    Session owner = service.api.signup("Flood Co");
    Session reader = service.api.addUser(owner, "STAFF");
    List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
    for (int i = 0; i < 4 * USER_PER_SECOND; i++) {
      reads.add(service.client.get("/api/v1/products").putHeader("Authorization", "Bearer " + reader.token()).send());
    }
    Future.join(new ArrayList<>(reads)).await();
    Map<Integer, Long> statuses = reads.stream().collect(Collectors.groupingBy(r -> r.result().statusCode(), Collectors.counting()));
    assertEquals(List.of(200, 429), statuses.keySet().stream().sorted().toList(), statuses::toString);
    assertTrue(statuses.get(200) >= USER_PER_SECOND && statuses.get(200) < 2 * USER_PER_SECOND, statuses::toString);
    HttpResponse<Buffer> limited = reads.stream().map(Future::result).filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertTrue(Long.parseLong(limited.getHeader("Retry-After")) >= 1, limited.headers()::toString);
    assertEquals("urn:stockroom:problem:rate-limited", limited.bodyAsJsonObject().getString("type"));
  }

  @Test
  @DisplayName("login throttling: after 5 failed logins the account is refused with 429, even with the right password")
  void loginThrottled() {
    ServiceOnRedis service = service();
    Session owner = service.api.signup("Guessed Co");
    JsonObject wrong = new JsonObject().put("email", owner.email()).put("password", "not the password");
    for (int i = 0; i < 5; i++) {
      Res failed = service.api.post("/api/v1/auth/login", null, wrong);
      assertEquals(401, failed.status(), failed::toString);
    }
    Res locked = service.api.post("/api/v1/auth/login", null, wrong.copy().put("password", Api.PASSWORD));
    assertEquals(429, locked.status(), locked::toString);
  }

  @Test
  @DisplayName("readiness is UP, its redis check included")
  void ready() {
    Res ready = service().api.get("/health/ready", null);
    assertEquals(200, ready.status(), ready::toString);
    assertEquals("UP", ready.healthChecks().get("redis"), ready::toString);
  }

  @Test
  @DisplayName("sessions: login, refresh (rotating the refresh token) and the new access token work")
  void sessions() {
    ServiceOnRedis service = service();
    Session owner = service.api.signup("Session Co");
    Res login = service.api.post("/api/v1/auth/login", null, new JsonObject().put("email", owner.email()).put("password", Api.PASSWORD));
    assertEquals(200, login.status(), login::toString);
    Res refreshed = service.api.post("/api/v1/auth/refresh", null,
      new JsonObject().put("refreshToken", login.json().getString("refreshToken")));
    assertEquals(200, refreshed.status(), refreshed::toString);
    Res products = service.api.get("/api/v1/products", refreshed.json().getString("accessToken"));
    assertEquals(200, products.status(), products::toString);
  }

  @Test
  @DisplayName("last items: four users race 48 orders for a variant with stock 5: exactly 5 sold, the ledger holds")
  void lastItemsRace() {
    ServiceOnRedis service = service();
    Api api = service.api;
    Session owner = api.signup("Last Five Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Scarce"), "SCARCE", 10_000, 5).getString("id");
    List<Session> buyers = List.of(owner, api.addUser(owner, "STAFF"), api.addUser(owner, "STAFF"), api.addUser(owner, "MANAGER"));
    List<Future<Res>> orders = new ArrayList<>();
    for (int i = 0; i < 48; i++) orders.add(api.placeOrderAsync(buyers.get(i % 4), Api.order(v, 1), Api.newKey()));
    Future.join(new ArrayList<>(orders)).await();
    List<Res> results = orders.stream().map(Future::result).toList();
    assertEquals(Map.of(201, 5L, 409, 43L), byStatus(results), results::toString);
    assertEquals(0, api.stock(owner, v));
    Invariants.assertHold(api, service.mongo, owner);
  }

  static Throwable assertFailsOnContext(ServiceOnRedis service, java.util.concurrent.Callable<Future<?>> work) {
    try {
      service.onContext(() -> work.call().map(x -> (Object) x));
    } catch (RuntimeException e) {
      return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }
    throw new AssertionError("expected a failure");
  }
}
