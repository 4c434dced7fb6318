package io.stockroom.webhook;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
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
  static final String PENDING = "PENDING";
  static final String PAUSED = "PAUSED";

  public WebhookDeliveries(MongoClient mongo) {
    super(mongo, COLLECTION, "Delivery");
  }

  /** A new PENDING delivery, due now; false when this message was already given to this endpoint. */
  Future<Boolean> add(String tenantId, String webhookId, String messageId, String type, String payload) {
    Instant now = Instant.now();
    JsonObject doc = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("webhookId", webhookId)
      .put("messageId", messageId).put("type", type).put("payload", payload).put("status", PENDING)
      .put("attempts", new JsonArray()).put("attemptCount", 0).put("nextAttemptAt", Mongo.date(now))
      .put("leaseUntil", Mongo.date(Instant.EPOCH)).put("createdAt", Mongo.date(now)).put("expiresAt", Mongo.date(now.plus(RETENTION)));
    return mongo.insert(COLLECTION, doc).map(true)
      .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /**
   * Which of these messages the endpoints already have, as {@code "<webhookId> <messageId>"}: one query on the unique
   * {tenantId, webhookId, messageId} index.
   */
  Future<Set<String>> existing(String tenantId, Collection<String> webhookIds, Collection<String> messageIds) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId)
      .put("webhookId", new JsonObject().put("$in", new JsonArray(List.copyOf(webhookIds))))
      .put("messageId", new JsonObject().put("$in", new JsonArray(List.copyOf(messageIds))));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setFields(new JsonObject().put("webhookId", 1).put("messageId", 1))
        .setLimit(webhookIds.size() * messageIds.size()))
      .map(found -> found.stream().map(d -> d.getString("webhookId") + " " + d.getString("messageId")).collect(Collectors.toSet()));
  }

  /** PENDING deliveries whose attempt is due and whose lease is free, soonest first. */
  Future<List<JsonObject>> due(int limit) {
    JsonObject now = Mongo.date(Instant.now());
    JsonObject filter = new JsonObject().put("status", PENDING).put("nextAttemptAt", new JsonObject().put("$lte", now))
      .put("leaseUntil", new JsonObject().put("$lt", now));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(new JsonObject().put("nextAttemptAt", 1)).setLimit(limit));
  }

  /** Takes the delivery's lease for {@code leaseMs} if it is still PENDING and free; null when another instance has it. */
  Future<JsonObject> lease(JsonObject delivery, String owner, long leaseMs) {
    Instant now = Instant.now();
    JsonObject filter = Mongo.byId(delivery.getString("tenantId"), delivery.getString("_id")).put("status", PENDING)
      .put("leaseUntil", new JsonObject().put("$lt", Mongo.date(now)));
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("leaseUntil", Mongo.date(now.plusMillis(leaseMs)))
      .put("leaseOwner", owner));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** Records an attempt made under this owner's lease and what follows from it ({@code set}), releasing the lease. */
  Future<Void> attempted(JsonObject delivery, String owner, JsonObject attempt, JsonObject set) {
    JsonObject newest = new JsonObject().put("$each", new JsonArray().add(attempt)).put("$slice", -ATTEMPTS_KEPT);
    return released(delivery, owner, new JsonObject()
      .put("$set", set.copy())
      .put("$push", new JsonObject().put("attempts", newest))
      .put("$inc", new JsonObject().put("attemptCount", 1)));
  }

  /** Releases this owner's lease without an attempt (nothing was sent): the delivery is due again at {@code next}. */
  Future<Void> postponed(JsonObject delivery, String owner, Instant next) {
    return released(delivery, owner, new JsonObject().put("$set", new JsonObject().put("nextAttemptAt", Mongo.date(next))));
  }

  /** Releases this owner's lease without an attempt: the endpoint is disabled, the delivery waits until {@link #resume}. */
  Future<Void> paused(JsonObject delivery, String owner) {
    return released(delivery, owner, new JsonObject().put("$set", new JsonObject().put("status", PAUSED))
      .put("$unset", new JsonObject().put("nextAttemptAt", "")));
  }

  /** The endpoint's paused deliveries are due now, with the retries they had left. */
  Future<Void> resume(String tenantId, String webhookId) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put("webhookId", webhookId).put("status", PAUSED);
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("status", PENDING).put("nextAttemptAt", Mongo.now()));
    return mongo.updateCollectionWithOptions(COLLECTION, filter, update, new UpdateOptions().setMulti(true)).mapEmpty();
  }

  /** Applies {@code update} if this owner still holds the lease, releasing it in the same write. */
  private Future<Void> released(JsonObject delivery, String owner, JsonObject update) {
    JsonObject filter = Mongo.byId(delivery.getString("tenantId"), delivery.getString("_id")).put("leaseOwner", owner);
    JsonObject releasing = update.copy();
    releasing.put("$set", releasing.getJsonObject("$set", new JsonObject()).put("leaseUntil", Mongo.date(Instant.EPOCH)));
    releasing.put("$unset", releasing.getJsonObject("$unset", new JsonObject()).put("leaseOwner", ""));
    return mongo.updateCollection(COLLECTION, filter, releasing).mapEmpty();
  }

  /** A delivery of the endpoint is sent again from now, on a fresh schedule, with the same message id and body. */
  Future<JsonObject> redeliver(String tenantId, String webhookId, String deliveryId) {
    JsonObject filter = Mongo.byId(tenantId, deliveryId).put("webhookId", webhookId);
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("status", PENDING).put("attemptCount", 0)
      .put("nextAttemptAt", Mongo.now()).put("expiresAt", Mongo.date(Instant.now().plus(RETENTION))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  Future<JsonObject> page(String tenantId, String webhookId, JsonObject query, Page page) {
    JsonObject filter = new JsonObject().put("webhookId", webhookId);
    String status = query.getString("status");
    if (PENDING.equals(status)) filter.put("status", new JsonObject().put("$in", new JsonArray().add(PENDING).add(PAUSED)));
    else if (status != null) filter.put("status", status);
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put("tenantId", tenantId)), page.findOptions())
      .map(docs -> page.result(docs, WebhookDeliveries::toApi));
  }

  static JsonObject toApi(JsonObject doc) {
    JsonObject api = Mongo.toApi(doc);
    api.remove("leaseUntil");
    api.remove("leaseOwner");
    api.remove("expiresAt");
    api.put("payload", new JsonObject(doc.getString("payload")));
    if (PAUSED.equals(doc.getString("status"))) api.put("status", PENDING);
    if (!PENDING.equals(doc.getString("status"))) api.putNull("nextAttemptAt");
    return api;
  }
}
