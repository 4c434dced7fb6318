package io.stockroom.webhook;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.mongo.TenantSlots;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhook endpoints: {_id, tenantId, url, events[], active, secrets[{value, createdAt, expiresAt?}], disabledReason?,
 * createdAt, updatedAt}. The newest secret signs, and an older one keeps signing until its {@code expiresAt} (the
 * overlap after a rotation). Secrets never leave the service except once, when created or rotated.
 */
public class Webhooks extends ScopedCollection {
  public static final String COLLECTION = "webhooks";
  /** Most endpoints one tenant may have, active or not. Each holds one of the tenant's slots ({@link TenantSlots}). */
  static final int MAX_PER_TENANT = 20;

  private final TenantSlots slots;

  public Webhooks(MongoClient mongo) {
    super(mongo, COLLECTION, "Webhook");
    this.slots = new TenantSlots(mongo, this, new JsonObject(), "A tenant can have at most " + MAX_PER_TENANT + " webhooks");
  }

  /** Inserts a new endpoint if the tenant has fewer than {@link #MAX_PER_TENANT} (409 otherwise, also under races). */
  Future<JsonObject> insertCapped(JsonObject webhook) {
    return slots.insert(webhook, MAX_PER_TENANT);
  }

  /** The tenant's active endpoints (at most {@link #MAX_PER_TENANT}), for fanning an event out: {_id, events, createdAt}. */
  Future<List<JsonObject>> active(String tenantId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("tenantId", tenantId).put("active", true),
      new FindOptions().setFields(new JsonObject().put("events", 1).put("createdAt", 1)).setLimit(MAX_PER_TENANT));
  }

  /** The endpoint, or null when it does not exist (deleted); fails only when it could not be read. */
  Future<JsonObject> find(String tenantId, String id) {
    return mongo.findOne(COLLECTION, Mongo.byId(tenantId, id), null);
  }

  static boolean isActive(JsonObject webhook) {
    return webhook.getBoolean("active", true);
  }

  /** Turns the endpoint off and says why (410 Gone, failures for days). */
  Future<Void> disable(String tenantId, String id, String reason) {
    return mongo.updateCollection(COLLECTION, Mongo.byId(tenantId, id), new JsonObject().put("$set", new JsonObject()
      .put("active", false).put("disabledReason", reason).put("disabledAt", Mongo.now()).put("updatedAt", Mongo.now()))).mapEmpty();
  }

  /** The secrets that sign now: the newest, and older ones still inside their overlap. */
  static List<String> signingSecrets(JsonObject webhook) {
    List<String> secrets = new ArrayList<>();
    Instant now = Instant.now();
    for (Object o : webhook.getJsonArray("secrets", new JsonArray())) {
      JsonObject secret = (JsonObject) o;
      JsonObject expires = secret.getJsonObject("expiresAt");
      if (expires == null || Instant.parse(expires.getString("$date")).isAfter(now)) secrets.add(secret.getString("value"));
    }
    return secrets;
  }

  static JsonObject toApi(JsonObject doc) {
    JsonObject api = Mongo.toApi(doc);
    api.remove("secrets");
    api.remove("secretsVersion");
    api.remove("version");
    return api;
  }
}
