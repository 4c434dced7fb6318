package io.stockroom.order;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

/**
 * What orders and reservations read of a variant's document (the inventory package's {@code variants}): its id, its
 * SKU (copied onto lines) and its unit price in minor units.
 */
record Sellable(@Key("_id") String id, String sku, long price) {
  static Sellable of(JsonObject variant) {
    return RecordCodec.fromDocument(Sellable.class, variant);
  }
}
