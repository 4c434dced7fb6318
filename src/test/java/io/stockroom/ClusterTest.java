package io.stockroom;

import io.stockroom.platform.embedded.EmbeddedServers;
import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Stockroom instances in separate JVMs, clustered over Hazelcast TCP-IP on loopback and sharing one MongoDB
 * stand-in and one redis-server (what {@code dev-stores} provides), as a local cluster runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  /** Three serve the tests; a fourth is still up when the last test kills the instance sending a webhook. */
  private static final int INSTANCES = 4;
  private static final EmbeddedServers stores = new EmbeddedServers();
  private static final List<Process> processes = new ArrayList<>();
  private static final List<Api> apis = new ArrayList<>();
  private static final List<Integer> ports = new ArrayList<>();
  private static Vertx vertx;
  private static MongoClient mongo;

  @BeforeAll
  static void startCluster() throws Exception {
    String mongoUri = stores.startMongo(0);
    String redisUri = stores.startRedis(TestStack.freePort());
    vertx = Vertx.vertx();
    mongo = MongoClient.createShared(vertx, new JsonObject().put("connection_string", mongoUri).put("db_name", "stockroom"), "cluster-test");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // a name of its own: another cluster on this host (a second test JVM, a developer's instances) is never joined
    String clusterName = "stockroom-test-" + UUID.randomUUID();
    for (int i = 0; i < INSTANCES; i++) {
      int port = TestStack.freeListenPort();
      List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
      command.addAll(Files.readAllLines(Path.of("conf/jvm.options")).stream().filter(l -> l.startsWith("--"))
        .flatMap(l -> Arrays.stream(l.split(" "))).toList());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
      ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(new File("target/cluster-instance-" + i + ".log"));
      builder.environment().put("STOCKROOM_MONGO_URI", mongoUri);
      builder.environment().put("STOCKROOM_REDIS_URI", redisUri);
      builder.environment().put("STOCKROOM_JWT_HMAC_SECRET", TestStack.TEST_JWT_SECRET);
      builder.environment().put("STOCKROOM_HTTP_PORT", String.valueOf(port));
      builder.environment().put("STOCKROOM_HTTP_HOST", "127.0.0.1");
      builder.environment().put("STOCKROOM_MANAGEMENT_PORT", "0");  // four instances on one machine
      builder.environment().put("STOCKROOM_MANAGEMENT_HOST", "127.0.0.1");
      builder.environment().put("STOCKROOM_HTTP_INSTANCES", "1");
      builder.environment().put("STOCKROOM_AUTH_BCRYPT_COST", "4");
      // The load below is one user's bursts of up to 90 requests: limits that never bind (AbuseResistanceTest tests them).
      builder.environment().put("STOCKROOM_RATE_LIMITS_TENANT_PER_SECOND", "1000000");
      builder.environment().put("STOCKROOM_RATE_LIMITS_USER_PER_SECOND", "1000000");
      builder.environment().put("STOCKROOM_CLUSTER_ENABLED", "true");
      builder.environment().put("STOCKROOM_CLUSTER_NAME", clusterName);
      builder.environment().put("STOCKROOM_CLUSTER_MEMBERS", "127.0.0.1");
      builder.environment().put("STOCKROOM_CLUSTER_HOST", "127.0.0.1");
      // Short lock lifetimes (and so journal leases of 1 s): a killed instance's units are recovered within seconds.
      builder.environment().put("STOCKROOM_LOCKS_TTL_MS", "3000");
      // Webhooks to a receiver on loopback; attempts of at most 4 s, so a dead instance's delivery lease runs out in 13 s.
      builder.environment().put("STOCKROOM_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
      builder.environment().put("STOCKROOM_WEBHOOKS_TIMEOUT_MS", "4000");
      processes.add(builder.start());
      ports.add(port);
      apis.add(new Api(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(32))));
    }
    for (int i = 0; i < INSTANCES; i++) awaitReady(i);
  }

  private static void awaitReady(int instance) {
    boolean ready = Eventually.holds(Duration.ofSeconds(90), () -> {
      assertTrue(processes.get(instance).isAlive(), "instance " + instance + " died; see target/cluster-instance-" + instance + ".log");
      try {
        return apis.get(instance).send(HttpMethod.GET, "/health/ready", null, null).await(2, TimeUnit.SECONDS).status() == 200;
      } catch (Exception notYet) {
        return false;  // still starting
      }
    });
    if (ready) return;
    throw new AssertionError("instance " + instance + " not ready; see target/cluster-instance-" + instance + ".log");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Process process : processes) process.destroy();
    for (Process process : processes) {
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
    vertx.close().await();
    stores.stop();
  }

  @Test
  @DisplayName("buyers of the last units spread over three instances: exactly the stock is sold, never more")
  void lastUnitsAcrossInstances() {
    Session owner = apis.get(0).signup("Cluster Race");
    String variant = apis.get(1).createVariant(owner, apis.get(1).createProduct(owner, "Rare"), "RARE", 100, 7).getString("id");
    List<Future<Res>> buyers = new ArrayList<>();
    for (int i = 0; i < 60; i++) buyers.add(apis.get(i % INSTANCES).placeOrderAsync(owner, Api.order(variant, 1), Api.newKey()));
    Future.join(new ArrayList<>(buyers)).await();
    long sold = buyers.stream().filter(b -> b.result().status() == 201).count();
    assertEquals(7, sold);
    assertTrue(buyers.stream().allMatch(b -> List.of(201, 409).contains(b.result().status())),
      () -> buyers.stream().map(b -> b.result().status()).toList().toString());
    assertEquals(0, apis.get(2).stock(owner, variant));
    Invariants.assertHold(apis.get(0), mongo, owner);
  }

  @Test
  @DisplayName("one receipt sent through all three instances at once with one key is counted once")
  void receiptAcrossInstances() {
    Session owner = apis.get(0).signup("Cluster Receipt");
    Api api = apis.get(0);
    String variant = api.createVariant(owner, api.createProduct(owner, "Box"), "BOX", 100).getString("id");
    String po = api.createPurchaseOrder(owner, api.createSupplier(owner, "S"), variant, 10, 40);
    api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null);
    api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null);
    String key = Api.newKey();
    JsonObject receipt = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", 4)));
    List<Future<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      sent.add(apis.get(i % INSTANCES).send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", owner.token(), receipt, key));
    }
    Future.join(new ArrayList<>(sent)).await();
    assertTrue(sent.stream().anyMatch(r -> r.result().status() == 201));
    assertTrue(sent.stream().allMatch(r -> List.of(201, 409).contains(r.result().status())));
    assertEquals(4, apis.get(1).stock(owner, variant));
    Invariants.assertHold(apis.get(0), mongo, owner);
  }

  @Test
  @DisplayName("crossing multi-line orders through different instances all finish, without deadlock")
  void crossingOrdersAcrossInstances() {
    Session owner = apis.get(0).signup("Cluster Crossing");
    Api api = apis.get(0);
    String product = api.createProduct(owner, "Pair");
    String a = api.createVariant(owner, product, "PAIR-A", 10, 100).getString("id");
    String b = api.createVariant(owner, product, "PAIR-B", 10, 100).getString("id");
    List<Future<Res>> orders = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      JsonObject order = i % 2 == 0 ? Api.order(a, 1, b, 1) : Api.order(b, 1, a, 1);
      // 3 s locks on a loaded machine: a unit may run out of time (503, nothing changed); the client retries its key
      orders.add(apis.get(i % INSTANCES).placeOrderRetrying(vertx, owner, order, Api.newKey(), 10));
    }
    Future.join(new ArrayList<>(orders)).await();
    assertTrue(orders.stream().allMatch(o -> o.result().status() == 201), () -> orders.stream().map(o -> o.result().toString()).toList().toString());
    assertEquals(70, api.stock(owner, a));
    Invariants.assertHold(api, mongo, owner);
  }

  @Test
  @DisplayName("a user deactivated through one instance is refused at once by another that had just let its token in")
  void deactivationAcrossInstances() throws InterruptedException {
    Session owner = apis.get(0).signup("Cluster Sessions");
    Session staff = apis.get(0).addUser(owner, "STAFF");
    for (int i = 0; i < 3; i++) assertEquals(200, apis.get(1).get("/api/v1/me", staff.token()).status(), "the token works there");
    assertEquals(204, apis.get(0).send(HttpMethod.DELETE, "/api/v1/users/" + staff.userId(), owner.token(), null).await().status());
    // Instance 1 keeps a confirmed session check for 2 s; the change message must drop it long before.
    int status = Eventually.value(Duration.ofMillis(300), () -> apis.get(1).get("/api/v1/me", staff.token()).status(), s -> s == 401);
    assertEquals(401, status, "the deactivated user's token stops on the other instance");
    assertEquals(401, apis.get(2).get("/api/v1/me", staff.token()).status());
  }

  @Test
  @DisplayName("a browser on one instance sees the stock event of an order placed through another; another tenant sees nothing")
  void eventsCrossInstances() throws Exception {
    Session owner = apis.get(0).signup("Cluster Events");
    Session other = apis.get(1).signup("Cluster Quiet");
    String variant = apis.get(0).createVariant(owner, apis.get(0).createProduct(owner, "Live"), "LIVE", 100, 5).getString("id");
    List<String> ownerEvents = new CopyOnWriteArrayList<>();
    List<String> otherEvents = new CopyOnWriteArrayList<>();
    VertxTestContext delivered = new VertxTestContext();
    Checkpoint ownerEvent = delivered.laxCheckpoint();
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ownerSocket = register(client, ports.get(2), owner, event -> {
      ownerEvents.add(event);
      ownerEvent.flag();
    });
    WebSocket otherSocket = register(client, ports.get(1), other, otherEvents::add);
    assertEquals(201, apis.get(0).placeOrderAsync(owner, Api.order(variant, 2), Api.newKey()).await().status());
    assertTrue(delivered.awaitCompletion(5, TimeUnit.SECONDS), "the owner's stock event arrived");
    assertFalse(Eventually.holds(Duration.ofMillis(300), () -> ownerEvents.size() > 1), () -> "one event only: " + ownerEvents);
    JsonObject event = new JsonObject(ownerEvents.get(0)).getJsonObject("body");
    assertEquals("ORDER_PLACED", event.getString("type"));
    assertEquals(3, event.getJsonArray("variants").getJsonObject(0).getLong("stockAfter"));
    assertEquals(List.of(), otherEvents);
    ownerSocket.close().await();
    otherSocket.close().await();
    client.close().await();
  }

  @Test
  @Order(Integer.MAX_VALUE - 2)
  @DisplayName("SIGTERM to one instance under load: it drains (accepted requests finish, new ones get 503), leaves, and the rest serve on")
  void gracefulShutdownUnderLoad() throws Exception {
    Session owner = apis.get(0).signup("Cluster Drain");
    String variant = apis.get(0).createVariant(owner, apis.get(0).createProduct(owner, "Drain"), "DRAIN", 100, 1_000).getString("id");
    List<Future<Res>> orders = new ArrayList<>();
    for (int i = 0; i < 40; i++) orders.add(apis.get(2).placeOrderAsync(owner, Api.order(variant, 1), Api.newKey()));
    Thread.sleep(30);
    processes.get(2).destroy();
    for (int i = 0; i < 40; i++) orders.add(apis.get(2).placeOrderAsync(owner, Api.order(variant, 1), Api.newKey()));
    Future.join(new ArrayList<>(orders)).otherwiseEmpty().await();
    assertTrue(processes.get(2).waitFor(30, TimeUnit.SECONDS), "the instance stopped");
    String log = Files.readString(Path.of("target/cluster-instance-2.log"));
    assertTrue(log.contains("Drained: no request in flight"), "every accepted request finished before it stopped");
    for (Future<Res> order : orders) {
      if (order.succeeded()) {
        assertTrue(List.of(201, 503).contains(order.result().status()), order.result()::toString);
      }
    }
    long sold = orders.stream().filter(o -> o.succeeded() && o.result().status() == 201).count();
    assertTrue(sold > 0, "orders were being served when SIGTERM came");
    assertEquals(201, apis.get(1).placeOrderAsync(owner, Api.order(variant, 1), Api.newKey()).await().status(),
      "the others serve on, and no lock was left held");
    assertEquals(1_000 - sold - 1, apis.get(0).stock(owner, variant));
    Invariants.assertHold(apis.get(0), mongo, owner);
  }

  @Test
  @Order(Integer.MAX_VALUE - 1)
  @DisplayName("SIGKILL to one instance under mixed load: acknowledged orders and receipts stay, its half-done unit is "
    + "rolled back by a survivor, the Idempotency-Keys of its cut-off requests resolve, and the invariants hold")
  void instanceKilledUnderLoad() throws Exception {
    Api survivor = apis.get(0);
    Api victim = apis.get(1);
    Session owner = survivor.signup("Cluster Kill");
    String product = survivor.createProduct(owner, "Kill");
    List<String> variants = new ArrayList<>();
    for (int i = 0; i < 3; i++) variants.add(survivor.createVariant(owner, product, "KILL-" + i, 100, 500).getString("id"));
    String po = survivor.createPurchaseOrder(owner, survivor.createSupplier(owner, "Kill Supplier"), variants.get(1), 100, 40);
    survivor.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null);
    survivor.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null);
    String receiptPath = "/api/v1/purchase-orders/" + po + "/receipts";
    JsonObject receipt = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", variants.get(1)).put("quantity", 1)));

    java.util.Random random = new java.util.Random();
    List<Future<Res>> requests = new ArrayList<>();
    List<JsonObject> sent = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      boolean isReceipt = i % 5 == 4;
      JsonObject body = isReceipt ? receipt : i % 3 == 0 ? Api.order(variants.get(random.nextInt(3)), 1)
        : Api.order(variants.get(0), 1, variants.get(1 + random.nextInt(2)), 1);
      String path = isReceipt ? receiptPath : "/api/v1/orders";
      String key = Api.newKey();
      sent.add(new JsonObject().put("path", path).put("body", body).put("key", key));
      requests.add((i % 3 == 0 ? survivor : victim).send(HttpMethod.POST, path, owner.token(), body, key));
    }
    long killBy = System.currentTimeMillis() + 10_000;
    int acknowledgedByVictim = 3 + random.nextInt(10);
    while (System.currentTimeMillis() < killBy && java.util.stream.IntStream.range(0, requests.size())
      .filter(i -> i % 3 != 0 && requests.get(i).succeeded() && requests.get(i).result().status() == 201).count() < acknowledgedByVictim) {
      Thread.sleep(2);
    }
    Thread.sleep(5 + random.nextInt(40));  // an acknowledgement comes right after a unit: move into the next one
    processes.get(1).destroyForcibly();
    Future.join(new ArrayList<>(requests)).otherwiseEmpty().await();
    assertTrue(processes.get(1).waitFor(10, TimeUnit.SECONDS));
    JsonObject scope = new JsonObject().put("tenantId", owner.tenantId());
    System.out.println("SIGKILL: " + requests.stream().filter(o -> o.succeeded() && o.result().status() == 201).count()
      + " acknowledged, " + requests.stream().filter(Future::failed).count() + " cut off, "
      + mongo.find("unit_journal", scope).await().size() + " unit(s) in the journal");

    long acknowledgedReceipts = 0;
    for (int i = 0; i < requests.size(); i++) {
      Future<Res> request = requests.get(i);
      if (!request.succeeded() || request.result().status() != 201) continue;
      if (sent.get(i).getString("path").equals(receiptPath)) {
        acknowledgedReceipts++;
      } else {
        assertEquals(200, survivor.get("/api/v1/orders/" + request.result().id(), owner.token()).status(), "an acknowledged order stays");
      }
    }
    assertTrue(receivedOn(survivor, owner, po) >= acknowledgedReceipts, "every acknowledged receipt stays");
    assertTrue(Eventually.holds(Duration.ofSeconds(20), () -> mongo.find("unit_journal", scope).await().isEmpty()),
      "the killed instance's units were recovered");
    assertEquals(201, survivor.placeOrderRetrying(vertx, owner, Api.order(variants.get(2), 1), Api.newKey(), 20).await().status(),
      "the survivor serves (a lock the killed instance held runs out within locks.ttlMs)");
    for (int i = 0; i < requests.size(); i++) {
      // Retried: the requests cut off with the instance, and any answered with something else than 201 (a 503 while a
      // variant stayed locked by the dead instance changed nothing, so its key is still free).
      if (requests.get(i).succeeded() && requests.get(i).result().status() == 201) continue;
      JsonObject request = sent.get(i);
      // 409 while the first attempt's outcome is still being settled by recovery
      Res retried = Eventually.value(Duration.ofSeconds(30), Duration.ofMillis(500), () -> survivor.send(HttpMethod.POST,
        request.getString("path"), owner.token(), request.getJsonObject("body"), request.getString("key")).await(), res -> res.status() != 409);
      assertEquals(201, retried.status(), "a retry of a request cut off with its instance resolves: " + retried);
    }
    assertEquals(sent.stream().filter(r -> r.getString("path").equals(receiptPath)).count(), receivedOn(survivor, owner, po),
      "every receipt, acknowledged or retried, is counted exactly once");
    Invariants.assertHold(survivor, mongo, owner);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  @DisplayName("SIGKILL to the instance in the middle of sending a webhook: the survivor sends it, same webhook-id, once its lease ran out")
  void webhookSenderKilled() throws Exception {
    List<Integer> alive = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) if (processes.get(i).isAlive()) alive.add(i);
    assertEquals(2, alive.size(), "two instances left after the SIGTERM and SIGKILL tests: " + alive);
    List<String> ids = new CopyOnWriteArrayList<>();
    Promise<Void> firstArrived = Promise.promise();
    int receiverPort = TestStack.freePort();
    io.vertx.core.http.HttpServer receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      ids.add(req.getHeader("webhook-id"));
      if (ids.size() == 1) {
        firstArrived.tryComplete();  // and never answered: its sender dies while waiting
      } else {
        req.response().setStatusCode(204).end();
      }
    }));
    receiver.listen(receiverPort, "127.0.0.1").await();
    try {
      Api api = apis.get(alive.get(0));
      Session owner = api.signup("Cluster Webhook");
      Res hook = api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", "http://127.0.0.1:" + receiverPort + "/hook")
        .put("events", new JsonArray().add("order.placed")));
      assertEquals(201, hook.status(), hook::toString);
      String variant = api.createVariant(owner, api.createProduct(owner, "Hooked"), "HOOKED", 100, 5).getString("id");
      api.placeOrder(owner, Api.order(variant, 1));
      firstArrived.future().await(20, TimeUnit.SECONDS);
      JsonObject delivery = mongo.findOne("webhook_deliveries", new JsonObject().put("tenantId", owner.tenantId()), null).await();
      String holder = delivery.getString("leaseOwner");
      int victim = -1;
      for (int i : alive) {
        if (Files.readString(Path.of("target/cluster-instance-" + i + ".log")).contains("instance " + holder)) victim = i;
      }
      assertTrue(victim >= 0, "the lease holder " + holder + " is one of the live instances");
      processes.get(victim).destroyForcibly();
      assertTrue(processes.get(victim).waitFor(10, TimeUnit.SECONDS));

      Eventually.holds(Duration.ofSeconds(45), () -> ids.size() >= 2);
      assertEquals(2, ids.size(), "the survivor sent the delivery its dead sender had leased");
      assertEquals(ids.get(0), ids.get(1), "with the same webhook-id");
      JsonObject after = Eventually.value(Duration.ofSeconds(10),
        () -> mongo.findOne("webhook_deliveries", new JsonObject().put("_id", delivery.getString("_id")), null).await(),
        stored -> "DELIVERED".equals(stored.getString("status")));
      assertEquals("DELIVERED", after.getString("status"), after::encode);
      int survivor = alive.get(0) == victim ? alive.get(1) : alive.get(0);
      Invariants.assertHold(apis.get(survivor), mongo, owner);
    } finally {
      receiver.close().await();
    }
  }

  private static long receivedOn(Api api, Session owner, String purchaseOrderId) {
    Res res = api.get("/api/v1/purchase-orders/" + purchaseOrderId, owner.token());
    assertEquals(200, res.status(), res::toString);
    return res.json().getLong("receivedUnits");
  }

  private static WebSocket register(WebSocketClient client, int port, Session session, Consumer<String> events) throws Exception {
    WebSocket socket = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket")).await();
    socket.handler(frame -> {
      String text = frame.toString();
      if (text.contains("\"type\":\"rec\"")) events.accept(text);
    });
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "stock." + session.tenantId())
      .put("headers", new JsonObject().put("token", session.token())).encode());
    Promise<Void> settled = Promise.promise();
    vertx.setTimer(700, id -> settled.complete());
    settled.future().await();
    return socket;
  }
}
