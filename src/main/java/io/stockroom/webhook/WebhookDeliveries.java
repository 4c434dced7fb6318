package io.stockroom.webhook;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.webhook.Delivery.Status;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One message to one endpoint: {_id, tenantId, webhookId, messageId (the {@code webhook-id}, the same on every
 * attempt), type, payload (the body, byte for byte on every attempt), status PENDING | PAUSED | DELIVERED | FAILED,
 * attempts[{at, statusCode?, durationMs, error?}] (the last {@link #ATTEMPTS_KEPT}), attemptCount, nextAttemptAt,
 * leaseUntil, leaseOwner?, createdAt, deliveredAt?, expiresAt}. {tenantId, webhookId, messageId} is unique (replacing the index webhook_message_unique on {webhookId, messageId}), so fanning an event
 * out twice makes one delivery. An instance sends a delivery only while it holds its lease (a compare-and-set on
 * {@code leaseUntil}); a lease that ran out (an instance that died mid-attempt) lets another instance take it.
 *
 * <p>PAUSED is a PENDING delivery of a disabled endpoint: it has no next attempt and spends none of its retries until
 * {@link #resume} puts it back in line. Clients see it as PENDING with {@code nextAttemptAt: null}.
 */
public class WebhookDeliveries extends ScopedCollection {
  public static final String COLLECTION = "webhook_deliveries";
  /** Deliveries are kept this long after they were created, then removed by a TTL index. */
  static final Duration RETENTION = Duration.ofDays(30);
  /**
   * Attempt entries kept per delivery, the newest: more than one retry schedule holds, so a schedule's history is
   * complete; {@code attemptCount} (the attempts of the current schedule) keeps counting past it.
   */
  public static final int ATTEMPTS_KEPT = 20;
  private static final String PENDING = Status.PENDING.name();
  private static final String PAUSED = Status.PAUSED.name();

  public WebhookDeliveries(MongoClient mongo) {
    super(mongo, COLLECTION, "Delivery");
  }

  /** A new PENDING delivery, due now; false when this message was already given to this endpoint. */
  Future<Boolean> add(String tenantId, String webhookId, String messageId, String type, String payload) {
    Delivery delivery = Delivery.create(tenantId, webhookId, messageId, type, payload, Instant.now(), RETENTION);
    return mongo.insert(COLLECTION, delivery.toDocument()).map(true)
      .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /**
   * Which of these messages the endpoints already have, as {@code "<webhookId> <messageId>"}: one query on the unique
   * {tenantId, webhookId, messageId} index.
   */
  Future<Set<String>> existing(String tenantId, Collection<String> webhookIds, Collection<String> messageIds) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Delivery.WEBHOOK_ID, Ops.in(webhookIds))
      .put(Delivery.MESSAGE_ID, Ops.in(messageIds));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setFields(Ops.only(Delivery.WEBHOOK_ID, Delivery.MESSAGE_ID))
        .setLimit(webhookIds.size() * messageIds.size()))
      .map(found -> found.stream().map(Delivery::fromDocument).map(d -> d.webhookId() + " " + d.messageId()).collect(Collectors.toSet()));
  }

  /** PENDING deliveries whose attempt is due and whose lease is free, soonest first. */
  Future<List<Delivery>> due(int limit) {
    JsonObject now = Mongo.date(Instant.now());
    JsonObject filter = Ops.where(Delivery.STATUS, PENDING).put(Delivery.NEXT_ATTEMPT_AT, Ops.lte(now))
      .put(Delivery.LEASE_UNTIL, Ops.lt(now));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(Ops.sort(Delivery.NEXT_ATTEMPT_AT)).setLimit(limit))
      .map(docs -> docs.stream().map(Delivery::fromDocument).toList());
  }

  /** Takes the delivery's lease for {@code leaseMs} if it is still PENDING and free; null when another instance has it. */
  Future<Delivery> lease(Delivery delivery, String owner, long leaseMs) {
    Instant now = Instant.now();
    JsonObject filter = Mongo.byId(delivery.tenantId(), delivery.id()).put(Delivery.STATUS, PENDING)
      .put(Delivery.LEASE_UNTIL, Ops.lt(Mongo.date(now)));
    JsonObject update = Ops.set(new JsonObject().put(Delivery.LEASE_UNTIL, Mongo.date(now.plusMillis(leaseMs)))
      .put(Delivery.LEASE_OWNER, owner));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
      .map(leased -> leased == null ? null : Delivery.fromDocument(leased));
  }

  /** Records an attempt made under this owner's lease and what follows from it ({@code after}), releasing the lease. */
  Future<Void> attempted(Delivery delivery, String owner, Delivery.Attempt attempt, Delivery.AfterAttempt after) {
    JsonArray newest = new JsonArray().add(RecordCodec.toDocument(attempt));
    return released(delivery, owner, Ops.merge(Ops.set(after.toSet()), Ops.pushEach(Delivery.ATTEMPTS, newest, -ATTEMPTS_KEPT),
      Ops.inc(Delivery.ATTEMPT_COUNT, 1)));
  }

  /** Releases this owner's lease without an attempt (nothing was sent): the delivery is due again at {@code next}. */
  Future<Void> postponed(Delivery delivery, String owner, Instant next) {
    return released(delivery, owner, Ops.set(Delivery.NEXT_ATTEMPT_AT, Mongo.date(next)));
  }

  /** Releases this owner's lease without an attempt: the endpoint is disabled, the delivery waits until {@link #resume}. */
  Future<Void> paused(Delivery delivery, String owner) {
    return released(delivery, owner, Ops.merge(Ops.set(Delivery.STATUS, PAUSED), Ops.unset(Delivery.NEXT_ATTEMPT_AT)));
  }

  /** The endpoint's paused deliveries are due now, with the retries they had left. */
  Future<Void> resume(String tenantId, String webhookId) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Delivery.WEBHOOK_ID, webhookId).put(Delivery.STATUS, PAUSED);
    JsonObject update = Ops.set(new JsonObject().put(Delivery.STATUS, PENDING).put(Delivery.NEXT_ATTEMPT_AT, Mongo.now()));
    return mongo.updateCollectionWithOptions(COLLECTION, filter, update, new UpdateOptions().setMulti(true)).mapEmpty();
  }

  /** Applies {@code update} if this owner still holds the lease, releasing it in the same write. */
  private Future<Void> released(Delivery delivery, String owner, JsonObject update) {
    JsonObject filter = Mongo.byId(delivery.tenantId(), delivery.id()).put(Delivery.LEASE_OWNER, owner);
    JsonObject releasing = Ops.merge(update, Ops.set(Delivery.LEASE_UNTIL, Mongo.date(Instant.EPOCH)), Ops.unset(Delivery.LEASE_OWNER));
    return mongo.updateCollection(COLLECTION, filter, releasing).mapEmpty();
  }

  /** A delivery of the endpoint is sent again from now, on a fresh schedule, with the same message id and body; null when it does not exist. */
  Future<Delivery> redeliver(String tenantId, String webhookId, String deliveryId) {
    JsonObject filter = Mongo.byId(tenantId, deliveryId).put(Delivery.WEBHOOK_ID, webhookId);
    JsonObject update = Ops.set(new JsonObject().put(Delivery.STATUS, PENDING).put(Delivery.ATTEMPT_COUNT, 0)
      .put(Delivery.NEXT_ATTEMPT_AT, Mongo.now()).put(Delivery.EXPIRES_AT, Mongo.date(Instant.now().plus(RETENTION))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
      .map(after -> after == null ? null : Delivery.fromDocument(after));
  }

  /** One page of the endpoint's deliveries, as clients see them; {@code status=PENDING} includes the paused ones. */
  Future<JsonObject> page(String tenantId, String webhookId, JsonObject query, Page page) {
    JsonObject filter = Ops.where(Delivery.WEBHOOK_ID, webhookId);
    String status = query.getString(Delivery.STATUS);
    if (PENDING.equals(status)) filter.put(Delivery.STATUS, Ops.in(List.of(PENDING, PAUSED)));
    else if (status != null) filter.put(Delivery.STATUS, status);
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put(Fields.TENANT_ID, tenantId)), page.findOptions())
      .map(docs -> page.result(docs, doc -> Delivery.fromDocument(doc).toApi()));
  }
}
