package io.stockroom.inventory;

import io.stockroom.catalog.VariantRepository;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The only way stock changes: inside a unit of work, a guarded update of the variant's stock followed by the
 * movement that records it. The guard is on the variant document itself ({@code stock >= q} for removals, exact
 * stock for counts), so stock can never go negative even if a lock was lost.
 */
public final class StockLedger {
  private StockLedger() {
  }

  /** @return the inserted movement (with {@code stockAfter}) */
  public static Future<JsonObject> apply(Unit unit, StockChange change) {
    JsonObject filter = Mongo.byId(change.tenantId(), change.variantId());
    if (change.expectedStock() != null) {
      filter.put("stock", change.expectedStock());
    } else if (change.quantity() < 0) {
      filter.put("stock", new JsonObject().put("$gte", -change.quantity()));
    }
    JsonObject update = new JsonObject().put("$inc", new JsonObject().put("stock", change.quantity()));
    if (change.extraSet() != null) update.put("$set", change.extraSet());
    JsonObject undo = new JsonObject().put("$inc", new JsonObject().put("stock", -change.quantity()));
    if (change.extraUndo() != null) change.extraUndo().forEach(e -> undo.put(e.getKey(), e.getValue()));
    return unit.update(VariantRepository.COLLECTION, filter, update, undo).compose(variant -> {
      if (variant == null) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT,
          "Stock of " + change.sku() + " changed concurrently or is insufficient; nothing was changed"));
      }
      JsonObject movement = movement(change, variant.getLong("stock"));
      return unit.insert(MovementRepository.COLLECTION, movement).map(movement);
    });
  }

  /** A movement document for a change already applied (also used for opening stock on variant creation). */
  public static JsonObject movement(StockChange change, long stockAfter) {
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
