package io.stockroom.inventory;

import io.stockroom.platform.ServiceConsumers;
import io.stockroom.platform.Settings;
import io.stockroom.platform.StockServiceKit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns the movement ledger and adjustments: manual stock changes, counts, movement queries and the audit. */
public class InventoryVerticle extends VerticleBase {
  private StockServiceKit kit;

  @Override
  public Future<?> start() {
    return StockServiceKit.create(vertx, Settings.of(config())).compose(created -> {
      kit = created;
      InventoryService inventory = new InventoryService(vertx, kit);
      return new ServiceConsumers(vertx.eventBus())
        .bind(InventoryContract.AUDIT, inventory::audit)
        .bind(InventoryContract.MOVEMENTS_LIST, inventory::listMovements)
        .bind(InventoryContract.ADJUST, kit.idempotency().wrap("adjust", inventory::adjust))
        .bind(InventoryContract.COUNT, kit.idempotency().wrap("count", inventory::count))
        .ready();
    });
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.close();
  }
}
