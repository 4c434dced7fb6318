package io.stockroom.inventory;

import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

/**
 * A variant entering or leaving low stock (see {@link Variant#isLow}): the event's type
 * ({@link Variants#LOW_STOCK_ENTERED} or {@link Variants#LOW_STOCK_LEFT}) and what receivers get,
 * {@code {variantId, sku, productId, stock, available, incoming, reorderLevel}}. A stock change carries its transition
 * on its movement ({@code lowStock: {type, data}}); any other write of the variant records it in the outbox.
 */
public record LowStockTransition(String type, JsonObject data) {

  /** What receivers get: the variant after the transition. */
  record Data(String variantId, String sku, String productId, long stock, long available, long incoming, long reorderLevel) {
  }

  /** The transition from {@code before} to {@code after}, or null when the variant stayed on the same side. */
  static LowStockTransition between(Variant was, Variant is) {
    if (was.isLow() == is.isLow()) return null;
    Data data = new Data(is.id(), is.sku(), is.productId(), is.stock(), is.totalAvailable(), is.incomingAll(), is.reorderLevel());
    return new LowStockTransition(is.isLow() ? Variants.LOW_STOCK_ENTERED : Variants.LOW_STOCK_LEFT, RecordCodec.toDocument(data));
  }

  /** The transition a stored movement carries, or null. */
  public static LowStockTransition ofMovement(JsonObject movement) {
    return Movement.of(movement).lowStock();
  }

  JsonObject toJson() {
    return RecordCodec.toDocument(this);
  }
}
