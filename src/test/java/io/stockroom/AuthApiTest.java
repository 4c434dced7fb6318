package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.support.Tokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;
  private final Tokens tokens = new Tokens(stack.vertx);

  @Test
  @DisplayName("signup creates a tenant and its OWNER, login returns a working token, /me shows both")
  void signupLoginMe() {
    String email = Api.uniqueEmail("Mixed.Case");
    Res signup = api.post("/api/v1/auth/signup", null, new JsonObject().put("tenantName", "Signup Co").put("name", "Ada")
      .put("email", email).put("password", Api.PASSWORD).put("currency", "USD").put("timezone", "Europe/Berlin"));
    assertEquals(201, signup.status(), signup::toString);
    JsonObject body = signup.json();
    assertEquals("Bearer", body.getString("tokenType"));
    assertEquals(900, body.getInteger("expiresIn"));
    assertEquals("OWNER", body.getJsonObject("user").getString("role"));
    assertEquals(email.toLowerCase(), body.getJsonObject("user").getString("email"));
    assertFalse(body.getJsonObject("user").containsKey("passwordHash"), "hash must never leave the service");
    assertEquals("USD", body.getJsonObject("tenant").getString("currency"));

    Res login = api.post("/api/v1/auth/login", null, new JsonObject().put("email", email.toUpperCase()).put("password", Api.PASSWORD));
    assertEquals(200, login.status(), login::toString);
    String token = login.json().getString("accessToken");

    Res me = api.get("/api/v1/me", token);
    assertEquals(200, me.status(), me::toString);
    assertEquals(body.getJsonObject("user").getString("id"), me.json().getJsonObject("user").getString("id"));
    assertEquals("Signup Co", me.json().getJsonObject("tenant").getString("name"));
    assertEquals("Europe/Berlin", me.json().getJsonObject("tenant").getString("timezone"));
  }

  @Test
  @DisplayName("login failures look the same whether or not the email exists")
  void loginFailuresRevealNothing() {
    Session owner = api.signup("Login Co");
    Res wrongPassword = api.post("/api/v1/auth/login", null, new JsonObject().put("email", owner.email()).put("password", "wrong password!"));
    Res unknownEmail = api.post("/api/v1/auth/login", null, new JsonObject().put("email", "nobody-" + owner.email()).put("password", "wrong password!"));
    JsonObject a = assertProblem(wrongPassword, 401);
    JsonObject b = assertProblem(unknownEmail, 401);
    assertEquals(a, b);
  }

  @Test
  @DisplayName("signup rejects short passwords, bad emails and unknown fields, creating nothing; another tenant's email is not revealed")
  void signupValidation() {
    Session existing = api.signup("Taken Co");
    JsonObject valid = new JsonObject().put("tenantName", "X").put("name", "Y").put("email", Api.uniqueEmail("v")).put("password", Api.PASSWORD);

    JsonObject shortPassword = assertProblem(api.post("/api/v1/auth/signup", null, valid.copy().put("password", "short")), 400);
    assertFalse(shortPassword.getJsonArray("errors").isEmpty(), shortPassword::encode);
    assertProblem(api.post("/api/v1/auth/signup", null, valid.copy().put("email", "not-an-email")), 400);
    assertProblem(api.post("/api/v1/auth/signup", null, valid.copy().put("tenantId", existing.tenantId())), 400);
    assertProblem(api.post("/api/v1/auth/signup", null, valid.copy().put("currency", "XXQ")), 400);
    assertProblem(api.post("/api/v1/auth/signup", null, valid.copy().put("timezone", "Mars/Olympus")), 400);
    assertEquals(201, api.post("/api/v1/auth/signup", null, valid.copy().put("email", existing.email().toUpperCase())).status(),
      "an email of another tenant is neither refused nor revealed: the new tenant gets its own account");

    Res login = api.post("/api/v1/auth/login", null, new JsonObject().put("email", valid.getString("email")).put("password", Api.PASSWORD));
    assertProblem(login, 401);
  }

  @Test
  @DisplayName("tokens with alg none, a bad signature, expired, without exp, wrong audience or issuer get 401")
  void jwtRejections() {
    Session owner = api.signup("Jwt Co");
    JsonObject claims = Tokens.claims(owner, "OWNER");
    assertEquals(200, api.get("/api/v1/me", tokens.valid(claims)).status(), "control: a correctly forged token works");

    List<String> bad = List.of(
      Tokens.unsigned(claims),
      tokens.wrongKey(claims),
      owner.token().substring(0, owner.token().length() - 3) + "abc",
      tokens.expired(claims),
      tokens.withoutExpiry(claims),
      tokens.signed(claims, Tokens.defaults().setAudience(List.of("someone-else")).setExpiresInSeconds(300)),
      tokens.signed(claims, Tokens.defaults().setIssuer("evil").setExpiresInSeconds(300)),
      tokens.valid(claims.copy().put("role", "SUPERUSER")),
      tokens.valid(claims.copy().putNull("tenantId")),
      "not-a-jwt");
    for (int i = 0; i < bad.size(); i++) {
      Res res = api.get("/api/v1/me", bad.get(i));
      int index = i;
      assertEquals(401, res.status(), () -> "forged token #" + index + ": " + res);
      assertProblem(res, 401);
    }
    assertProblem(api.get("/api/v1/me", null), 401);
  }

  @Test
  @DisplayName("the OWNER manages users: create, list, change role, deactivate; deactivated users cannot log in")
  void userManagement() {
    Session owner = api.signup("Users Co");
    Session staff = api.addUser(owner, "STAFF");

    Res list = api.get("/api/v1/users", owner.token());
    assertEquals(200, list.status());
    assertEquals(2, list.items().size());
    list.items().forEach(u -> assertFalse(((JsonObject) u).containsKey("passwordHash")));

    Res promoted = api.patch("/api/v1/users/" + staff.userId(), owner.token(), new JsonObject().put("role", "MANAGER"));
    assertEquals(200, promoted.status(), promoted::toString);
    assertEquals("MANAGER", promoted.json().getString("role"));
    Session relogged = api.login(staff.email(), staff.password(), owner.tenantId());
    assertEquals("MANAGER", api.get("/api/v1/me", relogged.token()).json().getJsonObject("user").getString("role"));

    assertEquals(204, api.delete("/api/v1/users/" + staff.userId(), owner.token()).status());
    assertProblem(api.post("/api/v1/auth/login", null, new JsonObject().put("email", staff.email()).put("password", staff.password())), 401);
    assertFalse(api.get("/api/v1/users/" + staff.userId(), owner.token()).json().getBoolean("active"));

    assertProblem(api.post("/api/v1/users", owner.token(), new JsonObject().put("email", staff.email()).put("name", "Again")
      .put("password", Api.PASSWORD).put("role", "STAFF")), 409);
    assertProblem(api.get("/api/v1/me", staff.token()), 401);
    assertProblem(api.get("/api/v1/me", relogged.token()), 401);
    assertProblem(api.post("/api/v1/users", owner.token(), new JsonObject().put("email", Api.uniqueEmail("r")).put("name", "R")
      .put("password", Api.PASSWORD).put("role", "ADMIN")), 400);
  }

  @Test
  @DisplayName("a tenant always keeps one active OWNER")
  void lastOwnerIsProtected() {
    Session owner = api.signup("Owner Co");
    assertProblem(api.patch("/api/v1/users/" + owner.userId(), owner.token(), new JsonObject().put("role", "STAFF")), 409);
    assertProblem(api.delete("/api/v1/users/" + owner.userId(), owner.token()), 409);
    Session second = api.addUser(owner, "OWNER");
    assertEquals(204, api.delete("/api/v1/users/" + owner.userId(), second.token()).status());
    assertProblem(api.patch("/api/v1/users/" + second.userId(), second.token(), new JsonObject().put("active", false)), 409);
    JsonObject me = api.get("/api/v1/me", second.token()).json();
    assertTrue(me.getJsonObject("user").getBoolean("active"));
  }

  @Test
  @DisplayName("two owners demoting each other at once never leave the tenant without an active OWNER")
  void concurrentDemotions() {
    for (int round = 0; round < 5; round++) {
      Session first = api.signup("Race Owners " + round);
      Session second = api.addUser(first, "OWNER");
      io.vertx.core.Future<Res> a = api.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/users/" + second.userId(), first.token(),
        new JsonObject().put("role", "STAFF"));
      io.vertx.core.Future<Res> b = api.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/users/" + first.userId(), second.token(),
        new JsonObject().put("role", "STAFF"));
      io.vertx.core.Future.join(a, b).await();
      Res byFirst = api.get("/api/v1/users", first.token());
      Res users = byFirst.status() == 200 ? byFirst : api.get("/api/v1/users", second.token());
      assertEquals(200, users.status(), "the owner left must still be able to list users: " + users);
      long owners = users.items().stream()
        .filter(u -> "OWNER".equals(((JsonObject) u).getString("role")) && ((JsonObject) u).getBoolean("active")).count();
      assertTrue(owners >= 1, "round " + round + ": " + a.result() + " / " + b.result());
      // 401: the other owner's demotion landed first and revoked this request's token.
      assertTrue(List.of(200, 401, 409).contains(a.result().status()), a.result()::toString);
      assertTrue(List.of(200, 401, 409).contains(b.result().status()), b.result()::toString);
    }
  }

  @Test
  @DisplayName("login answers a session whose token differs per login and carries tenant and role claims")
  void tokenClaims() {
    Session owner = api.signup("Claims Co");
    String payload = new String(java.util.Base64.getUrlDecoder().decode(owner.token().split("\\.")[1]));
    JsonObject claims = new JsonObject(payload);
    assertEquals(owner.userId(), claims.getString("sub"));
    assertEquals(owner.tenantId(), claims.getString("tenantId"));
    assertEquals("OWNER", claims.getString("role"));
    assertEquals(TestStack.ISSUER, claims.getString("iss"));
    assertTrue(claims.getLong("exp") - claims.getLong("iat") <= 900);
    assertNull(claims.getValue("password"));
    String header = new String(java.util.Base64.getUrlDecoder().decode(owner.token().split("\\.")[0]));
    assertEquals("HS256", new JsonObject(header).getString("alg"));
    assertNotEquals(owner.token(), api.login(owner.email(), owner.password(), owner.tenantId()).token());
  }

  @Test
  @DisplayName("a deactivated or demoted user's tokens stop working at once: no takeover by the deactivated owner")
  void revokedSessions() {
    Session first = api.signup("Takeover Co");
    Session second = api.addUser(first, "OWNER");
    assertEquals(204, api.delete("/api/v1/users/" + first.userId(), second.token()).status());
    assertProblem(api.patch("/api/v1/users/" + first.userId(), first.token(), new JsonObject().put("active", true)), 401);
    assertProblem(api.delete("/api/v1/users/" + second.userId(), first.token()), 401);
    assertProblem(api.get("/api/v1/products", first.token()), 401);
    assertEquals(200, api.get("/api/v1/me", second.token()).status());
    api.login(second.email(), second.password(), second.tenantId());

    Session manager = api.addUser(second, "MANAGER");
    assertEquals(201, api.post("/api/v1/products", manager.token(), new JsonObject().put("name", "ok")).status());
    assertEquals(200, api.patch("/api/v1/users/" + manager.userId(), second.token(), new JsonObject().put("role", "STAFF")).status());
    assertProblem(api.post("/api/v1/products", manager.token(), new JsonObject().put("name", "demoted")), 401);
    Session staff = api.login(manager.email(), manager.password(), second.tenantId());
    assertProblem(api.post("/api/v1/products", staff.token(), new JsonObject().put("name", "staff")), 403);
  }

  private static String tenantOf(String token) {
    return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]))).getString("tenantId");
  }

  @Test
  @DisplayName("signup and user creation do not reveal another tenant's accounts; login finds the account by password")
  void noEnumerationAcrossTenants() {
    Session acme = api.signup("Enum Acme");
    Res again = api.post("/api/v1/auth/signup", null, new JsonObject().put("tenantName", "Enum Other").put("name", "Other")
      .put("email", acme.email()).put("password", "another password 9"));
    assertEquals(201, again.status(), "an email used in another tenant is not revealed: " + again);
    Session other = api.signup("Enum Third");
    Res created = api.post("/api/v1/users", other.token(), new JsonObject().put("email", acme.email()).put("name", "Same")
      .put("password", Api.PASSWORD).put("role", "STAFF"));
    assertEquals(201, created.status(), created::toString);

    Res acmeLogin = api.post("/api/v1/auth/login", null, new JsonObject().put("email", acme.email()).put("password", acme.password())
      .put("tenantId", acme.tenantId()));
    assertEquals(acme.tenantId(), tenantOf(acmeLogin.json().getString("accessToken")));
    Res secondAccount = api.post("/api/v1/auth/login", null, new JsonObject().put("email", acme.email()).put("password", "another password 9"));
    assertEquals(200, secondAccount.status());
    assertEquals(again.json().getJsonObject("tenant").getString("id"), tenantOf(secondAccount.json().getString("accessToken")));
    Res ambiguous = api.post("/api/v1/auth/login", null, new JsonObject().put("email", acme.email()).put("password", Api.PASSWORD));
    assertProblem(ambiguous, 409);
    Res chosen = api.post("/api/v1/auth/login", null, new JsonObject().put("email", acme.email()).put("password", Api.PASSWORD)
      .put("tenantId", other.tenantId()));
    assertEquals(200, chosen.status(), chosen::toString);
    assertProblem(api.post("/api/v1/auth/login", null, new JsonObject().put("email", acme.email()).put("password", "wrong")), 401);
  }
}
