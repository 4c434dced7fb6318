package io.stockroom.inventory;

import io.stockroom.catalog.VariantRepository;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.unit.Increments;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * The only way stock changes: inside a unit of work, a guarded update of the variant's stock, the tenant's dashboard
 * totals ({@link StockRollups}), the movement that records it, and the tenant's daily rollup. The guard is on the variant document itself ({@code stock >= q} for
 * removals, exact stock for counts), so stock can never go negative even if a lock was lost. The same variant update
 * keeps its 30-day sales counters ({@code sales30.u}, {@code sales30.r}) for the dashboard's top sellers.
 */
public final class StockLedger {
  /** Daily rollups: {_id: "tenantId:YYYY-MM-DD", tenantId, day, in{TYPE: units}, out{TYPE: units}, sales{variantId: {u, r}}}. */
  public static final String DAILY = "daily_stock";

  private StockLedger() {
  }

  /** @return the inserted movement (with {@code stockAfter}) */
  public static Future<JsonObject> apply(Unit unit, MongoClient mongo, StockChange change) {
    JsonObject filter = Mongo.byId(change.tenantId(), change.variantId());
    if (change.expectedStock() != null) {
      filter.put("stock", change.expectedStock());
    } else if (change.quantity() < 0) {
      filter.put("stock", new JsonObject().put("$gte", -change.quantity()));
    }
    JsonObject inc = new JsonObject().put("stock", change.quantity());
    if (change.soldUnits() != 0 || change.soldRevenue() != 0) {
      inc.put("sales30.u", change.soldUnits()).put("sales30.r", change.soldRevenue());
    }
    if (change.extraInc() != null) inc.mergeIn(change.extraInc());
    JsonObject update = new JsonObject().put("$inc", inc);
    if (change.extraSet() != null) update.put("$set", change.extraSet());
    JsonObject undo = new JsonObject().put("$inc", Increments.negate(inc));
    if (change.extraUndo() != null) change.extraUndo().forEach(e -> undo.put(e.getKey(), e.getValue()));
    return unit.update(VariantRepository.COLLECTION, filter, update, undo).compose(variant -> variant == null
      ? Future.failedFuture(new ServiceError(ErrorCode.CONFLICT,
          "Stock of " + change.sku() + " changed concurrently or is insufficient; nothing was changed"))
      : StockRollups.apply(unit, mongo, change.tenantId(), StockRollups.before(variant, change), variant)
          .compose(v -> record(unit, change, variant.getLong("stock"))));
  }

  /** Inserts the movement and its daily rollup for a change already applied to the variant (also opening stock). */
  public static Future<JsonObject> record(Unit unit, StockChange change, long stockAfter) {
    JsonObject movement = movement(change, stockAfter);
    return unit.insert(MovementRepository.COLLECTION, movement)
      .compose(v -> unit.increment(DAILY, dailyId(change.tenantId(), change.day()), dailyIncrements(change),
        new JsonObject().put("tenantId", change.tenantId()).put("day", change.day())))
      .map(movement);
  }

  public static String dailyId(String tenantId, String day) {
    return tenantId + ":" + day;
  }

  private static JsonObject dailyIncrements(StockChange change) {
    String direction = change.quantity() >= 0 ? "in." : "out.";
    JsonObject inc = new JsonObject().put(direction + change.type().name(), Math.abs(change.quantity()));
    if (change.soldUnits() != 0 || change.soldRevenue() != 0) {
      inc.put("sales." + change.variantId() + ".u", change.soldUnits()).put("sales." + change.variantId() + ".r", change.soldRevenue());
    }
    return inc;
  }

  private static JsonObject movement(StockChange change, long stockAfter) {
    return new JsonObject()
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
      .put("createdAt", Mongo.now());
  }
}
