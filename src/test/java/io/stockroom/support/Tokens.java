package io.stockroom.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Forges tokens the way an attacker or a misconfigured client would. */
public final class Tokens {
  private final JWTAuth testKey;
  private final JWTAuth otherKey;

  public Tokens(Vertx vertx) {
    testKey = hs256(vertx, TestStack.TEST_JWT_SECRET);
    otherKey = hs256(vertx, "another-secret-that-the-server-does-not-know-0123");
  }

  public static JsonObject claims(Session s, String role) {
    return new JsonObject().put("sub", s.userId()).put("tenantId", s.tenantId()).put("role", role);
  }

  /** Signed with the server's key, with the given options (issuer, audience, expiry). */
  public String signed(JsonObject claims, JWTOptions options) {
    return testKey.generateToken(claims.copy(), options);
  }

  public String valid(JsonObject claims) {
    return signed(claims, defaults().setExpiresInSeconds(300));
  }

  public String expired(JsonObject claims) {
    long now = System.currentTimeMillis() / 1000;
    return signed(claims.copy().put("exp", now - 120).put("iat", now - 1000), defaults().setNoTimestamp(true));
  }

  public String withoutExpiry(JsonObject claims) {
    return signed(claims, defaults());
  }

  public String wrongKey(JsonObject claims) {
    return otherKey.generateToken(claims.copy(), defaults().setExpiresInSeconds(300));
  }

  /** {"alg":"none"} with an empty signature. */
  public static String unsigned(JsonObject claims) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject payload = claims.copy().put("iss", TestStack.ISSUER).put("aud", TestStack.AUDIENCE)
      .put("iat", now).put("exp", now + 300);
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(payload.encode()) + ".";
  }

  public static JWTOptions defaults() {
    return new JWTOptions().setAlgorithm("HS256").setIssuer(TestStack.ISSUER).setAudience(List.of(TestStack.AUDIENCE));
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static JWTAuth hs256(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }
}
