package io.stockroom;

import io.stockroom.support.Eventually;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge refuses sockets from foreign browser origins, accepts its own origin, and drops sockets whose token expired. */
class BridgeOriginTest {
  private final TestStack stack = TestStack.get();

  private String outcome(String origin, Session session) throws Exception {
    WebSocketClient client = stack.vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(stack.port)
      .setURI("/eventbus/websocket");
    if (origin != null) options.addHeader("Origin", origin);
    Promise<String> result = Promise.promise();
    WebSocket ws = client.connect(options).await();
    try {
      ws.closeHandler(v -> result.tryComplete("closed"));
      ws.textMessageHandler(text -> result.tryComplete("message:" + text));
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "stock." + session.tenantId())
        .put("headers", new JsonObject().put("token", session.token())).encode());
      ws.writeTextMessage(new JsonObject().put("type", "ping").encode());
    } catch (IllegalStateException closedAlready) {
      result.tryComplete("closed");
    }
    stack.vertx.setTimer(800, id -> result.tryComplete("open"));
    String outcome = result.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    if (!ws.isClosed()) ws.close();
    client.close();
    return outcome;
  }

  @Test
  @DisplayName("a socket from a foreign Origin is closed; the service's own origin and non-browser clients are served")
  void origins() throws Exception {
    Session owner = stack.api.signup("Origin Co");
    assertEquals("closed", outcome("https://evil.example", owner));
    assertEquals("open", outcome("http://127.0.0.1:" + stack.port, owner));
    assertEquals("open", outcome(null, owner));
  }

  @Test
  @DisplayName("a socket registered with a token is closed when that token expires")
  void closedAtTokenExpiry() throws Exception {
    Session owner = stack.api.signup("Expiry Co");
    long now = System.currentTimeMillis() / 1000;
    String shortLived = new io.stockroom.support.Tokens(stack.vertx).signed(io.stockroom.support.Tokens.claims(owner, "OWNER")
      .put("iat", now).put("exp", now + 2), io.stockroom.support.Tokens.defaults().setNoTimestamp(true));
    WebSocketClient client = stack.vertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(stack.port).setURI("/eventbus/websocket")).await();
    Promise<Long> closedAt = Promise.promise();
    ws.closeHandler(v -> closedAt.tryComplete(System.currentTimeMillis()));
    ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "stock." + owner.tenantId())
      .put("headers", new JsonObject().put("token", shortLived)).encode());
    long closed = closedAt.future().toCompletionStage().toCompletableFuture().get(8, TimeUnit.SECONDS);
    assertTrue(closed / 1000 >= now + 1, "closed only once the token had expired");
    client.close();
  }

  /** Event-bus handlers registered in the test JVM for an address (the bridge registers one per socket). */
  @SuppressWarnings("unchecked")
  private int handlers(String address) {
    java.lang.reflect.Field field;
    java.util.Map<String, ?> map;
    try {
      field = io.vertx.core.eventbus.impl.EventBusImpl.class.getDeclaredField("handlerMap");
      field.setAccessible(true);
      map = (java.util.Map<String, ?>) field.get(stack.vertx.eventBus());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    Object holders = map.get(address);
    return holders == null ? 0 : ((io.vertx.core.impl.utils.ConcurrentCyclicSequence<?>) holders).size();
  }

  private void awaitHandlers(String address, int count) throws Exception {
    Eventually.holds(Duration.ofSeconds(3), () -> handlers(address) == count);
  }

  @Test
  @DisplayName("after 200 register/close cycles the bridge holds no consumer of the closed sockets")
  void closedSocketsAreReleased() throws Exception {
    Session owner = stack.api.signup("Leak Co");
    String address = "stock." + owner.tenantId();
    int baseline = handlers(address);
    WebSocketClient client = stack.vertx.createWebSocketClient();
    for (int i = 0; i < 200; i++) {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(stack.port)
        .setURI("/eventbus/websocket")).await();
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("token", owner.token())).encode());
      awaitHandlers(address, baseline + 1);
      ws.close().await();
      awaitHandlers(address, baseline);
      assertEquals(baseline, handlers(address), "cycle " + i + ": the closed socket's consumer is still registered");
    }
    client.close();
  }
}
