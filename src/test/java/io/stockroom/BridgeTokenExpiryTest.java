package io.stockroom;

import io.stockroom.support.Eventually;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.support.Tokens;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bridge tells an expired token apart from a refused one, so a browser refreshes instead of logging in again. */
class BridgeTokenExpiryTest {
  private static final String TOKEN_EXPIRED = new JsonObject().put("type", "err").put("body", "token_expired").encode();
  private static final String REJECTED = new JsonObject().put("type", "err").put("body", "rejected").encode();

  private final TestStack stack = TestStack.get();
  private final Tokens tokens = new Tokens(stack.vertx);
  private final WebSocketClient client = stack.vertx.createWebSocketClient();
  private final List<String> frames = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  @AfterEach
  void closeClient() {
    client.close().await();
  }

  private WebSocket register(Session session, String token) {
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(stack.port)
      .setURI("/eventbus/websocket")).await();
    ws.handler(data -> frames.add(data.toString()));  // the raw transport sends data frames, text or binary
    ws.closeHandler(v -> closed.set(true));
    ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "stock." + session.tenantId())
      .put("headers", new JsonObject().put("token", token)).encode()).await();
    return ws;
  }

  @Test
  @DisplayName("a registration with an expired token gets token_expired before rejected; a forged one only rejected")
  void expiredRegistration() {
    Session owner = stack.api.signup("Bridge Expired Co");
    JsonObject claims = Tokens.claims(owner, "OWNER");
    WebSocket ws = register(owner, tokens.expired(claims));
    Eventually.until("the refusal", Duration.ofSeconds(5), () -> frames.contains(REJECTED));
    assertEquals(List.of(TOKEN_EXPIRED, REJECTED), frames);
    ws.close().await();

    frames.clear();
    WebSocket forged = register(owner, tokens.wrongKey(claims));
    Eventually.until("the refusal", Duration.ofSeconds(5), () -> frames.contains(REJECTED));
    assertEquals(List.of(REJECTED), frames);
    forged.close().await();
  }

  @Test
  @DisplayName("a socket whose token expires receives token_expired, then is closed")
  void expiryWhileRegistered() {
    Session owner = stack.api.signup("Bridge Expiring Co");
    long now = System.currentTimeMillis() / 1000;
    String shortLived = tokens.signed(Tokens.claims(owner, "OWNER").put("iat", now).put("exp", now + 2),
      Tokens.defaults().setNoTimestamp(true));
    register(owner, shortLived);
    Eventually.until("the close at expiry", Duration.ofSeconds(8), closed::get);
    assertEquals(List.of(TOKEN_EXPIRED), frames);
  }
}
