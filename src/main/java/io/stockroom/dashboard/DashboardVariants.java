package io.stockroom.dashboard;

import io.stockroom.inventory.VariantFigures;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * What the dashboard reads of the inventory package's variants (it never writes them): the fields it selects, sorts
 * and filters by, and small read models of the parts it reads.
 */
final class DashboardVariants {
  static final String SKU = "sku";
  static final String PRODUCT_ID = "productId";
  static final String STOCK = "stock";
  static final String INCOMING = "incoming";
  static final String LEVELS = "levels";
  static final String REORDER_LEVEL = "reorderLevel";
  static final String LOCATION_REORDER_LEVELS = "locationReorderLevels";
  /** The low-stock fields the inventory package writes with each variant ({@code StockLevels.lowFields}). */
  static final String LOW = "low";
  static final String LOW_AT = "lowAt";
  static final String SHORTFALL = "shortfall";

  private DashboardVariants() {
  }

  /** The tenant's low variants, or those low at one location (by that location's own reorder level). */
  static JsonObject low(String tenantId, String locationId) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId);
    return locationId == null ? filter.put(LOW, true) : filter.put(LOW_AT, locationId);
  }

  /** A variant as the top-seller walk reads it (its sales per day are {@code VariantFigures}'). */
  record Sales(@Key("_id") String id, String sku, String productId, @Key(VariantFigures.SALES_CAP) long salesCap) {
    static Sales of(JsonObject variant) {
      return RecordCodec.fromDocument(Sales.class, variant);
    }
  }

  /** A variant as a low-stock row reads it (its levels are {@code StockLevels}'). */
  record Low(@Key("_id") String id, String sku, String productId, long stock, long incoming, long reorderLevel,
             Map<String, Long> locationReorderLevels) {
    static Low of(JsonObject variant) {
      return RecordCodec.fromDocument(Low.class, variant);
    }

    /** Its own reorder level at a location (0: none). */
    long reorderLevelAt(String locationId) {
      return locationReorderLevels == null ? 0L : locationReorderLevels.getOrDefault(locationId, 0L);
    }
  }

  /** A stock level's units on hand and still to come ({@code StockLevels.at} has every field). */
  record Level(long onHand, long incoming, long inTransit) {
    static Level of(JsonObject level) {
      return RecordCodec.fromDocument(Level.class, level);
    }
  }
}
