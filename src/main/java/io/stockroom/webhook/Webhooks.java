package io.stockroom.webhook;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.RecordCollection;
import io.stockroom.platform.mongo.TenantSlots;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.List;

/**
 * The {@code webhooks} collection: {@link Webhook}s, one document each (url, events[], active, secrets[{value,
 * createdAt, expiresAt?}], secretsVersion, disabledReason?, disabledAt?, createdAt, updatedAt, and the cap's slot).
 */
public class Webhooks extends RecordCollection<Webhook> {
  public static final String COLLECTION = "webhooks";
  /** Most endpoints one tenant may have, active or not. Each holds one of the tenant's slots ({@link TenantSlots}). */
  static final int MAX_PER_TENANT = 20;

  private final TenantSlots slots;

  public Webhooks(MongoClient mongo) {
    super(mongo, COLLECTION, "Webhook", Webhook::toDocument, Webhook::fromDocument, Webhook::toApi);
    this.slots = new TenantSlots(mongo, this, new JsonObject(), "A tenant can have at most " + MAX_PER_TENANT + " webhooks");
  }

  /** Inserts a new endpoint if the tenant has fewer than {@link #MAX_PER_TENANT} (409 otherwise, also under races). */
  Future<Webhook> insertCapped(Webhook webhook) {
    return slots.insert(webhook.toDocument(), MAX_PER_TENANT).map(Webhook::fromDocument);
  }

  /** Stores rotated secrets if nobody rotated them since {@code webhook} was read: the endpoint after, or null. */
  Future<Webhook> replaceSecrets(Webhook webhook, List<SigningSecret> secrets) {
    JsonObject filter = Mongo.byId(webhook.tenantId(), webhook.id()).put(Webhook.SECRETS_VERSION, webhook.secretsVersion());
    JsonObject update = Ops.set(RecordCodec.toDocument(new Webhook.SecretsReplaced(secrets, webhook.secretsVersion() + 1, Instant.now())));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
      .map(after -> after == null ? null : Webhook.fromDocument(after));
  }

  /** The tenant's active endpoints (at most {@link #MAX_PER_TENANT}), for fanning an event out. */
  Future<List<Webhook.Subscriber>> active(String tenantId) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(Webhook.ACTIVE, true),
        new FindOptions().setFields(Ops.only(Webhook.Subscriber.FIELDS)).setLimit(MAX_PER_TENANT))
      .map(docs -> docs.stream().map(doc -> RecordCodec.fromDocument(Webhook.Subscriber.class, doc)).toList());
  }

  /**
   * One page of active endpoints over every tenant, in {@code _id} order after {@code afterId} (null: from the first),
   * with only their tenant (and id): for the upgrade step {@link EndpointsFollowed}.
   */
  Future<List<JsonObject>> activeAfter(String afterId, int limit) {
    JsonObject filter = Ops.where(Webhook.ACTIVE, true);
    if (afterId != null) filter.put(Fields.ID, Ops.gt(afterId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setFields(Ops.only(Fields.TENANT_ID))
      .setSort(Ops.sort(Fields.ID)).setLimit(limit));
  }

  /** The endpoint, or null when it does not exist (deleted); fails only when it could not be read. */
  Future<Webhook> find(String tenantId, String id) {
    return mongo.findOne(COLLECTION, Mongo.byId(tenantId, id), null).map(doc -> doc == null ? null : Webhook.fromDocument(doc));
  }

  /** Turns the endpoint off and says why (410 Gone, failures for days). */
  Future<Void> disable(String tenantId, String id, String reason) {
    Instant now = Instant.now();
    return mongo.updateCollection(COLLECTION, Mongo.byId(tenantId, id),
      Ops.set(RecordCodec.toDocument(new Webhook.Disabled(false, reason, now, now)))).mapEmpty();
  }
}
