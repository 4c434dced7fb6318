package io.stockroom.auth;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A tenant: its name, currency (ISO 4217) and time zone (IANA), which never change after sign-up. Stored in
 * {@code tenants}; only {@link TenantRepository} turns it into a document and back.
 */
public record Tenant(String id, String name, String currency, String timezone, Instant createdAt) {

  static Tenant create(String name, String currency, String timezone) {
    return new Tenant(Mongo.newId(), name, currency, timezone, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  static Tenant fromDocument(JsonObject doc) {
    return new Tenant(doc.getString("_id"), doc.getString("name"), doc.getString("currency"), doc.getString("timezone"),
      Mongo.instant(doc.getValue("createdAt")));
  }

  JsonObject toDocument() {
    JsonObject doc = new JsonObject().put("_id", id).put("name", name);
    if (currency != null) doc.put("currency", currency);
    if (timezone != null) doc.put("timezone", timezone);
    if (createdAt != null) doc.put("createdAt", Mongo.date(createdAt));
    return doc;
  }

  /** What clients see (the contract's {@code Tenant}). */
  public JsonObject toApi() {
    JsonObject api = new JsonObject().put("id", id).put("name", name);
    if (currency != null) api.put("currency", currency);
    if (timezone != null) api.put("timezone", timezone);
    if (createdAt != null) api.put("createdAt", Mongo.apiInstant(createdAt));
    return api;
  }

  /** The zone the tenant's days are counted in; UTC for a tenant stored without one. */
  public ZoneId zone() {
    return timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
  }
}
