package io.stockroom.auth;

import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.security.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthRecordsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static User user() {
    return new User("u1", "t1", "a@example.com", "Ann", Role.MANAGER, true, 3, "$argon2id$hash", T0, null);
  }

  @Test
  @DisplayName("a refresh token from before families had documents has no generation, and is issued in generation 0")
  void tokenWithoutGeneration() {
    JsonObject doc = new JsonObject().put("_id", "h").put("tenantId", "t1").put("userId", "u1").put("familyId", "f1")
      .put("status", "ACTIVE").put("createdAt", new JsonObject().put("$date", T0.toString()));
    RefreshTokens.Token token = RefreshTokens.Token.fromDocument(doc);
    assertNull(token.generation());
    assertEquals(0L, token.issuedIn());
    assertEquals(0L, token.tokenVersion());
    assertEquals(RefreshTokens.Status.ACTIVE, token.status());
    assertEquals(7L, RefreshTokens.Token.fromDocument(doc.put("generation", 7L)).issuedIn());
  }

  @Test
  @DisplayName("a new token and family are stored with the layout of before: longs for generation and token version")
  void storedLayout() {
    RefreshTokens.Token token = new RefreshTokens.Token("h", "t1", "u1", "f1", 2L, 3L, RefreshTokens.Status.ACTIVE, T0,
      T0.plusSeconds(60), null, null);
    JsonObject doc = RecordCodec.toDocument(token);
    assertEquals(Set.of("_id", "tenantId", "userId", "familyId", "generation", "tokenVersion", "status", "createdAt", "expiresAt"),
      doc.fieldNames());
    assertEquals(2L, doc.getValue("generation"));
    assertEquals(3L, doc.getValue("tokenVersion"));
    JsonObject family = RecordCodec.toDocument(new RefreshTokens.Family("f1", "t1", "u1", 0L, false, T0));
    assertEquals(Set.of("_id", "tenantId", "userId", "generation", "revoked", "expiresAt"), family.fieldNames());
    assertEquals(0L, family.getValue("generation"));
    assertEquals(false, family.getValue("revoked"));
  }

  @Test
  @DisplayName("a session's answer: the tokens and the user's allow-listed view, never the hash or the token version")
  void sessionView() {
    JsonObject api = new Session("access", 900, "rt_x", user()).toApi();
    assertEquals(Set.of("accessToken", "tokenType", "expiresIn", "refreshToken", "user"), api.fieldNames());
    assertEquals("Bearer", api.getString("tokenType"));
    assertEquals(Set.of("id", "email", "name", "role", "active", "createdAt"), api.getJsonObject("user").fieldNames());
    assertFalse(api.encode().contains("argon2"));
    assertEquals("2026-12-01T10:00:00.000Z", api.getJsonObject("user").getString("createdAt"));
  }

  @Test
  @DisplayName("'me' names a tenant that is gone as null; sign-up's answer is the session and the tenant")
  void meAndSignUp() {
    JsonObject me = new AuthService.Me(user(), null).toApi();
    assertTrue(me.containsKey("tenant"));
    assertNull(me.getValue("tenant"));
    Tenant tenant = new Tenant("t1", "Acme", "EUR", "UTC", T0);
    JsonObject signedUp = new AuthService.SignedUp(new Session("access", 900, "rt_x", user()), tenant).toApi();
    assertEquals(Set.of("accessToken", "tokenType", "expiresIn", "refreshToken", "user", "tenant"), signedUp.fieldNames());
    assertEquals(tenant.toApi(), signedUp.getJsonObject("tenant"));
  }

  @Test
  @DisplayName("a refusal's retry hint is retryAfterSeconds")
  void retryAfter() {
    assertEquals(new JsonObject().put("retryAfterSeconds", 5L), RetryAfter.seconds(5));
  }
}
