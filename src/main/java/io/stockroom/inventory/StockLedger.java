package io.stockroom.inventory;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The only way stock changes: inside a unit of work, a compare-and-set of the variant read under its lock (new stock,
 * sales and incoming computed from exactly that version, so stock can never go below zero even if a lock was lost),
 * with the variant's own figures ({@link VariantFigures}), and the movement that records it.
 */
public final class StockLedger {
  /** Most units one variant can hold: keeps stock, and stock × price in the inventory value, exact and JSON-safe. */
  public static final long MAX_STOCK = 1_000_000_000_000_000L;

  private final Variants variants;

  public StockLedger(Variants variants) {
    this.variants = variants;
  }

  /** What one change did: the variant after it and the inserted movement (with {@code stockAfter}). */
  public record Applied(JsonObject variant, JsonObject movement) {
  }

  /** @param before the variant as read under its lock (or as returned by the previous change in this unit) */
  public Future<Applied> apply(Unit unit, JsonObject before, StockChange change) {
    String location = change.locationId();
    JsonObject level = StockLevels.at(before, location);
    long onHand = level.getLong("onHand");
    if (change.expectedStock() != null && onHand != change.expectedStock()) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Stock of " + change.sku() + " is " + onHand
        + ", not the expected " + change.expectedStock() + "; recount", new JsonObject().put("currentQuantity", onHand)));
    }
    long stock = before.getLong("stock", 0L);
    long stockAfter = stock + change.quantity();
    if (stockAfter > MAX_STOCK) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Stock of " + change.sku() + " would exceed the limit of "
        + MAX_STOCK + " units; nothing was changed", new JsonObject().put("maxStock", MAX_STOCK).put("stock", stock)));
    }
    ServiceError missing = shortage(change, level);
    if (missing != null) return Future.failedFuture(missing);
    JsonObject levels = StockLevels.all(before).copy();
    JsonObject after = level.copy().put("onHand", onHand + change.quantity());
    if (change.from() != null && change.from() != StockState.AVAILABLE) add(after, change.from().field(), -change.units());
    if (change.to() != null && change.to() != StockState.AVAILABLE) add(after, change.to().field(), change.units());
    levels.put(location, after);
    if (change.incomingDelta() != 0) {
      JsonObject incomingLevel = StockLevels.at(new JsonObject().put("levels", levels), change.incomingLocationId());
      levels.put(change.incomingLocationId(), add(incomingLevel, "incoming", change.incomingDelta()));
    }
    JsonObject set = new JsonObject().put("stock", stockAfter).put("movements", before.getLong("movements", 0L) + 1)
      .put("levels", StockLevels.withoutEmpty(levels));
    set.mergeIn(VariantFigures.afterMovement(before, change));
    if (change.incomingDelta() != 0) set.put("incoming", before.getLong("incoming", 0L) + change.incomingDelta());
    if (change.lastUnitCost() != null) set.put("lastUnitCost", change.lastUnitCost());
    return variants.writeStock(unit, before, set, change)
      .compose(written -> record(unit, change, stockAfter, written, LowStockTransition.between(before, written))
        .map(m -> new Applied(written, m)));
  }

  /**
   * The change applied to the variant as this unit last left it ({@code latest}, by variant id), which then holds the
   * variant after it: for units that move the same variant more than once. Answers the movement.
   */
  public Future<JsonObject> applyToLatest(Unit unit, Map<String, JsonObject> latest, StockChange change) {
    return apply(unit, latest.get(change.variantId()), change).map(applied -> {
      latest.put(change.variantId(), applied.variant());
      return applied.movement();
    });
  }

  /** Why the level cannot give up {@code change.units()} from {@code change.from()}, or null when it can. */
  private static ServiceError shortage(StockChange change, JsonObject level) {
    StockState from = change.from();
    if (from == null) return null;
    long held = from == StockState.AVAILABLE ? StockLevels.available(level) : level.getLong(from.field(), 0L);
    if (held >= change.units()) return null;
    String what = from == StockState.AVAILABLE ? "stock" : from.field() + " units";
    return new ServiceError(ErrorCode.CONFLICT, "Not enough " + what + " of " + change.sku() + " (" + held
      + (from == StockState.AVAILABLE ? " available" : "") + " at location " + change.locationId() + "); nothing was changed",
      new JsonObject().put(from == StockState.AVAILABLE ? "available" : from.field(), held).put("locationId", change.locationId()));
  }

  private static JsonObject add(JsonObject level, String field, long delta) {
    return level.put(field, level.getLong(field, 0L) + delta);
  }

  /**
   * Creates a variant that starts with {@code change.quantity()} units (opening stock): the variant is inserted with
   * that stock and its first movement, so the ledger adds up from the first moment.
   */
  public Future<Applied> createWithOpeningStock(Unit unit, JsonObject variant, StockChange change) {
    JsonObject opened = variant.copy().put("stock", change.quantity()).put("movements", 1L)
      .put("levels", new JsonObject().put(change.locationId(), StockLevels.empty().put("onHand", change.quantity())));
    opened.mergeIn(VariantFigures.afterMovement(opened, change));
    return variants.create(unit, opened, change).compose(created -> record(unit, change, change.quantity(), created, null)
      .map(movement -> new Applied(created, movement)));
  }

  /**
   * The movement also carries what webhooks read from the ledger: the unit that wrote it ({@code unitId}), the stock
   * event it is part of ({@code event}, see {@link StockEvents}) and the low-stock transition it caused ({@code lowStock}).
   */
  private Future<JsonObject> record(Unit unit, StockChange change, long stockAfter, JsonObject variantAfter,
                                    LowStockTransition lowStock) {
    JsonObject movement = new JsonObject()
      .put("_id", Mongo.newId())
      .put("tenantId", change.tenantId())
      .put("variantId", change.variantId())
      .put("sku", change.sku())
      .put("type", change.type().name())
      .put("locationId", change.locationId())
      .put("from", StockState.fieldOf(change.from()))
      .put("to", StockState.fieldOf(change.to()))
      .put("units", change.units())
      .put("quantity", change.quantity())
      .put("stockAfter", stockAfter)
      .put("availableAfter", StockLevels.totalAvailable(variantAfter))
      .put("sequence", variantAfter.getLong("movements", 1L))
      .put("source", change.source())
      .put("sourceKey", change.sourceKey())
      .put("actor", change.actor())
      .put("reason", change.reason())
      .put("day", change.day())
      .put("createdAt", Mongo.now())
      .put("unitId", unit.id());
    if (change.soldUnits() != 0 || change.soldRevenue().signum() != 0) {
      movement.put("sold", new JsonObject().put("u", change.soldUnits()).put("r", Amounts.stored(change.soldRevenue())));
    }
    if (change.event() != null) movement.put("event", change.event().toJson());
    if (lowStock != null) movement.put("lowStock", lowStock.toJson());
    return unit.queueInsert(MovementRepository.COLLECTION, movement).map(movement);
  }
}
