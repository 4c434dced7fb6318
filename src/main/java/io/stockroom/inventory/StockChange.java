package io.stockroom.inventory;

import java.math.BigInteger;

import io.vertx.core.json.JsonObject;

/**
 * One variant's stock change inside a unit of work, with what the ledger and the projections record about it.
 *
 * @param quantity      signed: negative removes stock (never below zero)
 * @param expectedStock when not null, the change applies only if stock is exactly this (compare-and-set, for counts)
 * @param source        the document that caused it, e.g. {@code {kind: ORDER, id: ...}}
 * @param sourceKey     unique per tenant: the same source can never move the same variant twice
 * @param day           the tenant-local date ({@code YYYY-MM-DD}) the movement is counted on in daily rollups
 * @param soldUnits     units sold (+) or given back by the customer (−), for top sellers; 0 otherwise
 * @param soldRevenue   the exact revenue of those units (minor units, signed like soldUnits)
 * @param incomingDelta change of the variant's {@code incoming} (units still to come on purchase orders)
 * @param lastUnitCost  when not null, the variant's new last unit cost
 */
public record StockChange(String tenantId, String variantId, String sku, MovementType type, long quantity, Long expectedStock,
                          JsonObject source, String sourceKey, String actor, String reason, String day,
                          long soldUnits, BigInteger soldRevenue, long incomingDelta, Long lastUnitCost) {

  public static StockChange of(String tenantId, JsonObject variant, MovementType type, long quantity,
                               JsonObject source, String sourceKey, String actor, String reason, String day) {
    return new StockChange(tenantId, variant.getString("_id"), variant.getString("sku"), type, quantity, null, source,
      sourceKey, actor, reason, day, 0, BigInteger.ZERO, 0, null);
  }

  public StockChange expecting(long stock) {
    return new StockChange(tenantId, variantId, sku, type, quantity, stock, source, sourceKey, actor, reason, day,
      soldUnits, soldRevenue, incomingDelta, lastUnitCost);
  }

  /** Units sold (+) or returned (−) and their exact revenue (signed the same way). */
  public StockChange sold(long units, BigInteger revenue) {
    return new StockChange(tenantId, variantId, sku, type, quantity, expectedStock, source, sourceKey, actor, reason, day,
      units, revenue, incomingDelta, lastUnitCost);
  }

  public StockChange received(long unitCost) {
    return new StockChange(tenantId, variantId, sku, type, quantity, expectedStock, source, sourceKey, actor, reason, day,
      soldUnits, soldRevenue, -quantity, unitCost);
  }
}
