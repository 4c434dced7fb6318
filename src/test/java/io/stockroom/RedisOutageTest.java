package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.time.Duration;


import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Stockroom of its own whose Redis this test stops and restarts. */
class RedisOutageTest {
  private static Vertx vertx;
  private static RedisServer redis;
  private static int redisPort;
  private static Api api;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    redisPort = TestStack.freeListenPort();  // restarted on it: outside the range the OS hands out to connections
    redis = newRedis();
    redis.start();
    vertx = Vertx.vertx();
    int port = TestStack.freePort();
    MainVerticle main = new MainVerticle();
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(TestStack.overrides(port)
      .put("redis.uri", "redis://127.0.0.1:" + redisPort).put("locks.waitMs", 2000).put("locks.maxWaiters", 5))).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
      new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    api = new Api(client);
  }

  private static RedisServer newRedis() throws Exception {
    return TestStack.privateRedis(redisPort);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    redis.stop();
  }

  @Test
  @DisplayName("with Redis down stock changes answer 503 fast and change nothing; with Redis back they work without a restart")
  void redisDownAndBack() throws Exception {
    Session owner = api.signup("Outage Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Fuse"), "FUSE", 100, 10).getString("id");
    assertEquals(201, api.placeOrderAsync(owner, Api.order(v, 1), Api.newKey()).await().status());

    redis.stop();
    long started = System.currentTimeMillis();
    Res down = api.placeOrderAsync(owner, Api.order(v, 1), Api.newKey()).await();
    long took = System.currentTimeMillis() - started;
    JsonObject problem = assertProblem(down, 503);
    assertTrue(problem.getString("detail").contains("nothing was changed"), problem::encode);
    assertTrue(took < 3000, "503 should be fast, took " + took + " ms");
    assertProblem(api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", owner.token(),
      new JsonObject().put("quantity", 1).put("reason", "x"), null).await(), 503);
    assertEquals(9, api.stock(owner, v));
    assertEquals(1, api.get("/api/v1/orders", owner.token()).items().size());
    Res ready = api.get("/health/ready", null);
    assertEquals(503, ready.status());
    assertEquals("DOWN", ready.json().getString("status"));
    ready.json().getJsonArray("checks").forEach(check -> assertEquals(java.util.Set.of("id", "status"),
      ((JsonObject) check).fieldNames(), "public readiness says UP/DOWN and nothing more"));
    assertEquals(java.util.Map.of("mongo", "UP", "redis", "DOWN", "schema", "UP", "services", "UP"), ready.healthChecks(),
      ready::toString);

    redis = newRedis();
    redis.start();
    // until the client reconnects, an order is refused (503, nothing changed); each try has its own key
    Res back = Eventually.value(Duration.ofSeconds(5), Duration.ofMillis(100), () -> api.placeOrderAsync(owner, Api.order(v, 1), Api.newKey()).await(),
      res -> res.status() == 201);
    assertEquals(201, back.status(), String.valueOf(back));
    assertEquals(8, api.stock(owner, v));
    assertEquals(200, api.get("/health/ready", null).status());
    assertEquals(0, api.get("/api/v1/inventory/audit", owner.token()).json().getJsonArray("discrepancies").size());
  }

  @Test
  @DisplayName("past the waiting line of a busy variant, requests get 503 with Retry-After at once and change nothing")
  void fullWaitingLine() {
    Session owner = api.signup("Busy Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Hot"), "BUSY", 100, 100).getString("id");
    String key = "lock:variant:" + owner.tenantId() + ":" + v;
    io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(vertx, "redis://127.0.0.1:" + redisPort);
    io.vertx.redis.client.RedisAPI.api(redis).set(java.util.List.of(key, "held-by-test", "PX", "5000")).await();
    java.util.List<io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>> orders = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      orders.add(client.post("/api/v1/orders").putHeader("Authorization", "Bearer " + owner.token())
        .putHeader("Idempotency-Key", Api.newKey()).sendJson(Api.order(v, 1)));
    }
    io.vertx.core.Future.join(new java.util.ArrayList<>(orders)).await();
    long refusedAtOnce = orders.stream().map(f -> f.result())
      .filter(r -> r.statusCode() == 503 && "2".equals(r.getHeader("Retry-After")) && r.bodyAsString().contains("Too many requests")).count();
    assertTrue(refusedAtOnce >= 10, () -> "refused with Retry-After: " + orders.stream().map(f -> f.result().statusCode() + " "
      + f.result().getHeader("Retry-After") + " " + f.result().bodyAsString()).toList());
    assertTrue(orders.stream().allMatch(f -> f.result().statusCode() == 503), "the variant stayed locked by the test");
    assertEquals(100, api.stock(owner, v));
    redis.close();
  }
}
