package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refresh tokens (rotation, reuse detection, logout, revocation), the kid header and the audit log. */
class SessionTokensTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private JsonObject login(String email) {
    Res res = api.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", Api.PASSWORD));
    assertEquals(200, res.status(), res::toString);
    return res.json();
  }

  private Res refresh(String refreshToken) {
    return api.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", refreshToken));
  }

  @Test
  @DisplayName("a rotated token replayed while the client refreshes revokes the family, including the token that refresh minted (20 families)")
  void reuseRacingARotation() {
    Session owner = api.signup("Racing Refresh Co");
    int survived = 0;
    for (int family = 0; family < 20; family++) {
      String stolen = login(owner.email()).getString("refreshToken");
      Res rotated = refresh(stolen);
      assertEquals(200, rotated.status(), rotated::toString);
      String current = rotated.json().getString("refreshToken");
      JsonObject body = new JsonObject().put("refreshToken", current);
      JsonObject replay = new JsonObject().put("refreshToken", stolen);
      var client = api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/auth/refresh", null, body);
      var attacker = api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/auth/refresh", null, replay);
      Res clientRes = client.await();
      assertProblem(attacker.await(), 401);
      if (clientRes.status() == 200 && refresh(clientRes.json().getString("refreshToken")).status() == 200) survived++;
    }
    assertEquals(0, survived, "families in which the token minted beside a detected reuse kept working");
  }

  @Test
  @DisplayName("a refresh rotates the token; reusing a rotated one revokes the whole family")
  void rotationAndReuseDetection() {
    Session owner = api.signup("Refresh Co");
    JsonObject first = login(owner.email());
    String header = new String(Base64.getUrlDecoder().decode(first.getString("accessToken").split("\\.")[0]), StandardCharsets.UTF_8);
    assertEquals("k1", new JsonObject(header).getString("kid"), "tokens name their signing key");

    Res second = refresh(first.getString("refreshToken"));
    assertEquals(200, second.status(), second::toString);
    String nextRefresh = second.json().getString("refreshToken");
    assertNotEquals(first.getString("refreshToken"), nextRefresh);
    assertEquals(200, api.get("/api/v1/me", second.json().getString("accessToken")).status());

    assertProblem(refresh(first.getString("refreshToken")), 401);
    assertProblem(refresh(nextRefresh), 401);

    JsonObject otherDevice = login(owner.email());
    assertEquals(200, refresh(otherDevice.getString("refreshToken")).status(), "another login is another family");
    assertProblem(refresh("rt_not-a-token"), 401);
    assertProblem(api.post("/api/v1/auth/refresh", null, new JsonObject()), 400);
  }

  @Test
  @DisplayName("logout ends the session; unknown tokens answer 204 too")
  void logout() {
    Session owner = api.signup("Logout Co");
    JsonObject session = login(owner.email());
    Res rotated = refresh(session.getString("refreshToken"));
    assertEquals(204, api.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", rotated.json().getString("refreshToken"))).status());
    assertProblem(refresh(rotated.json().getString("refreshToken")), 401);
    assertEquals(204, api.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", "rt_unknown")).status());
  }

  @Test
  @DisplayName("deactivating a user or changing its role revokes its refresh tokens")
  void revocation() {
    Session owner = api.signup("Revoke Co");
    Session staff = api.addUser(owner, "STAFF");
    Session manager = api.addUser(owner, "MANAGER");
    String staffRefresh = login(staff.email()).getString("refreshToken");
    String managerRefresh = login(manager.email()).getString("refreshToken");

    assertEquals(204, api.delete("/api/v1/users/" + staff.userId(), owner.token()).status());
    assertEquals(200, api.patch("/api/v1/users/" + manager.userId(), owner.token(), new JsonObject().put("role", "STAFF")).status());

    assertProblem(refresh(staffRefresh), 401);
    assertProblem(refresh(managerRefresh), 401);
    JsonObject relogin = login(manager.email());
    assertEquals("STAFF", relogin.getJsonObject("user").getString("role"));
    assertEquals(200, refresh(relogin.getString("refreshToken")).status());
  }

  @Test
  @DisplayName("the audit log records who changed what, when and from where; only its tenant's OWNER reads it")
  void auditLog() {
    Session owner = api.signup("Audit Co");
    Session manager = api.addUser(owner, "MANAGER");
    assertEquals(200, api.patch("/api/v1/users/" + manager.userId(), owner.token(), new JsonObject().put("role", "STAFF")).status());
    Session staff = api.addUser(owner, "STAFF");
    assertEquals(204, api.delete("/api/v1/users/" + staff.userId(), owner.token()).status());
    Session webhookManager = api.addUser(owner, "MANAGER");
    Res webhook = api.post("/api/v1/webhooks", webhookManager.token(), new JsonObject().put("url", "https://hooks.example.com/stock")
      .put("events", new JsonArray().add("stock.changed")));
    assertEquals(201, webhook.status(), webhook::toString);
    String secret = webhook.json().getString("secret");
    assertEquals(200, api.post("/api/v1/webhooks/" + webhook.id() + "/rotate-secret", webhookManager.token(), null).status());
    assertEquals(204, api.delete("/api/v1/webhooks/" + webhook.id(), webhookManager.token()).status());

    List<JsonObject> entries = new ArrayList<>();
    String cursor = null;
    do {
      Res page = api.get("/api/v1/audit-log?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), owner.token());
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(item -> entries.add((JsonObject) item));
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);

    List<String> tenantActions = entries.stream().filter(e -> "TENANT".equals(e.getString("scope"))).map(e -> e.getString("action")).toList();
    assertEquals(List.of("TENANT_CREATED", "USER_CREATED", "USER_ROLE_CHANGED", "USER_CREATED", "USER_DEACTIVATED", "USER_CREATED",
      "WEBHOOK_CREATED", "WEBHOOK_SECRET_ROTATED", "WEBHOOK_DELETED"), tenantActions);
    assertTrue(entries.stream().anyMatch(e -> "SIGNING_KEY_ACTIVATED".equals(e.getString("action")) && "PLATFORM".equals(e.getString("scope"))));
    JsonObject roleChange = entries.stream().filter(e -> "USER_ROLE_CHANGED".equals(e.getString("action"))).findFirst().orElseThrow();
    assertEquals(owner.userId(), roleChange.getJsonObject("actor").getString("userId"));
    assertEquals("127.0.0.1", roleChange.getString("from"));
    assertEquals(manager.userId(), roleChange.getJsonObject("target").getString("id"));
    assertEquals(new JsonObject().put("from", "MANAGER").put("to", "STAFF"), roleChange.getJsonObject("details"));
    assertTrue(roleChange.getString("createdAt").endsWith("Z"));
    JsonObject created = entries.stream().filter(e -> "WEBHOOK_CREATED".equals(e.getString("action"))).findFirst().orElseThrow();
    assertEquals(webhookManager.userId(), created.getJsonObject("actor").getString("userId"));
    assertTrue(!entries.toString().contains(secret), "no webhook secret in the audit log");

    Res filtered = api.get("/api/v1/audit-log?action=USER_DEACTIVATED", owner.token());
    assertEquals(1, filtered.items().size(), filtered::toString);
    assertProblem(api.get("/api/v1/audit-log", webhookManager.token()), 403);
    Session stranger = api.signup("Stranger Co");
    Res theirs = api.get("/api/v1/audit-log?limit=200", stranger.token());
    assertTrue(theirs.items().stream().map(JsonObject.class::cast).noneMatch(e -> owner.tenantId().equals(e.getJsonObject("target").getString("id"))
      || "USER_ROLE_CHANGED".equals(e.getString("action"))), "another tenant sees none of these entries");
    assertProblem(api.get("/api/v1/audit-log?cursor=bogus", owner.token()), 400);
    assertProblem(api.get("/api/v1/audit-log?action=DROP_TABLES", owner.token()), 400);
  }
}
