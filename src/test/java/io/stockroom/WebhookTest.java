package io.stockroom;

import com.standardwebhooks.Webhook;
import io.stockroom.order.OrderContract;
import io.stockroom.platform.unit.Failpoints;
import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.support.WebhookLedger;
import io.stockroom.webhook.WebhookDeliveries;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.UpdateOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhooks against a real receiver on loopback; every signature is checked with the Standard Webhooks library. */
class WebhookTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;
  private final List<HttpServer> servers = new ArrayList<>();

  /** What the receiver got: headers as the library wants them, and the raw body. */
  record Received(Map<String, List<String>> headers, String body) {
    String id() {
      return headers.get("webhook-id").get(0);
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** A receiver answering each request with {@code status.get()}. */
  private List<Received> receiver(int port, java.util.function.IntSupplier status) {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer server = stack.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      Map<String, List<String>> headers = new HashMap<>();
      for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) headers.put(name, List.of(req.getHeader(name)));
      received.add(new Received(headers, body.toString()));
      req.response().setStatusCode(status.getAsInt()).end();
    }));
    server.listen(port, "127.0.0.1").await();
    servers.add(server);
    return received;
  }

  @AfterEach
  void stopReceivers() {
    servers.forEach(s -> s.close().await());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private JsonObject createHook(Session s, int port, String... events) {
    Res created = api.post("/api/v1/webhooks", s.token(), new JsonObject().put("url", "http://127.0.0.1:" + port + "/hooks")
      .put("events", new JsonArray(List.of((Object[]) events))));
    assertEquals(201, created.status(), created::toString);
    assertTrue(created.json().getString("secret").startsWith("whsec_"));
    return created.json();
  }

  private static void await(String what, long timeoutMs, BooleanSupplier done) {
    Eventually.until(what, Duration.ofMillis(timeoutMs), done);
  }

  private List<JsonObject> deliveries(Session s, String hookId) {
    List<JsonObject> all = new ArrayList<>();
    api.get("/api/v1/webhooks/" + hookId + "/deliveries?limit=200", s.token()).items().forEach(o -> all.add((JsonObject) o));
    return all;
  }

  private static void verify(String secret, Received message) throws Exception {
    new Webhook(secret).verify(message.body(), message.headers());
  }

  private static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }

  /**
   * Lets {@code time} pass for the endpoint's delivery schedule, a minute at a time, without sleeping through it: in
   * each minute, what falls due within it is made due now, and the sender takes it before the next minute starts.
   */
  private void elapse(String hookId, Duration time) throws InterruptedException {
    JsonObject pending = new JsonObject().put("webhookId", hookId).put("status", "PENDING");
    for (long minute = 0; minute < time.toMinutes(); minute++) {
      Instant now = Instant.now();
      stack.mongo.updateCollectionWithOptions("webhook_deliveries",
        pending.copy().put("nextAttemptAt", new JsonObject().put("$lte", date(now.plus(Duration.ofMinutes(1))))),
        new JsonObject().put("$set", new JsonObject().put("nextAttemptAt", date(now))), new UpdateOptions().setMulti(true)).await();
      await("the sender took what fell due", 15_000, () -> stack.mongo.count("webhook_deliveries",
        pending.copy().put("nextAttemptAt", new JsonObject().put("$lte", date(Instant.now())))).await() == 0);
    }
  }

  @Test
  @DisplayName("a receiver that is down, then up, then flaky gets every event, signed, with the same webhook-id on every attempt")
  void downThenUp() throws Exception {
    Session owner = api.signup("Hooked Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Kettle"), "KETTLE", 3000, 20).getString("id");
    int port = freePort();
    JsonObject hook = createHook(owner, port, "stock.changed", "order.placed");
    String hookId = hook.getString("id");
    assertFalse(api.get("/api/v1/webhooks/" + hookId, owner.token()).json().containsKey("secret"), "the secret is shown once");

    List<String> orders = new ArrayList<>();
    orders.add(api.placeOrder(owner, Api.order(v, 1)).id());
    await("2 deliveries refused once", 15_000, () -> {
      List<JsonObject> all = deliveries(owner, hookId);
      return all.size() == 2 && all.stream().allMatch(d -> d.getInteger("attemptCount") >= 1);
    });
    for (JsonObject pending : deliveries(owner, hookId)) {
      assertEquals("PENDING", pending.getString("status"));
      assertNotNull(pending.getString("nextAttemptAt"));
      assertNotNull(pending.getJsonArray("attempts").getJsonObject(0).getString("error"), pending::encode);
    }

    AtomicInteger flaky = new AtomicInteger(-1);
    List<Received> received = receiver(port, () -> flaky.get() > 0 && flaky.getAndDecrement() > 0 ? 503 : 204);
    await("the refused deliveries retried and delivered", 15_000,
      () -> deliveries(owner, hookId).stream().allMatch(d -> "DELIVERED".equals(d.getString("status"))));
    for (JsonObject delivered : deliveries(owner, hookId)) {
      JsonArray attempts = delivered.getJsonArray("attempts");
      long firstRetryMs = java.time.Duration.between(java.time.Instant.parse(attempts.getJsonObject(0).getString("at")),
        java.time.Instant.parse(attempts.getJsonObject(1).getString("at"))).toMillis();
      assertTrue(firstRetryMs <= 10_000, "the first retry came " + firstRetryMs + " ms after the failed attempt");
      assertEquals(204, attempts.getJsonObject(attempts.size() - 1).getInteger("statusCode"));
      assertNotNull(attempts.getJsonObject(attempts.size() - 1).getLong("durationMs"));
    }

    flaky.set(2);
    orders.add(api.placeOrder(owner, Api.order(v, 1)).id());
    orders.add(api.placeOrder(owner, Api.order(v, 2)).id());
    assertEquals(201, api.post("/api/v1/variants/" + v + "/adjustments", owner.token(), new JsonObject().put("quantity", 5)
      .put("reason", "found")).status());
    await("7 deliveries DELIVERED", 20_000, () -> {
      List<JsonObject> all = deliveries(owner, hookId);
      return all.size() == 7 && all.stream().allMatch(d -> "DELIVERED".equals(d.getString("status")));
    });

    Set<String> ids = new HashSet<>();
    Map<String, String> bodies = new HashMap<>();
    for (Received message : received) {
      verify(hook.getString("secret"), message);
      ids.add(message.id());
      String earlier = bodies.putIfAbsent(message.id(), message.body());
      if (earlier != null) assertEquals(earlier, message.body(), "a retry sends the same body");
    }
    assertEquals(7, ids.size(), "3 orders × (stock.changed, order.placed) + 1 adjustment; retries reuse their id");
    assertEquals(9, received.size(), "the two 503s were retried with the same ids");
    Map<String, Integer> types = new HashMap<>();
    for (String body : bodies.values()) {
      JsonObject payload = new JsonObject(body);
      types.merge(payload.getString("type"), 1, Integer::sum);
      assertNotNull(payload.getString("timestamp"));
      JsonObject data = payload.getJsonObject("data");
      assertFalse(data.containsKey("tenantId"));
      JsonObject variant = data.getJsonArray("variants").getJsonObject(0);
      assertEquals(v, variant.getString("variantId"));
      assertNotNull(variant.getLong("stockAfter"));
      assertNotNull(variant.getLong("sequence"));
      if (payload.getString("type").equals("order.placed")) assertTrue(orders.contains(data.getString("sourceId")));
    }
    assertEquals(Map.of("stock.changed", 4, "order.placed", 3), types);
    WebhookLedger.assertDeliveredOnce(stack.mongo, owner.tenantId(), hookId, 5_000);
    assertTrue(stack.mongo.find("outbox", new JsonObject().put("tenantId", owner.tenantId())).await().isEmpty(),
      "stock events are read from the ledger, never copied to the outbox");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a unit that fails leaves no event behind; low-stock transitions and rotated secrets are delivered and signed")
  void onlyCommittedUnitsAndRotation() throws Exception {
    Session owner = api.signup("Hook Rotation Co");
    String product = api.createProduct(owner, "Lamp");
    String v = api.createVariant(owner, product, "LAMP", 900, 6).getString("id");
    assertEquals(200, api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("reorderLevel", 4)).status());
    int port = freePort();
    List<Received> received = receiver(port, () -> 200);
    JsonObject hook = createHook(owner, port, "order.placed", "low_stock.entered", "low_stock.left");
    String hookId = hook.getString("id");

    Failpoints.arm(stack.vertx, OrderContract.PLACE.unitName(), owner.tenantId(), 3);  // its last step: the key record
    assertProblem(api.placeOrderAsync(owner, Api.order(v, 3), Api.newKey()).await(), 503);
    String placed = api.placeOrder(owner, Api.order(v, 3)).id();
    await("order.placed and low_stock.entered", 15_000, () -> received.size() >= 2);
    Thread.sleep(1_500);
    assertEquals(2, received.size(), () -> "only the committed order's events: " + received);
    Map<String, JsonObject> byType = new HashMap<>();
    for (Received message : received) {
      verify(hook.getString("secret"), message);
      byType.put(message.json().getString("type"), message.json().getJsonObject("data"));
    }
    assertEquals(placed, byType.get("order.placed").getString("sourceId"));
    assertEquals(3, byType.get("low_stock.entered").getLong("available"));
    assertEquals(4, byType.get("low_stock.entered").getLong("reorderLevel"));

    Res rotated = api.post("/api/v1/webhooks/" + hookId + "/rotate-secret", owner.token(), null);
    assertEquals(200, rotated.status(), rotated::toString);
    String newSecret = rotated.json().getString("secret");
    assertFalse(newSecret.equals(hook.getString("secret")));
    assertEquals(201, api.post("/api/v1/variants/" + v + "/adjustments", owner.token(), new JsonObject().put("quantity", 10)
      .put("reason", "restock")).status());
    await("low_stock.left", 15_000, () -> received.size() >= 3);
    Received left = received.get(2);
    assertEquals("low_stock.left", left.json().getString("type"));
    assertEquals(2, left.headers().get("webhook-signature").get(0).split(" ").length, "old and new secret both sign during the overlap");
    verify(newSecret, left);
    verify(hook.getString("secret"), left);

    JsonObject first = deliveries(owner, hookId).get(0);
    Res again = api.post("/api/v1/webhooks/" + hookId + "/deliveries/" + first.getString("id") + "/redeliver", owner.token(), null);
    assertEquals(202, again.status(), again::toString);
    await("the redelivery", 15_000, () -> received.size() >= 4);
    List<Received> sameId = received.stream().filter(m -> m.id().equals(first.getString("messageId"))).toList();
    assertEquals(2, sameId.size(), "a redelivery keeps the message id: " + received);
    assertEquals(sameId.get(0).body(), sameId.get(1).body());
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("an endpoint answering 410 is disabled and says why; another tenant's webhook is a 404; bad URLs are refused")
  void goneAndGuards() throws Exception {
    Session owner = api.signup("Gone Co");
    Session staff = api.addUser(owner, "STAFF");
    String v = api.createVariant(owner, api.createProduct(owner, "Cup"), "CUP", 100, 5).getString("id");
    int port = freePort();
    List<Received> received = receiver(port, () -> 410);
    String hookId = createHook(owner, port, "stock.changed").getString("id");
    api.placeOrder(owner, Api.order(v, 1));
    await("the endpoint disabled", 15_000, () -> !api.get("/api/v1/webhooks/" + hookId, owner.token()).json().getBoolean("active"));
    JsonObject disabled = api.get("/api/v1/webhooks/" + hookId, owner.token()).json();
    assertTrue(disabled.getString("disabledReason").contains("410"), disabled::encode);
    assertEquals("FAILED", deliveries(owner, hookId).get(0).getString("status"));
    api.placeOrder(owner, Api.order(v, 1));
    Thread.sleep(2_000);
    assertEquals(1, received.size(), "nothing more goes to a disabled endpoint");
    JsonObject reenabled = api.patch("/api/v1/webhooks/" + hookId, owner.token(), new JsonObject().put("active", true)).json();
    assertTrue(reenabled.getBoolean("active"));
    assertEquals(null, reenabled.getString("disabledReason"));

    assertProblem(api.post("/api/v1/webhooks", staff.token(), new JsonObject().put("url", "https://example.org/h")
      .put("events", new JsonArray().add("stock.changed"))), 403);
    for (String url : List.of("ftp://example.org/h", "http://user:secret@example.org/h", "not a url")) {
      assertProblem(api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", url)
        .put("events", new JsonArray().add("stock.changed"))), 400);
    }
    assertProblem(api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", "https://example.org/h")
      .put("events", new JsonArray().add("everything"))), 400);
    Session other = api.signup("Not Gone Co");
    assertProblem(api.get("/api/v1/webhooks/" + hookId, other.token()), 404);
    assertProblem(api.patch("/api/v1/webhooks/" + hookId, other.token(), new JsonObject().put("active", false)), 404);
    assertProblem(api.post("/api/v1/webhooks/" + hookId + "/rotate-secret", other.token(), null), 404);
    assertProblem(api.get("/api/v1/webhooks/" + hookId + "/deliveries", other.token()), 404);
    assertProblem(api.delete("/api/v1/webhooks/" + hookId, other.token()), 404);
    assertEquals(0, api.get("/api/v1/webhooks", other.token()).items().size());
    assertEquals(204, api.delete("/api/v1/webhooks/" + hookId, owner.token()).status());
  }

  @Test
  @DisplayName("an endpoint receives the changes made after it was created: none made before, none while its tenant had no endpoint")
  void onlyChangesSinceCreation() {
    Session owner = api.signup("Recreated Hooks Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Bell"), "BELL", 100, 10).getString("id");
    String first = createHook(owner, 1, "order.placed").getString("id");
    String before = api.placeOrder(owner, Api.order(v, 1)).id();
    WebhookLedger.assertDeliveredOnce(stack.mongo, owner.tenantId(), first, 10_000);
    assertEquals(1, WebhookLedger.delivered(stack.mongo, owner.tenantId(), first).size());
    assertEquals(204, api.delete("/api/v1/webhooks/" + first, owner.token()).status());
    String whileNone = api.placeOrder(owner, Api.order(v, 1)).id();
    String second = createHook(owner, 1, "order.placed").getString("id");
    String after = api.placeOrder(owner, Api.order(v, 1)).id();
    WebhookLedger.assertDeliveredOnce(stack.mongo, owner.tenantId(), second, 10_000);
    List<JsonObject> got = deliveries(owner, second);
    assertEquals(1, got.size(), () -> "only the order placed after it was created: " + got);
    assertEquals(after, got.get(0).getJsonObject("payload").getJsonObject("data").getString("sourceId"));
    assertFalse(List.of(before, whileNone).contains(got.get(0).getJsonObject("payload").getJsonObject("data").getString("sourceId")));
  }

  @Test
  @DisplayName("a delivery whose instance died mid-attempt (its lease ran out) is sent by another")
  void leaseTakeover() throws Exception {
    Session owner = api.signup("Lease Co");
    int port = freePort();
    List<Received> received = receiver(port, () -> 200);
    JsonObject hook = createHook(owner, port, "stock.changed");
    String hookId = hook.getString("id");
    JsonObject payload = new JsonObject().put("type", "stock.changed").put("timestamp", "2026-01-01T00:00:00Z").put("data", new JsonObject());
    long now = System.currentTimeMillis();
    stack.mongo.insert("webhook_deliveries", new JsonObject().put("_id", new org.bson.types.ObjectId().toHexString())
      .put("tenantId", owner.tenantId()).put("webhookId", hookId).put("messageId", "msg_dead_instance").put("type", "stock.changed")
      .put("payload", payload.encode()).put("status", "PENDING").put("attempts", new JsonArray()).put("attemptCount", 0)
      .put("nextAttemptAt", new JsonObject().put("$date", java.time.Instant.ofEpochMilli(now).toString()))
      .put("leaseUntil", new JsonObject().put("$date", java.time.Instant.ofEpochMilli(now + 2_000).toString()))
      .put("leaseOwner", "an-instance-that-died")
      .put("createdAt", new JsonObject().put("$date", java.time.Instant.ofEpochMilli(now).toString()))
      .put("expiresAt", new JsonObject().put("$date", java.time.Instant.ofEpochMilli(now + 86_400_000L).toString()))).await();
    Thread.sleep(1_200);
    assertTrue(received.isEmpty(), "not while the other instance's lease holds");
    await("the takeover", 10_000, () -> !received.isEmpty());
    assertEquals("msg_dead_instance", received.get(0).id());
    verify(hook.getString("secret"), received.get(0));
    await("DELIVERED", 5_000, () -> "DELIVERED".equals(deliveries(owner, hookId).get(0).getString("status")));
  }

  @Test
  @DisplayName("an endpoint disabled for 15 minutes keeps its deliveries' retries: they wait unattempted, and once it is on again a transient error is retried")
  void disabledEndpointKeepsItsRetries() throws Exception {
    Session owner = api.signup("Paused Hooks Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Drum"), "DRUM", 100, 10).getString("id");
    int port = freePort();
    JsonObject hook = createHook(owner, port, "order.placed");
    String hookId = hook.getString("id");
    api.placeOrder(owner, Api.order(v, 1));
    await("the first attempt refused", 15_000, () -> deliveries(owner, hookId).stream().anyMatch(d -> d.getInteger("attemptCount") >= 1));
    assertEquals(200, api.patch("/api/v1/webhooks/" + hookId, owner.token(), new JsonObject().put("active", false)).status());

    elapse(hookId, Duration.ofMinutes(15));
    JsonObject waiting = deliveries(owner, hookId).get(0);
    assertEquals("PENDING", waiting.getString("status"), waiting::encode);
    assertEquals(1, waiting.getInteger("attemptCount"), () -> "only the refused attempt counts: " + waiting.encode());
    assertEquals(1, waiting.getJsonArray("attempts").size(), waiting::encode);
    assertNull(waiting.getValue("nextAttemptAt"), "no attempt is due while the endpoint is off");
    assertEquals(1, api.get("/api/v1/webhooks/" + hookId + "/deliveries?status=PENDING", owner.token()).items().size());

    AtomicInteger flaky = new AtomicInteger(1);
    List<Received> received = receiver(port, () -> flaky.getAndDecrement() > 0 ? 503 : 204);
    assertEquals(200, api.patch("/api/v1/webhooks/" + hookId, owner.token(), new JsonObject().put("active", true)).status());
    elapse(hookId, Duration.ofMinutes(2));
    JsonObject delivered = deliveries(owner, hookId).get(0);
    assertEquals("DELIVERED", delivered.getString("status"), delivered::encode);
    assertEquals(3, delivered.getInteger("attemptCount"), "refused, 503, 204");
    assertTrue(api.get("/api/v1/webhooks/" + hookId, owner.token()).json().getBoolean("active"), "the 503 did not disable it again");
    assertEquals(2, received.size());
    assertEquals(received.get(0).id(), received.get(1).id());
    verify(hook.getString("secret"), received.get(1));
  }

  @Test
  @DisplayName("a delivery keeps its last ATTEMPTS_KEPT attempts, newest last, while attemptCount counts on")
  void attemptHistoryIsBounded() throws Exception {
    Session owner = api.signup("Bounded Attempts Co");
    int port = freePort();
    receiver(port, () -> 503);
    String hookId = createHook(owner, port, "stock.changed").getString("id");
    Instant earlier = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    JsonArray history = new JsonArray();
    for (int i = 0; i < WebhookDeliveries.ATTEMPTS_KEPT; i++) {
      history.add(new JsonObject().put("at", date(earlier.plusSeconds(i))).put("durationMs", 1).put("statusCode", 500).put("error", "HTTP 500"));
    }
    Instant now = Instant.now();
    String payload = new JsonObject().put("type", "stock.changed").put("timestamp", now.toString()).put("data", new JsonObject()).encode();
    // an earlier schedule's attempts (before a redelivery), then 4 of this one
    stack.mongo.insert("webhook_deliveries", new JsonObject().put("_id", new org.bson.types.ObjectId().toHexString())
      .put("tenantId", owner.tenantId()).put("webhookId", hookId).put("messageId", "msg_long_history").put("type", "stock.changed")
      .put("payload", payload).put("status", "PENDING").put("attempts", history).put("attemptCount", 4)
      .put("nextAttemptAt", date(now)).put("leaseUntil", date(Instant.EPOCH)).put("createdAt", date(now))
      .put("expiresAt", date(now.plus(Duration.ofDays(1))))).await();

    await("one more attempt", 15_000, () -> deliveries(owner, hookId).get(0).getInteger("attemptCount") == 5);
    JsonArray attempts = deliveries(owner, hookId).get(0).getJsonArray("attempts");
    assertEquals(WebhookDeliveries.ATTEMPTS_KEPT, attempts.size(), attempts::encode);
    assertEquals(earlier.plusSeconds(1), Instant.parse(attempts.getJsonObject(0).getString("at")), "the oldest left");
    assertEquals(503, attempts.getJsonObject(attempts.size() - 1).getInteger("statusCode"), "the newest is last");
  }

  @Test
  @DisplayName("opening stock, of a new variant and of an imported new SKU, is delivered as stock.changed at sequence 1")
  void openingStockDelivered() throws Exception {
    Session owner = api.signup("Opening Hooks Co");
    int port = freePort();
    List<Received> received = receiver(port, () -> 204);
    JsonObject hook = createHook(owner, port, "stock.changed");
    String product = api.createProduct(owner, "Anvil");
    String created = api.createVariant(owner, product, "ANVIL-1", 100, 8).getString("id");
    Res imported = api.send(HttpMethod.POST, "/api/v1/imports", owner.token(),
      new Api.Upload("text/csv", "product,sku,price,stock\nAnvil,ANVIL-2,100,3\n")).await();
    assertEquals(202, imported.status(), imported::toString);
    await("both opening stocks", 15_000, () -> received.size() >= 2);

    Map<String, JsonObject> eventBySku = new HashMap<>();
    Map<String, JsonObject> openedBySku = new HashMap<>();
    for (Received message : received) {
      verify(hook.getString("secret"), message);
      assertEquals("stock.changed", message.json().getString("type"));
      JsonObject data = message.json().getJsonObject("data");
      assertEquals("ADJUSTED", data.getString("stockEvent"));
      JsonObject opened = data.getJsonArray("variants").getJsonObject(0);
      assertEquals(1, opened.getLong("sequence"), data::encode);
      assertEquals(opened.getLong("delta"), opened.getLong("stockAfter"), "all of it is opening stock");
      eventBySku.put(opened.getString("sku"), data);
      openedBySku.put(opened.getString("sku"), opened);
    }
    assertEquals(created, openedBySku.get("ANVIL-1").getString("variantId"));
    assertEquals(8, openedBySku.get("ANVIL-1").getLong("stockAfter"));
    assertEquals(product, eventBySku.get("ANVIL-1").getString("sourceId"), "a new variant's source is its product");
    assertEquals(3, openedBySku.get("ANVIL-2").getLong("stockAfter"));
    assertEquals(imported.id(), eventBySku.get("ANVIL-2").getString("sourceId"), "an imported one's is the import");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("the cap of 20 webhook endpoints holds under 30 concurrent creates; deleting one frees its slot")
  void webhookCapHoldsUnderRaces() {
    Session owner = api.signup("Cap Race Webhooks Co");
    JsonObject endpoint = new JsonObject().put("url", "http://127.0.0.1:9/hooks").put("events", new JsonArray().add("stock.changed"))
      .put("active", false);
    for (int i = 0; i < 15; i++) assertEquals(201, api.post("/api/v1/webhooks", owner.token(), endpoint).status());
    List<Res> answers = io.vertx.core.Future.all(java.util.stream.IntStream.range(0, 30)
      .mapToObj(i -> api.send(HttpMethod.POST, "/api/v1/webhooks", owner.token(), endpoint)).toList()).await().list();
    List<Integer> statuses = answers.stream().map(Res::status).toList();
    assertEquals(5, statuses.stream().filter(status -> status == 201).count(), statuses::toString);
    assertEquals(25, statuses.stream().filter(status -> status == 409).count(), statuses::toString);
    answers.stream().filter(r -> r.status() == 409).forEach(r -> assertProblem(r, 409));
    assertEquals(20, api.get("/api/v1/webhooks?limit=200", owner.token()).items().size());

    String freed = answers.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().id();
    assertEquals(204, api.delete("/api/v1/webhooks/" + freed, owner.token()).status());
    assertEquals(201, api.post("/api/v1/webhooks", owner.token(), endpoint).status());
    assertProblem(api.post("/api/v1/webhooks", owner.token(), endpoint), 409);
    assertEquals(20, api.get("/api/v1/webhooks?limit=200", owner.token()).items().size());
  }
}
