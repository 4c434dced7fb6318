package io.stockroom.auth;

import io.stockroom.platform.security.Digests;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
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

  private static final String USER_ID = "userId";
  private static final String FAMILY_ID = "familyId";
  private static final String GENERATION = "generation";
  private static final String STATUS = "status";
  private static final String EXPIRES_AT = "expiresAt";
  private static final String ROTATED_AT = "rotatedAt";
  private static final String REVOKED_AT = "revokedAt";
  private static final String REVOKED = "revoked";

  /**
   * A refresh token's document ({@link #COLLECTION}): {@code generation} is null on tokens issued before families had
   * documents; {@code tokenVersion} is the user's when the family began.
   */
  record Token(@Key("_id") String id, String tenantId, String userId, String familyId, Long generation, long tokenVersion,
               Status status, Instant createdAt, Instant expiresAt, Instant rotatedAt, Instant revokedAt) {
    static Token fromDocument(JsonObject doc) {
      return RecordCodec.fromDocument(Token.class, doc);
    }

    /** The generation it was issued in; 0 for a token from before families had documents. */
    long issuedIn() {
      return generation == null ? 0L : generation;
    }
  }

  /** A family's document ({@link #FAMILIES}): where its generation stands, and whether it was revoked. */
  record Family(@Key("_id") String id, String tenantId, String userId, long generation, boolean revoked, Instant expiresAt) {
  }

  /**
   * A token just turned ROTATED: whose it is, its family and the family's new generation, and the user's token
   * version when the family began.
   */
  record Rotated(String tenantId, String userId, String familyId, long generation, long tokenVersion) {
    private static Rotated of(Token token, long generation) {
      return new Rotated(token.tenantId(), token.userId(), token.familyId(), generation, token.tokenVersion());
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
    Family family = new Family(familyId, user.tenantId(), user.id(), 0L, false, now.plusSeconds(ttlSeconds));
    return mongo.insert(FAMILIES, RecordCodec.toDocument(family)).compose(v -> issue(user, familyId, 0L, now));
  }

  /** The next token of a family that {@link #rotate} moved to {@code generation}, answered in clear once. */
  Future<String> next(User user, String familyId, long generation) {
    return issue(user, familyId, generation, Instant.now());
  }

  private Future<String> issue(User user, String familyId, long generation, Instant now) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "rt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Token doc = new Token(hash(token), user.tenantId(), user.id(), familyId, generation, user.tokenVersion(), Status.ACTIVE, now,
      now.plusSeconds(ttlSeconds), null, null);
    return mongo.insert(COLLECTION, RecordCodec.toDocument(doc)).map(id -> token);
  }

  /**
   * Turns an ACTIVE, unexpired token ROTATED and moves its family to the next generation. Null when the token is unknown, expired or revoked, or was
   * rotated before, or its family is revoked or has moved past it (the last two are a reuse: the family is revoked
   * before answering).
   */
  Future<Rotated> rotate(String token) {
    String id = hash(token);
    JsonObject usable = Ops.where(Fields.ID, id).put(STATUS, Status.ACTIVE.name()).put(EXPIRES_AT, Ops.gt(Mongo.now()));
    return mongo.findOneAndUpdate(COLLECTION, usable, Ops.set(new JsonObject().put(STATUS, Status.ROTATED.name()).put(ROTATED_AT, Mongo.now())))
      .compose(rotated -> rotated != null ? advanced(Token.fromDocument(rotated)) : mongo.findOne(COLLECTION, Ops.where(Fields.ID, id), null)
        .map(known -> known == null ? null : Token.fromDocument(known))
        .compose(known -> known != null && known.status() == Status.ROTATED
          ? revokeFamily(known.familyId()).map(v -> (Rotated) null)
          : Future.succeededFuture(null)));
  }

  /** The family's generation moved on from the token's, or the family revoked (then null). */
  private Future<Rotated> advanced(Token rotated) {
    String familyId = rotated.familyId();
    long generation = rotated.issuedIn();
    JsonObject current = Ops.where(Fields.ID, familyId).put(GENERATION, generation).put(REVOKED, false);
    JsonObject moved = Ops.merge(Ops.inc(GENERATION, 1L), Ops.set(EXPIRES_AT, Mongo.date(Instant.now().plusSeconds(ttlSeconds))));
    return mongo.findOneAndUpdate(FAMILIES, current, moved)
      .compose(before -> before != null ? Future.succeededFuture(true) : startedBeforeFamilies(rotated))
      .compose(moves -> moves ? Future.succeededFuture(Rotated.of(rotated, generation + 1))
        : revokeFamily(familyId).map(v -> (Rotated) null));
  }

  /**
   * A token issued before families had documents (it has no generation) starts its family's document at generation 1;
   * false when the document exists (the family moved past the token, or was revoked) or appeared meanwhile.
   */
  private Future<Boolean> startedBeforeFamilies(Token rotated) {
    if (rotated.generation() != null) return Future.succeededFuture(false);
    Family family = new Family(rotated.familyId(), rotated.tenantId(), rotated.userId(), 1L, false, Instant.now().plusSeconds(ttlSeconds));
    return mongo.insert(FAMILIES, RecordCodec.toDocument(family)).map(true).recover(err -> Mongo.isDuplicateKey(err)
      ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** The id of the token's family, for logout: null when the token is unknown. */
  Future<String> familyOf(String token) {
    return mongo.findOne(COLLECTION, Ops.where(Fields.ID, hash(token)), null)
      .map(known -> known == null ? null : Token.fromDocument(known).familyId());
  }

  /** The family's document says revoked first (no later rotation can move it), then its tokens. */
  Future<Void> revokeFamily(String familyId) {
    return mongo.updateCollection(FAMILIES, Ops.where(Fields.ID, familyId), Ops.set(REVOKED, true))
      .compose(v -> revoke(Ops.where(FAMILY_ID, familyId)));
  }

  /** Every live family and token of the user (deactivated, or its role changed). */
  Future<Void> revokeUser(String tenantId, String userId) {
    return mongo.updateCollectionWithOptions(FAMILIES, ofUser(tenantId, userId), Ops.set(REVOKED, true), new UpdateOptions().setMulti(true))
      .compose(v -> revoke(ofUser(tenantId, userId)));
  }

  private static JsonObject ofUser(String tenantId, String userId) {
    return Ops.where(Fields.TENANT_ID, tenantId).put(USER_ID, userId);
  }

  private Future<Void> revoke(JsonObject filter) {
    filter.put(STATUS, Ops.ne(Status.REVOKED.name()));
    return mongo.updateCollectionWithOptions(COLLECTION, filter,
      Ops.set(new JsonObject().put(STATUS, Status.REVOKED.name()).put(REVOKED_AT, Mongo.now())),
      new UpdateOptions().setMulti(true)).mapEmpty();
  }

  private static String hash(String token) {
    return Digests.sha256Hex(token);
  }
}
