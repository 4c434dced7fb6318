package io.stockroom.inventory;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
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
    Variant variant = Variant.of(before);
    String location = change.locationId();
    Level level = variant.level(location);
    long onHand = level.onHand();
    if (change.expectedStock() != null && onHand != change.expectedStock()) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Stock of " + change.sku() + " is " + onHand
        + ", not the expected " + change.expectedStock() + "; recount", Ops.where("currentQuantity", onHand)));
    }
    long stock = variant.stock();
    long stockAfter = stock + change.quantity();
    if (stockAfter > MAX_STOCK) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Stock of " + change.sku() + " would exceed the limit of "
        + MAX_STOCK + " units; nothing was changed", RecordCodec.toApi(new TooMuch(MAX_STOCK, stock))));
    }
    ServiceError missing = shortage(change, level);
    if (missing != null) return Future.failedFuture(missing);
    Map<String, Level> levels = new LinkedHashMap<>(variant.levels());
    Level moved = level.plusOnHand(change.quantity());
    if (change.from() != null) moved = moved.plus(change.from(), -change.units());
    if (change.to() != null) moved = moved.plus(change.to(), change.units());
    levels.put(location, moved);
    if (change.incomingDelta() != 0) {
      levels.put(change.incomingLocationId(), levels.getOrDefault(change.incomingLocationId(), Level.EMPTY).plusIncoming(change.incomingDelta()));
    }
    Map<String, Level> kept = new LinkedHashMap<>();
    levels.forEach((id, l) -> { if (!l.isEmpty()) kept.put(id, l); });
    StockFields fields = new StockFields(stockAfter, variant.movements() + 1, kept,
      change.incomingDelta() != 0 ? variant.incoming() + change.incomingDelta() : null, change.lastUnitCost(),
      variant.uncostedAfter(change.type(), change.quantity(), change.lastUnitCost()));
    JsonObject set = fields.toDocument().mergeIn(VariantFigures.afterMovement(variant, change).toDocument());
    return variants.writeStock(unit, before, set, change)
      .compose(written -> {
        Variant after = Variant.of(written);
        return record(unit, change, stockAfter, after, LowStockTransition.between(variant, after)).map(m -> new Applied(written, m));
      });
  }

  /** The variant's stock fields a movement sets: incoming and the last unit cost only when it changes them. */
  private record StockFields(long stock, long movements, @Key(StockLevels.LEVELS) Map<String, Level> levels, Long incoming,
                             Long lastUnitCost, @Key(Variant.UNCOSTED) long uncosted) {
    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }
  }

  private record TooMuch(long maxStock, long stock) {
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
  private static ServiceError shortage(StockChange change, Level level) {
    StockState from = change.from();
    if (from == null) return null;
    long held = level.units(from);
    if (held >= change.units()) return null;
    String what = from == StockState.AVAILABLE ? "stock" : from.field() + " units";
    return new ServiceError(ErrorCode.CONFLICT, "Not enough " + what + " of " + change.sku() + " (" + held
      + (from == StockState.AVAILABLE ? " available" : "") + " at location " + change.locationId() + "); nothing was changed",
      Ops.where(from.field(), held).put(Movement.LOCATION_ID, change.locationId()));
  }

  /**
   * Creates a variant that starts with {@code change.quantity()} units (opening stock): the variant is inserted with
   * that stock and its first movement, so the ledger adds up from the first moment.
   */
  public Future<Applied> createWithOpeningStock(Unit unit, JsonObject variant, StockChange change) {
    StockFields opening = new StockFields(change.quantity(), 1L, Map.of(change.locationId(), Level.EMPTY.plusOnHand(change.quantity())),
      null, null, change.lastUnitCost() == null ? change.quantity() : 0);
    JsonObject opened = variant.copy().mergeIn(opening.toDocument());
    opened.mergeIn(VariantFigures.afterMovement(Variant.of(opened), change).toDocument());
    return variants.create(unit, opened, change).compose(created -> record(unit, change, change.quantity(), Variant.of(created), null)
      .map(movement -> new Applied(created, movement)));
  }

  /**
   * The movement also carries what webhooks read from the ledger: the unit that wrote it ({@code unitId}), the stock
   * event it is part of ({@code event}, see {@link StockEvents}) and the low-stock transition it caused ({@code lowStock}).
   */
  private Future<JsonObject> record(Unit unit, StockChange change, long stockAfter, Variant after,
                                    LowStockTransition lowStock) {
    boolean sold = change.soldUnits() != 0 || change.soldRevenue().signum() != 0;
    JsonObject movement = new Movement(Mongo.newId(), change.tenantId(), change.variantId(), change.sku(), change.type(),
      change.locationId(), StockState.fieldOf(change.from()), StockState.fieldOf(change.to()), change.units(), change.quantity(),
      stockAfter, after.totalAvailable(), after.movements() == 0 ? 1L : after.movements(), change.source(), change.sourceKey(),
      change.actor(), change.reason(), change.day(), sold ? new Movement.Sold(change.soldUnits(), change.soldRevenue()) : null,
      Instant.now().truncatedTo(ChronoUnit.MILLIS), unit.id(), change.event(), lowStock).toDocument();
    return MovementRepository.record(unit, movement).map(movement);
  }
}
