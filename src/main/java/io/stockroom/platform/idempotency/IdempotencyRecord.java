package io.stockroom.platform.idempotency;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The record of one Idempotency-Key: {_id: tenantId:operation:key, tenantId, fingerprint, state, version, createdAt,
 * claimedAt, expiresAt} as claimed, then the stored answer ({@code status} with a {@code body}, or an {@code error})
 * and {@code inDoubt} while the request's unit is left to recovery. Guarded writes add {@code writtenBy} (and their
 * bookkeeping, which this record does not read).
 */
record IdempotencyRecord(@Key("_id") String id, String tenantId, String fingerprint, State state, Long version,
                         Instant createdAt, Instant claimedAt, Instant expiresAt, Integer status, Object body,
                         StoredError error, Boolean inDoubt, String writtenBy) {
  static final String STATE = "state";
  static final String IN_DOUBT = "inDoubt";
  /** The write identity every guarded write records ({@code platform/unit/CompareAndSet}). */
  static final String WRITTEN_BY = "writtenBy";

  enum State { RUNNING, DONE, UNKNOWN }

  /** The problem a finished request failed with, replayed as it was: {code, detail, extensions}. */
  record StoredError(String code, String detail, JsonObject extensions) {
    static StoredError of(ServiceError error) {
      return new StoredError(error.code().slug(), error.detail(), error.extensions());
    }

    ServiceError toError(Integer status) {
      ErrorCode known = ErrorCode.fromSlug(code);
      return new ServiceError(known == null ? ErrorCode.forStatus(status) : known, detail, extensions);
    }
  }

  /** What a finished request leaves in its record (a {@code $set}): DONE with its status and body, or its error. */
  record Answer(State state, Integer status, Object body, StoredError error) {
    static Answer of(Reply reply) {
      return new Answer(State.DONE, reply.status(), reply.body(), null);
    }

    static Answer of(ServiceError error) {
      return new Answer(State.DONE, error.code().status(), null, StoredError.of(error));
    }

    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }
  }

  /** A retry takes an UNKNOWN (or stale) record over (a {@code $set}): RUNNING again, under a new write identity. */
  record Reclaim(State state, long version, String writtenBy, Instant claimedAt) {
    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }
  }

  /** A new claim: RUNNING at version 0, claimed {@code now}, expiring at {@code expiresAt}. */
  static IdempotencyRecord claim(String id, String tenantId, String fingerprint, Instant now, Instant expiresAt) {
    return new IdempotencyRecord(id, tenantId, fingerprint, State.RUNNING, 0L, now, now, expiresAt, null, null, null, null, null);
  }

  static IdempotencyRecord of(JsonObject document) {
    return RecordCodec.fromDocument(IdempotencyRecord.class, document);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** A record written before versions were kept counts as version 0. */
  long versionOrZero() {
    return version == null ? 0L : version;
  }

  boolean isInDoubt() {
    return Boolean.TRUE.equals(inDoubt);
  }

  /** When the attempt holding the claim started: its last claim, or its creation for a record from before claims were timed. */
  Instant lastClaimed() {
    return claimedAt != null ? claimedAt : createdAt;
  }
}
