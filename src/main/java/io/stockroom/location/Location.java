package io.stockroom.location;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A place of one tenant where stock is kept. The default location is created with the tenant and stays active;
 * inactive ones are skipped when order lines are allocated. {@code stockedVariants} counts the variants holding
 * anything there (a location holding stock cannot be deleted). Stored in {@code locations} by {@link Locations}.
 */
public record Location(String id, String tenantId, String name, String code, String address, boolean active,
                       boolean isDefault, long stockedVariants, Instant createdAt, Instant updatedAt) {

  /** A new, empty location that is not the default one. */
  static Location create(String tenantId, String name, String code, String address, boolean active) {
    return new Location(Mongo.newId(), tenantId, name, code, address, active, false, 0, Instant.now().truncatedTo(ChronoUnit.MILLIS),
      null);
  }

  static Location fromDocument(JsonObject doc) {
    return new Location(doc.getString("_id"), doc.getString("tenantId"), doc.getString("name"), doc.getString("code"),
      doc.getString("address"), doc.getBoolean("active", true), doc.getBoolean("default", false), doc.getLong("stockedVariants", 0L),
      Mongo.instant(doc.getValue("createdAt")), Mongo.instant(doc.getValue("updatedAt")));
  }

  JsonObject toDocument() {
    JsonObject doc = new JsonObject().put("_id", id).put("tenantId", tenantId).put("name", name).put("code", code)
      .put("active", active).put("default", isDefault).put("stockedVariants", stockedVariants);
    if (address != null) doc.put("address", address);
    if (createdAt != null) doc.put("createdAt", Mongo.date(createdAt));
    if (updatedAt != null) doc.put("updatedAt", Mongo.date(updatedAt));
    return doc;
  }

  /** What clients see (the contract's {@code Location}); the stock count and the cap's slot are the service's. */
  public JsonObject toApi() {
    JsonObject api = new JsonObject().put("id", id).put("name", name).put("code", code).put("active", active).put("default", isDefault);
    if (address != null) api.put("address", address);
    if (createdAt != null) api.put("createdAt", Mongo.apiInstant(createdAt));
    if (updatedAt != null) api.put("updatedAt", Mongo.apiInstant(updatedAt));
    return api;
  }
}
