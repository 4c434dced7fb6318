package io.stockroom.inventory;

import io.vertx.core.json.JsonObject;

/**
 * One variant's stock change inside a unit of work, with what the ledger and the dashboard rollups record about it.
 *
 * @param quantity      signed: negative removes stock (guarded by {@code stock >= -quantity})
 * @param expectedStock when not null, the change applies only if stock is exactly this (compare-and-set, for counts)
 * @param source        the document that caused it, e.g. {@code {kind: ORDER, id: ...}}
 * @param sourceKey     unique per tenant: the same source can never move the same variant twice
 * @param day           the tenant-local date ({@code YYYY-MM-DD}) the movement is counted on in daily rollups
 * @param soldUnits     units sold (+) or given back by the customer (−), for top sellers; 0 otherwise
 * @param soldRevenue   the revenue of those units (minor units, signed like soldUnits)
 * @param extraInc      further counters incremented on the variant in the same update (e.g. incoming), or null
 * @param extraSet      further fields set on the variant in the same update (e.g. lastUnitCost), or null
 * @param extraUndo     how to restore the extraSet fields on rollback ({$set}/{$unset} update), or null
 */
public record StockChange(String tenantId, String variantId, String sku, MovementType type, long quantity, Long expectedStock,
                          JsonObject source, String sourceKey, String actor, String reason, String day,
                          long soldUnits, long soldRevenue, JsonObject extraInc, JsonObject extraSet, JsonObject extraUndo) {

  public static StockChange of(String tenantId, String variantId, String sku, MovementType type, long quantity,
                               JsonObject source, String sourceKey, String actor, String reason, String day) {
    return new StockChange(tenantId, variantId, sku, type, quantity, null, source, sourceKey, actor, reason, day,
      0, 0, null, null, null);
  }

  public StockChange expecting(long stock) {
    return new StockChange(tenantId, variantId, sku, type, quantity, stock, source, sourceKey, actor, reason, day,
      soldUnits, soldRevenue, extraInc, extraSet, extraUndo);
  }

  public StockChange sold(long units, long revenue) {
    return new StockChange(tenantId, variantId, sku, type, quantity, expectedStock, source, sourceKey, actor, reason, day,
      units, revenue, extraInc, extraSet, extraUndo);
  }

  public StockChange alsoIncrementing(JsonObject inc) {
    return new StockChange(tenantId, variantId, sku, type, quantity, expectedStock, source, sourceKey, actor, reason, day,
      soldUnits, soldRevenue, inc, extraSet, extraUndo);
  }

  public StockChange alsoSetting(JsonObject set, JsonObject undo) {
    return new StockChange(tenantId, variantId, sku, type, quantity, expectedStock, source, sourceKey, actor, reason, day,
      soldUnits, soldRevenue, extraInc, set, undo);
  }
}
