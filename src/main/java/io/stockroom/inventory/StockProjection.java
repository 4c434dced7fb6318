package io.stockroom.inventory;

import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What other features keep in step with stock, written inside the same unit of work as the change itself (the
 * dashboard's rollups). The inventory package calls it; the owner of those documents implements it.
 */
public interface StockProjection {

  /** A variant went from {@code before} (null: created) to {@code after} (null: deleted). */
  Future<Void> variantChanged(Unit unit, String tenantId, JsonObject before, JsonObject after);

  /** A movement was recorded (daily rollups, per-day sales). */
  Future<Void> movementRecorded(Unit unit, StockChange change);

  /** For tests and tools that need no projection. */
  StockProjection NONE = new StockProjection() {
    @Override
    public Future<Void> variantChanged(Unit unit, String tenantId, JsonObject before, JsonObject after) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> movementRecorded(Unit unit, StockChange change) {
      return Future.succeededFuture();
    }
  };
}
