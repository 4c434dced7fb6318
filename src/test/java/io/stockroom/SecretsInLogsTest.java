package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.LogCapture;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets never reach a log line or an error body. The test stack captures every log line of the test JVM from its
 * start (whatever other tests ran before this one included); this test adds traffic that handles passwords, access
 * and refresh tokens, webhook secrets and the signing key on success and on failure paths, then searches the log and
 * every answer it received.
 */
class SecretsInLogsTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;
  private final List<String> secrets = new ArrayList<>();
  private final List<Res> errorAnswers = new ArrayList<>();

  private String secret(String value) {
    secrets.add(value);
    return value;
  }

  private Res error(Res res, int status) {
    assertEquals(status, res.status(), res::toString);
    errorAnswers.add(res);
    return res;
  }

  @Test
  @DisplayName("no password, token, webhook secret or signing key appears in the logs or in an error body")
  void noSecretsInLogsOrErrors() {
    secret(TestStack.TEST_JWT_SECRET);
    String password = secret("Pw-" + UUID.randomUUID());
    String email = Api.uniqueEmail("secrets");
    Res signup = api.post("/api/v1/auth/signup", null, new JsonObject().put("tenantName", "Secret Co").put("name", "S")
      .put("email", email).put("password", password));
    assertEquals(201, signup.status(), signup::toString);
    String ownerToken = secret(signup.json().getString("accessToken"));
    secret(ownerToken.substring(ownerToken.lastIndexOf('.') + 1));
    secret(signup.json().getString("refreshToken"));

    for (int i = 0; i < 3; i++) {
      error(api.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", secret("Wrong-" + UUID.randomUUID()))), 401);
    }
    error(api.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", secret("Long-" + "x".repeat(300)))), 400);
    error(api.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", password).put("extra", password)), 400);
    error(api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/auth/login", null,
      Buffer.buffer("{\"email\":\"" + email + "\",\"password\":\"" + password + "\",}"), null).await(), 400);

    Res login = api.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", password));
    assertEquals(200, login.status(), login::toString);
    String refreshToken = secret(login.json().getString("refreshToken"));
    String accessToken = secret(login.json().getString("accessToken"));
    Res refreshed = api.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", refreshToken));
    secret(refreshed.json().getString("refreshToken"));
    secret(refreshed.json().getString("accessToken"));
    error(api.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", refreshToken)), 401);
    assertEquals(204, api.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", refreshed.json().getString("refreshToken"))).status());

    String tampered = secret(accessToken.substring(0, accessToken.length() - 4) + "AAAA");
    error(api.get("/api/v1/me", tampered), 401);
    error(api.get("/api/v1/users?limit=1", secret(accessToken + ".extra")), 401);

    Session owner = new Session(accessToken, signup.json().getJsonObject("tenant").getString("id"),
      signup.json().getJsonObject("user").getString("id"), email, password);
    String userPassword = secret("User-" + UUID.randomUUID());
    assertEquals(201, api.post("/api/v1/users", owner.token(), new JsonObject().put("email", Api.uniqueEmail("u")).put("name", "U")
      .put("password", userPassword).put("role", "STAFF")).status());
    error(api.post("/api/v1/users", owner.token(), new JsonObject().put("email", "not-an-email").put("name", "U")
      .put("password", secret("Invalid-" + UUID.randomUUID())).put("role", "EMPEROR")), 400);

    Res webhook = api.post("/api/v1/webhooks", owner.token(), new JsonObject().put("url", "https://hooks.example.com/secret")
      .put("events", new JsonArray().add("stock.changed")));
    assertEquals(201, webhook.status(), webhook::toString);
    secret(webhook.json().getString("secret"));
    Res rotated = api.post("/api/v1/webhooks/" + webhook.id() + "/rotate-secret", owner.token(), null);
    secret(rotated.json().getString("secret"));
    error(api.patch("/api/v1/webhooks/" + webhook.id(), owner.token(), new JsonObject().put("secret", "x")), 400);

    assertFalse(LogCapture.linesContaining("/api/v1/auth/login").isEmpty(), "the capture sees the access log");
    for (String secret : secrets) {
      assertTrue(secret != null && secret.length() >= 8);
      assertEquals(List.of(), LogCapture.linesContaining(secret), "a log line holds a secret");
      for (Res answer : errorAnswers) assertFalse(answer.text().contains(secret), "an error body holds a secret: " + answer);
    }
  }
}
