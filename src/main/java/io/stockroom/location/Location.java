package io.stockroom.location;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A place of one tenant where stock is kept. The default location is created with the tenant and stays active;
 * inactive ones are skipped when order lines are allocated. {@code stockedVariants} counts the variants holding
 * anything there (a location holding stock cannot be deleted). Stored in {@code locations} by {@link Locations}.
 */
public record Location(@Key("_id") String id, String tenantId, String name, String code, String address, boolean active,
                       @Key("default") boolean isDefault, long stockedVariants, Instant createdAt, Instant updatedAt) {

  static final String NAME = "name";
  static final String CODE = "code";
  static final String ACTIVE = "active";
  static final String STOCKED_VARIANTS = "stockedVariants";

  /** A new, empty location that is not the default one. */
  static Location create(String tenantId, String name, String code, String address, boolean active) {
    return new Location(Mongo.newId(), tenantId, name, code, address, active, false, 0, Instant.now().truncatedTo(ChronoUnit.MILLIS),
      null);
  }

  static Location fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Location.class, doc);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code Location}); the stock count and the cap's slot are the service's. */
  public JsonObject toApi() {
    return RecordCodec.toApi(new View(id, name, code, address, active, isDefault, createdAt, updatedAt));
  }

  private record View(String id, String name, String code, String address, boolean active, @Key("default") boolean isDefault,
                      Instant createdAt, Instant updatedAt) {
  }
}
