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
 * generation, tokenVersion (the user's when the family began), status ACTIVE | ROTATED | REVOKED, createdAt,
 * expiresAt}. A login starts a family; each refresh turns its token ROTATED and issues the next one in the same family.
 *
 * <p>Whether a family lives is decided on one document, the family's ({@link #FAMILIES}: {_id: familyId, tenantId,
 * userId, generation, revoked, expiresAt}): a rotation moves its generation on by compare-and-set from the generation
 * of the token presented, and the next token carries the new one. Presenting a ROTATED token again (it was copied), or
 * a token whose generation the family has left, revokes the family on that document first, so that a token minted by
 * a rotation racing the reuse is refused too: it can only be used by moving a generation that a revoked family no
 * longer moves.
 */
public final class RefreshTokens {
  public static final String COLLECTION = "refresh_tokens";
  public static final String FAMILIES = "refresh_families";
  private static final SecureRandom RANDOM = new SecureRandom();

  enum Status { ACTIVE, ROTATED, REVOKED }

  /**
   * A token just turned ROTATED: whose it is, its family and the family's new generation, and the user's token
   * version when the family began.
   */
  record Rotated(String tenantId, String userId, String familyId, long generation, long tokenVersion) {
    private static Rotated of(JsonObject token, long generation) {
      return new Rotated(token.getString("tenantId"), token.getString("userId"), token.getString("familyId"), generation,
        token.getLong("tokenVersion", 0L));
    }
  }

  private final MongoClient mongo;
  private final long ttlSeconds;

  RefreshTokens(MongoClient mongo, long ttlSeconds) {
    this.mongo = mongo;
    this.ttlSeconds = ttlSeconds;
  }

  /** The first token of a new family (a login): the family's document, then the token, answered in clear once. */
  Future<String> start(User user) {
    String familyId = Mongo.newId();
    Instant now = Instant.now();
    JsonObject family = new JsonObject().put("_id", familyId).put("tenantId", user.tenantId())
      .put("userId", user.id()).put("generation", 0L).put("revoked", false)
      .put("expiresAt", Mongo.date(now.plusSeconds(ttlSeconds)));
    return mongo.insert(FAMILIES, family).compose(v -> issue(user, familyId, 0L, now));
  }

  /** The next token of a family that {@link #rotate} moved to {@code generation}, answered in clear once. */
  Future<String> next(User user, String familyId, long generation) {
    return issue(user, familyId, generation, Instant.now());
  }

  private Future<String> issue(User user, String familyId, long generation, Instant now) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "rt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    JsonObject doc = new JsonObject()
      .put("_id", hash(token))
      .put("tenantId", user.tenantId())
      .put("userId", user.id())
      .put("familyId", familyId)
      .put("generation", generation)
      .put("tokenVersion", user.tokenVersion())
      .put("status", Status.ACTIVE.name())
      .put("createdAt", Mongo.date(now))
      .put("expiresAt", Mongo.date(now.plusSeconds(ttlSeconds)));
    return mongo.insert(COLLECTION, doc).map(id -> token);
  }

  /**
   * Turns an ACTIVE, unexpired token ROTATED and moves its family to the next generation. Null when the token is unknown, expired or revoked, or was
   * rotated before, or its family is revoked or has moved past it (the last two are a reuse: the family is revoked
   * before answering).
   */
  Future<Rotated> rotate(String token) {
    String id = hash(token);
    JsonObject usable = new JsonObject().put("_id", id).put("status", Status.ACTIVE.name())
      .put("expiresAt", new JsonObject().put("$gt", Mongo.now()));
    return mongo.findOneAndUpdate(COLLECTION, usable, new JsonObject().put("$set", new JsonObject()
        .put("status", Status.ROTATED.name()).put("rotatedAt", Mongo.now())))
      .compose(rotated -> rotated != null ? advanced(rotated) : mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null)
        .compose(known -> known != null && Status.ROTATED.name().equals(known.getString("status"))
          ? revokeFamily(known.getString("familyId")).map(v -> (Rotated) null)
          : Future.succeededFuture(null)));
  }

  /** The family's generation moved on from the token's, or the family revoked (then null). */
  private Future<Rotated> advanced(JsonObject rotated) {
    String familyId = rotated.getString("familyId");
    long generation = rotated.getLong("generation", 0L);
    JsonObject current = new JsonObject().put("_id", familyId).put("generation", generation).put("revoked", false);
    JsonObject moved = new JsonObject().put("$inc", new JsonObject().put("generation", 1L))
      .put("$set", new JsonObject().put("expiresAt", Mongo.date(Instant.now().plusSeconds(ttlSeconds))));
    return mongo.findOneAndUpdate(FAMILIES, current, moved)
      .compose(before -> before != null ? Future.succeededFuture(true) : startedBeforeFamilies(rotated))
      .compose(moves -> moves ? Future.succeededFuture(Rotated.of(rotated, generation + 1))
        : revokeFamily(familyId).map(v -> (Rotated) null));
  }

  /**
   * A token issued before families had documents (it has no generation) starts its family's document at generation 1;
   * false when the document exists (the family moved past the token, or was revoked) or appeared meanwhile.
   */
  private Future<Boolean> startedBeforeFamilies(JsonObject rotated) {
    if (rotated.containsKey("generation")) return Future.succeededFuture(false);
    JsonObject family = new JsonObject().put("_id", rotated.getString("familyId")).put("tenantId", rotated.getString("tenantId"))
      .put("userId", rotated.getString("userId")).put("generation", 1L).put("revoked", false)
      .put("expiresAt", Mongo.date(Instant.now().plusSeconds(ttlSeconds)));
    return mongo.insert(FAMILIES, family).map(true).recover(err -> Mongo.isDuplicateKey(err)
      ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** The id of the token's family, for logout: null when the token is unknown. */
  Future<String> familyOf(String token) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", hash(token)), null)
      .map(known -> known == null ? null : known.getString("familyId"));
  }

  /** The family's document says revoked first (no later rotation can move it), then its tokens. */
  Future<Void> revokeFamily(String familyId) {
    return mongo.updateCollection(FAMILIES, new JsonObject().put("_id", familyId), new JsonObject().put("$set", new JsonObject().put("revoked", true)))
      .compose(v -> revoke(new JsonObject().put("familyId", familyId)));
  }

  /** Every live family and token of the user (deactivated, or its role changed). */
  Future<Void> revokeUser(String tenantId, String userId) {
    return mongo.updateCollectionWithOptions(FAMILIES, new JsonObject().put("tenantId", tenantId).put("userId", userId),
        new JsonObject().put("$set", new JsonObject().put("revoked", true)), new UpdateOptions().setMulti(true))
      .compose(v -> revoke(new JsonObject().put("tenantId", tenantId).put("userId", userId)));
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
