package io.stockroom.auth;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A tenant: its name, currency (ISO 4217) and time zone (IANA), which never change after sign-up. Stored in
 * {@code tenants}; only {@link TenantRepository} turns it into a document and back.
 */
public record Tenant(@Key("_id") String id, String name, String currency, String timezone, Instant createdAt) {

  static Tenant create(String name, String currency, String timezone) {
    return new Tenant(Mongo.newId(), name, currency, timezone, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  static Tenant fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Tenant.class, doc);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code Tenant}). */
  public JsonObject toApi() {
    return RecordCodec.toApi(view());
  }

  View view() {
    return new View(id, name, currency, timezone, createdAt);
  }

  /** The contract's {@code Tenant}. */
  record View(String id, String name, String currency, String timezone, Instant createdAt) {
  }

  /** The zone the tenant's days are counted in; UTC for a tenant stored without one. */
  public ZoneId zone() {
    return timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
  }
}
