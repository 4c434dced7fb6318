package io.stockroom.webhook;

import com.mongodb.MongoTimeoutException;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mongo.MongoClient;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One delivery sent by a sender of the test's own, against the suite's stores, when its endpoint cannot be read. The
 * delivery is leased by this instance before the sender gets it, so the suite's own sender leaves it alone until it
 * is released.
 */
class WebhookSenderTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() {
    receiver = stack.vertx.createHttpServer().requestHandler(req -> {
      received.add(req.getHeader("webhook-id"));
      hosts.add(req.getHeader("host"));
      req.response().setStatusCode(204).end();
    }).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close().await();
  }

  @Test
  @DisplayName("an endpoint that could not be read (a MongoDB timeout) postpones its delivery without spending a retry; it is delivered later")
  void unreadableEndpointIsRetried() throws Exception {
    Session owner = api.signup("Lookup Timeout Co");
    JsonObject delivery = leasedDelivery(owner, createHook(owner));
    send(delivery, failingOnce(stack.mongo, Webhooks.COLLECTION));

    JsonObject postponed = stored(delivery);
    assertEquals("PENDING", postponed.getString("status"), postponed::encode);
    assertEquals(0, postponed.getInteger("attemptCount"), "no retry spent");
    assertTrue(postponed.getJsonArray("attempts").isEmpty(), postponed::encode);
    assertFalse(postponed.containsKey("leaseOwner"), "the lease is released");
    long dueInMs = Duration.between(Instant.now(), Instant.parse(postponed.getJsonObject("nextAttemptAt").getString("$date"))).toMillis();
    assertTrue(dueInMs > 0 && dueInMs <= WebhookSender.LOOKUP_RETRY.toMillis() * 6 / 5, "due again in " + dueInMs + " ms");

    // the wait passes: the suite's sender takes it and delivers
    stack.mongo.updateCollection(WebhookDeliveries.COLLECTION, new JsonObject().put("_id", delivery.getString("_id")),
      new JsonObject().put("$set", new JsonObject().put("nextAttemptAt", date(Instant.now())))).await();
    JsonObject delivered = Eventually.value(Duration.ofSeconds(15), () -> stored(delivery), d -> "DELIVERED".equals(d.getString("status")));
    assertEquals("DELIVERED", delivered.getString("status"), delivered::encode);
    assertEquals(List.of(delivery.getString("messageId")), received);
  }

  @Test
  @DisplayName("only an endpoint that does not exist any more fails its delivery")
  void deletedEndpointFailsTheDelivery() {
    Session owner = api.signup("Lookup Deleted Co");
    String hookId = createHook(owner);
    assertEquals(204, api.delete("/api/v1/webhooks/" + hookId, owner.token()).status());
    JsonObject delivery = leasedDelivery(owner, hookId);
    send(delivery, stack.mongo);

    JsonObject failed = stored(delivery);
    assertEquals("FAILED", failed.getString("status"), failed::encode);
    assertEquals("the endpoint was deleted", failed.getJsonArray("attempts").getJsonObject(0).getString("error"));
    assertTrue(received.isEmpty());
  }

  @Test
  @DisplayName("an attempt connects to the address its target check resolved, not to a second lookup of the name, and names the URL's host")
  void attemptConnectsToTheCheckedAddress() {
    Session owner = api.signup("Checked Address Co");
    String hookId = createHook(owner);
    pointAt(hookId, "http://hooks.stockroom.invalid:" + receiver.actualPort() + "/hooks");
    JsonObject delivery = leasedDelivery(owner, hookId);
    send(delivery, stack.mongo, resolvingTo("127.0.0.1"));

    JsonObject delivered = stored(delivery);
    assertEquals("DELIVERED", delivered.getString("status"), delivered::encode);
    assertEquals(List.of(delivery.getString("messageId")), received);
    assertEquals(List.of("hooks.stockroom.invalid:" + receiver.actualPort()), hosts, "the URL's host is still the Host header");
  }

  @Test
  @DisplayName("a name that resolves to the metadata service at connect time is not contacted, even with private targets on; the attempt spends a retry")
  void attemptToRebindingNameIsRefused() {
    Session owner = api.signup("Rebinding Co");
    String hookId = createHook(owner);
    pointAt(hookId, "http://hooks.stockroom.invalid:" + receiver.actualPort() + "/hooks");
    JsonObject delivery = leasedDelivery(owner, hookId);
    send(delivery, stack.mongo, resolvingTo("169.254.169.254"));

    JsonObject retried = stored(delivery);
    assertEquals("PENDING", retried.getString("status"), retried::encode);
    assertEquals(1, retried.getInteger("attemptCount"), retried::encode);
    assertTrue(retried.getJsonArray("attempts").getJsonObject(0).getString("error").contains("link-local or cloud metadata"), retried::encode);
    assertTrue(received.isEmpty());
  }

  @Test
  @DisplayName("an https attempt connects to the checked address yet sends the URL's host as SNI and verifies the certificate against that name")
  void httpsAttemptUsesTheUrlsHostForTls() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("hooks.test");  // not valid for 127.0.0.1
    List<String> serverNames = new CopyOnWriteArrayList<>();
    HttpServer tlsReceiver = tlsReceiver(certificate, serverNames);
    try {
      Session owner = api.signup("TLS Name Co");
      String hookId = createHook(owner);
      pointAt(hookId, "https://hooks.test:" + tlsReceiver.actualPort() + "/hooks");
      JsonObject delivery = leasedDelivery(owner, hookId);
      send(delivery, resolvingTo("127.0.0.1"), certificate.trustOptions());

      JsonObject delivered = stored(delivery);
      assertEquals("DELIVERED", delivered.getString("status"), delivered::encode);
      assertEquals(List.of("hooks.test"), serverNames, "SNI names the URL's host, not the address connected to");
    } finally {
      tlsReceiver.close().await();
    }
  }

  @Test
  @DisplayName("an https attempt at a server whose (trusted) certificate names another host fails: the host name is verified")
  void httpsAttemptVerifiesTheHostName() {
    SelfSignedCertificate otherHost = SelfSignedCertificate.create("elsewhere.test");
    List<String> serverNames = new CopyOnWriteArrayList<>();
    HttpServer tlsReceiver = tlsReceiver(otherHost, serverNames);
    try {
      Session owner = api.signup("TLS Mismatch Co");
      String hookId = createHook(owner);
      pointAt(hookId, "https://elsewhere.test:" + tlsReceiver.actualPort() + "/hooks");
      JsonObject matching = leasedDelivery(owner, hookId);
      send(matching, resolvingTo("127.0.0.1"), otherHost.trustOptions());
      assertEquals("DELIVERED", stored(matching).getString("status"), "the certificate is trusted for its own name");

      pointAt(hookId, "https://hooks.test:" + tlsReceiver.actualPort() + "/hooks");
      JsonObject mismatched = leasedDelivery(owner, hookId);
      send(mismatched, resolvingTo("127.0.0.1"), otherHost.trustOptions());

      JsonObject retried = stored(mismatched);
      assertEquals("PENDING", retried.getString("status"), retried::encode);
      assertEquals(1, retried.getInteger("attemptCount"), retried::encode);
      assertTrue(retried.getJsonArray("attempts").getJsonObject(0).getString("error").contains("hooks.test"),
        () -> "the attempt says which name the certificate does not match: " + retried.encode());
      assertEquals(List.of("elsewhere.test"), serverNames, "only the matching attempt reached the server");
    } finally {
      tlsReceiver.close().await();
    }
  }

  /** An https server on loopback with {@code certificate}, recording the SNI name of each request it gets. */
  private HttpServer tlsReceiver(SelfSignedCertificate certificate, List<String> serverNames) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(certificate.keyCertOptions());
    return stack.vertx.createHttpServer(options).requestHandler(req -> {
      serverNames.add(String.valueOf(req.connection().indicatedServerName()));
      req.response().setStatusCode(204).end();
    }).listen(0, "127.0.0.1").await();
  }

  /** A resolver answering {@code address} for every name, as a DNS server that rebinds names would. */
  private static TargetPolicy.Resolver resolvingTo(String address) {
    return host -> new InetAddress[] {InetAddress.getByName(address)};
  }

  /** Stored directly: the suite's own policy would refuse a name that does not resolve. */
  private void pointAt(String hookId, String url) {
    stack.mongo.updateCollection(Webhooks.COLLECTION, new JsonObject().put("_id", hookId),
      new JsonObject().put("$set", new JsonObject().put("url", url))).await();
  }

  private String createHook(Session owner) {
    Res hook = api.post("/api/v1/webhooks", owner.token(), new JsonObject()
      .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooks").put("events", new JsonArray().add("stock.changed")));
    assertEquals(201, hook.status(), hook::toString);
    return hook.id();
  }

  /** A delivery due now but leased by this instance for a minute, as the sender finds it once it took the lease. */
  private JsonObject leasedDelivery(Session owner, String hookId) {
    Instant now = Instant.now();
    JsonObject delivery = new JsonObject().put("_id", new ObjectId().toHexString()).put("tenantId", owner.tenantId())
      .put("webhookId", hookId).put("messageId", "msg_" + new ObjectId().toHexString()).put("type", "stock.changed")
      .put("payload", new JsonObject().put("type", "stock.changed").put("timestamp", now.toString()).put("data", new JsonObject()).encode())
      .put("status", "PENDING").put("attempts", new JsonArray()).put("attemptCount", 0).put("nextAttemptAt", date(now))
      .put("leaseUntil", date(now.plus(Duration.ofMinutes(1)))).put("leaseOwner", UnitJournal.INSTANCE)
      .put("createdAt", date(now)).put("expiresAt", date(now.plus(Duration.ofDays(1))));
    stack.mongo.insert(WebhookDeliveries.COLLECTION, delivery).await();
    return delivery;
  }

  private void send(JsonObject delivery, MongoClient mongo) {
    send(delivery, mongo, InetAddress::getAllByName);
  }

  private void send(JsonObject delivery, MongoClient mongo, TargetPolicy.Resolver resolver) {
    send(new WebhookSender(stack.vertx, mongo, new TargetPolicy(stack.vertx, true, resolver), 3_000), delivery);
  }

  private void send(JsonObject delivery, TargetPolicy.Resolver resolver, TrustOptions trust) {
    send(new WebhookSender(stack.vertx, stack.mongo, new TargetPolicy(stack.vertx, true, resolver), 3_000, trust), delivery);
  }

  private static void send(WebhookSender sender, JsonObject delivery) {
    try {
      sender.send(delivery).await();
    } finally {
      sender.close();
    }
  }

  private JsonObject stored(JsonObject delivery) {
    return stack.mongo.findOne(WebhookDeliveries.COLLECTION, new JsonObject().put("_id", delivery.getString("_id")), null).await();
  }

  private static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }

  /** {@code mongo}, except that its first read of one document of {@code collection} times out. */
  private static MongoClient failingOnce(MongoClient mongo, String collection) {
    AtomicBoolean failed = new AtomicBoolean();
    return (MongoClient) Proxy.newProxyInstance(MongoClient.class.getClassLoader(), new Class<?>[] {MongoClient.class}, (proxy, method, args) -> {
      if (method.getName().equals("findOne") && collection.equals(args[0]) && failed.compareAndSet(false, true)) {
        return Future.failedFuture(new MongoTimeoutException("Timed out waiting for a server (test)"));
      }
      try {
        return method.invoke(mongo, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
