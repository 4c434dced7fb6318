package io.stockroom.inventory;

import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The only way stock changes: inside a unit of work, a compare-and-set of the variant read under its lock (new stock,
 * sales and incoming computed from exactly that version, so stock can never go below zero even if a lock was lost),
 * the movement that records it, and the projections kept in step with both.
 */
public final class StockLedger {
  /** Most units one variant can hold: keeps stock, and stock × price in the inventory value, exact and JSON-safe. */
  public static final long MAX_STOCK = 1_000_000_000_000_000L;

  private final Variants variants;
  private final StockProjection projection;

  public StockLedger(Variants variants, StockProjection projection) {
    this.variants = variants;
    this.projection = projection;
  }

  /** What one change did: the variant after it and the inserted movement (with {@code stockAfter}). */
  public record Applied(JsonObject variant, JsonObject movement) {
  }

  /** @param before the variant as read under its lock (or as returned by the previous change in this unit) */
  public Future<Applied> apply(Unit unit, JsonObject before, StockChange change) {
    long stock = before.getLong("stock", 0L);
    if (change.expectedStock() != null && stock != change.expectedStock()) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Stock of " + change.sku() + " is " + stock
        + ", not the expected " + change.expectedStock() + "; recount", new JsonObject().put("currentQuantity", stock)));
    }
    long stockAfter = stock + change.quantity();
    if (stockAfter > MAX_STOCK) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Stock of " + change.sku() + " would exceed the limit of "
        + MAX_STOCK + " units; nothing was changed", new JsonObject().put("maxStock", MAX_STOCK).put("stock", stock)));
    }
    if (stockAfter < 0) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Not enough stock of " + change.sku()
        + " (stock " + stock + "); nothing was changed", new JsonObject().put("available", stock)));
    }
    JsonObject set = new JsonObject().put("stock", stockAfter).put("movements", before.getLong("movements", 0L) + 1);
    if (change.soldUnits() != 0 || change.soldRevenue().signum() != 0) {
      JsonObject sales = before.getJsonObject("sales30", new JsonObject());
      set.put("sales30", new JsonObject().put("u", sales.getLong("u", 0L) + change.soldUnits())
        .put("r", Amounts.stored(Amounts.of(sales.getValue("r")).add(change.soldRevenue()))));
    }
    if (change.incomingDelta() != 0) set.put("incoming", before.getLong("incoming", 0L) + change.incomingDelta());
    if (change.lastUnitCost() != null) set.put("lastUnitCost", change.lastUnitCost());
    return variants.write(unit, before, set).compose(after -> record(unit, change, stockAfter).map(m -> new Applied(after, m)));
  }

  /**
   * Creates a variant that starts with {@code change.quantity()} units (opening stock): the variant is inserted with
   * that stock and its first movement, so the ledger adds up from the first moment.
   */
  public Future<Applied> createWithOpeningStock(Unit unit, JsonObject variant, StockChange change) {
    JsonObject opened = variant.copy().put("stock", change.quantity()).put("movements", 1L);
    return variants.create(unit, opened).compose(created -> record(unit, change, change.quantity())
      .map(movement -> new Applied(created, movement)));
  }

  private Future<JsonObject> record(Unit unit, StockChange change, long stockAfter) {
    JsonObject movement = new JsonObject()
      .put("_id", Mongo.newId())
      .put("tenantId", change.tenantId())
      .put("variantId", change.variantId())
      .put("sku", change.sku())
      .put("type", change.type().name())
      .put("quantity", change.quantity())
      .put("stockAfter", stockAfter)
      .put("source", change.source())
      .put("sourceKey", change.sourceKey())
      .put("actor", change.actor())
      .put("reason", change.reason())
      .put("day", change.day())
      .put("createdAt", Mongo.now());
    return unit.insert(MovementRepository.COLLECTION, movement)
      .compose(v -> projection.movementRecorded(unit, change))
      .map(movement);
  }
}
