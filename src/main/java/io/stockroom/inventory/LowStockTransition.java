package io.stockroom.inventory;

import io.vertx.core.json.JsonObject;

/**
 * A variant entering or leaving low stock (see {@link StockLevels#isLow}): the event's type
 * ({@link Variants#LOW_STOCK_ENTERED} or {@link Variants#LOW_STOCK_LEFT}) and what receivers get,
 * {@code {variantId, sku, productId, stock, available, incoming, reorderLevel}}. A stock change carries its transition
 * on its movement ({@code lowStock: {type, data}}); any other write of the variant records it in the outbox.
 */
public record LowStockTransition(String type, JsonObject data) {

  /** The transition from {@code before} to {@code after}, or null when the variant stayed on the same side. */
  static LowStockTransition between(JsonObject before, JsonObject after) {
    if (StockLevels.isLow(before) == StockLevels.isLow(after)) return null;
    JsonObject data = new JsonObject().put("variantId", after.getString("_id")).put("sku", after.getString("sku"))
      .put("productId", after.getString("productId")).put("stock", after.getLong("stock", 0L))
      .put("available", StockLevels.totalAvailable(after))
      .put("incoming", after.getLong("incoming", 0L) + StockLevels.inTransit(after))
      .put("reorderLevel", after.getLong("reorderLevel", 0L));
    return new LowStockTransition(StockLevels.isLow(after) ? Variants.LOW_STOCK_ENTERED : Variants.LOW_STOCK_LEFT, data);
  }

  /** The transition a stored movement carries, or null. */
  public static LowStockTransition ofMovement(JsonObject movement) {
    JsonObject stored = movement.getJsonObject("lowStock");
    return stored == null ? null : new LowStockTransition(stored.getString("type"), stored.getJsonObject("data"));
  }

  JsonObject toJson() {
    return new JsonObject().put("type", type).put("data", data);
  }
}
