package io.stockroom.auth;

import io.stockroom.platform.security.Digests;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Refresh tokens: {_id (SHA-256 of the token: the token itself is never stored), tenantId, userId, familyId,
 * tokenVersion (the user's when the family began), status ACTIVE | ROTATED | REVOKED, createdAt, expiresAt}. A login
 * starts a family; each refresh turns its token ROTATED and issues the next one in the same family. Presenting a
 * ROTATED token again means it was copied: the whole family is REVOKED.
 */
public final class RefreshTokens {
  public static final String COLLECTION = "refresh_tokens";
  private static final SecureRandom RANDOM = new SecureRandom();

  enum Status { ACTIVE, ROTATED, REVOKED }

  private final MongoClient mongo;
  private final long ttlSeconds;

  RefreshTokens(MongoClient mongo, long ttlSeconds) {
    this.mongo = mongo;
    this.ttlSeconds = ttlSeconds;
  }

  /** A new token for {@code user} in {@code familyId} (a new family when null); answers the token in clear, once. */
  Future<String> issue(JsonObject user, String familyId) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "rt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = Instant.now();
    JsonObject doc = new JsonObject()
      .put("_id", hash(token))
      .put("tenantId", user.getString("tenantId"))
      .put("userId", user.getString("_id"))
      .put("familyId", familyId != null ? familyId : Mongo.newId())
      .put("tokenVersion", user.getLong("tokenVersion", 0L))
      .put("status", Status.ACTIVE.name())
      .put("createdAt", Mongo.date(now))
      .put("expiresAt", Mongo.date(now.plusSeconds(ttlSeconds)));
    return mongo.insert(COLLECTION, doc).map(id -> token);
  }

  /**
   * Turns an ACTIVE, unexpired token ROTATED and answers its document; null when the token is unknown, expired,
   * revoked or already rotated (a reuse, which revokes its family before answering).
   */
  Future<JsonObject> rotate(String token) {
    String id = hash(token);
    JsonObject usable = new JsonObject().put("_id", id).put("status", Status.ACTIVE.name())
      .put("expiresAt", new JsonObject().put("$gt", Mongo.now()));
    return mongo.findOneAndUpdate(COLLECTION, usable, new JsonObject().put("$set", new JsonObject()
        .put("status", Status.ROTATED.name()).put("rotatedAt", Mongo.now())))
      .compose(rotated -> rotated != null ? Future.succeededFuture(rotated) : mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null)
        .compose(known -> known != null && Status.ROTATED.name().equals(known.getString("status"))
          ? revokeFamily(known.getString("familyId")).map(v -> (JsonObject) null)
          : Future.succeededFuture(null)));
  }

  /** The token's family, for logout: null when the token is unknown. */
  Future<JsonObject> find(String token) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", hash(token)), null);
  }

  Future<Void> revokeFamily(String familyId) {
    return revoke(new JsonObject().put("familyId", familyId));
  }

  /** Every live token of the user (deactivated, or its role changed). */
  Future<Void> revokeUser(String tenantId, String userId) {
    return revoke(new JsonObject().put("tenantId", tenantId).put("userId", userId));
  }

  private Future<Void> revoke(JsonObject filter) {
    filter.put("status", new JsonObject().put("$ne", Status.REVOKED.name()));
    return mongo.updateCollectionWithOptions(COLLECTION, filter,
      new JsonObject().put("$set", new JsonObject().put("status", Status.REVOKED.name()).put("revokedAt", Mongo.now())),
      new UpdateOptions().setMulti(true)).mapEmpty();
  }

  private static String hash(String token) {
    return Digests.sha256Hex(token);
  }
}
