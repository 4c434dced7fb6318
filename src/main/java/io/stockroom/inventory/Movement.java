package io.stockroom.inventory;

import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * One entry of the stock ledger, as {@link MovementRepository} describes it. The fields a movement always had are
 * stored even when null ({@code from}, {@code to}, {@code reason}, ...); {@code sold}, {@code event} and
 * {@code lowStock} only when there is one. Counts are boxed: movements of older releases may lack them.
 */
public record Movement(@Key("_id") String id, String tenantId, @ExplicitNull String variantId, @ExplicitNull String sku,
                       MovementType type, @ExplicitNull String locationId, @ExplicitNull String from, @ExplicitNull String to,
                       @ExplicitNull Long units, @ExplicitNull Long quantity, @ExplicitNull Long stockAfter,
                       @ExplicitNull Long availableAfter, @ExplicitNull Long sequence, @ExplicitNull JsonObject source,
                       @ExplicitNull String sourceKey, @ExplicitNull String actor, @ExplicitNull String reason,
                       @ExplicitNull String day, Sold sold, Instant createdAt, @ExplicitNull String unitId, StockEvents.Key event,
                       LowStockTransition lowStock) {
  public static final String VARIANT_ID = "variantId";
  public static final String TYPE = "type";
  public static final String LOCATION_ID = "locationId";
  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String UNITS = "units";
  public static final String QUANTITY = "quantity";
  public static final String STOCK_AFTER = "stockAfter";
  public static final String DAY = "day";
  public static final String SOLD = "sold";
  public static final String UNIT_ID = "unitId";

  /** Units sold (negative: given back) and their exact revenue. */
  public record Sold(long u, BigInteger r) {
    BigInteger revenue() {
      return r == null ? BigInteger.ZERO : r;
    }
  }

  /** A stored movement, or a projection of one. */
  public static Movement of(JsonObject stored) {
    return RecordCodec.fromDocument(Movement.class, stored);
  }

  public JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** The on-hand change, zero for a movement that records none. */
  long quantityOrZero() {
    return quantity == null ? 0L : quantity;
  }
}
