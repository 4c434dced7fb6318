package io.stockroom.inventory;

import io.vertx.core.json.JsonObject;

/**
 * One variant's stock change inside a unit of work, with what the ledger records about it.
 *
 * @param quantity      signed: negative removes stock (guarded by {@code stock >= -quantity})
 * @param expectedStock when not null, the change applies only if stock is exactly this (compare-and-set, for counts)
 * @param source        the document that caused it, e.g. {@code {kind: ORDER, id: ...}}
 * @param sourceKey     unique per tenant: the same source can never move the same variant twice
 * @param extraSet      further fields set on the variant in the same update (e.g. lastUnitCost), or null
 * @param extraUndo     how to restore those fields on rollback ({$set}/{$unset} update), or null
 */
public record StockChange(String tenantId, String variantId, String sku, MovementType type, long quantity, Long expectedStock,
                          JsonObject source, String sourceKey, String actor, String reason,
                          JsonObject extraSet, JsonObject extraUndo) {

  public static StockChange of(String tenantId, String variantId, String sku, MovementType type, long quantity,
                               JsonObject source, String sourceKey, String actor, String reason) {
    return new StockChange(tenantId, variantId, sku, type, quantity, null, source, sourceKey, actor, reason, null, null);
  }

  public StockChange expecting(long stock) {
    return new StockChange(tenantId, variantId, sku, type, quantity, stock, source, sourceKey, actor, reason, extraSet, extraUndo);
  }

  public StockChange alsoSetting(JsonObject set, JsonObject undo) {
    return new StockChange(tenantId, variantId, sku, type, quantity, expectedStock, source, sourceKey, actor, reason, set, undo);
  }
}
