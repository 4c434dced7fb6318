package io.stockroom.webhook;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One message to one endpoint, as {@link WebhookDeliveries} stores it in {@code webhook_deliveries}: the body
 * ({@code payload}) and message id are the same on every attempt; {@code attempts} holds the newest attempts,
 * {@code attemptCount} counts those of the current retry schedule; the lease ({@code leaseUntil}, {@code leaseOwner})
 * says which instance may send it now.
 */
record Delivery(@Key("_id") String id, String tenantId, String webhookId, String messageId, String type, String payload,
                Status status, List<Attempt> attempts, int attemptCount, Instant nextAttemptAt, Instant leaseUntil,
                String leaseOwner, Instant createdAt, Instant deliveredAt, Instant expiresAt) {
  static final String WEBHOOK_ID = "webhookId";
  static final String MESSAGE_ID = "messageId";
  static final String STATUS = "status";
  static final String ATTEMPTS = "attempts";
  static final String ATTEMPT_COUNT = "attemptCount";
  static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
  static final String LEASE_UNTIL = "leaseUntil";
  static final String LEASE_OWNER = "leaseOwner";
  static final String EXPIRES_AT = "expiresAt";

  /** PAUSED is a PENDING delivery of a disabled endpoint: no next attempt, no retry spent until it is resumed. */
  enum Status { PENDING, PAUSED, DELIVERED, FAILED }

  /** One attempt: when, the answer's status (none when there was no answer), how long it took, and what went wrong. */
  record Attempt(Instant at, Integer statusCode, long durationMs, String error) {
    Attempt withError(String why) {
      return new Attempt(at, statusCode, durationMs, why);
    }
  }

  /**
   * What an attempt leaves to set besides the attempt itself: a new status (none while it is retried), the next attempt
   * (a retry), when it was delivered. Stored as the {@code $set} of the attempt's write.
   */
  record AfterAttempt(Status status, Instant nextAttemptAt, Instant deliveredAt) {
    static AfterAttempt delivered(Instant at) {
      return new AfterAttempt(Status.DELIVERED, null, at);
    }

    static AfterAttempt failed() {
      return new AfterAttempt(Status.FAILED, null, null);
    }

    static AfterAttempt retryAt(Instant next) {
      return new AfterAttempt(null, next, null);
    }

    JsonObject toSet() {
      return RecordCodec.toDocument(this);
    }
  }

  /** A new PENDING delivery, due now, free to be leased, kept for {@code retention}. */
  static Delivery create(String tenantId, String webhookId, String messageId, String type, String payload, Instant now,
                         Duration retention) {
    return new Delivery(Mongo.newId(), tenantId, webhookId, messageId, type, payload, Status.PENDING, List.of(), 0, now,
      Instant.EPOCH, null, now, null, now.plus(retention));
  }

  /**
   * How long to wait before the next attempt after this one failed, by {@code schedule} (the wait after the 1st,
   * 2nd, ... failure of the current schedule); null when the schedule is spent and the delivery fails.
   */
  Duration retryWait(List<Duration> schedule) {
    int failures = attemptCount + 1;
    return failures > schedule.size() ? null : schedule.get(failures - 1);
  }

  static Delivery fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Delivery.class, doc);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /**
   * What clients see (the contract's {@code WebhookDelivery}): the body as JSON, a PAUSED delivery as PENDING, and
   * {@code nextAttemptAt: null} unless the delivery is waiting for its next attempt; never the lease or the tenant.
   */
  JsonObject toApi() {
    boolean waiting = status == Status.PENDING;
    JsonObject api = RecordCodec.toApi(new View(id, webhookId, messageId, type, new JsonObject(payload),
      status == Status.PAUSED ? Status.PENDING : status, attempts, attemptCount, waiting ? nextAttemptAt : null, createdAt,
      deliveredAt));
    if (!waiting) api.putNull(NEXT_ATTEMPT_AT);
    return api;
  }

  private record View(String id, String webhookId, String messageId, String type, JsonObject payload, Status status,
                      List<Attempt> attempts, int attemptCount, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt) {
  }
}
