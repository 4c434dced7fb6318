package io.stockroom.inventory;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Function;

/** Owns the movement ledger and adjustments: manual stock changes, counts, movement queries and the audit. */
public class InventoryVerticle extends StockServiceVerticle {
  private final Function<MongoClient, StockProjection> projection;

  public InventoryVerticle(Function<MongoClient, StockProjection> projection) {
    this.projection = projection;
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    InventoryService inventory = new InventoryService(vertx, kit, projection.apply(kit.mongo()));
    return consumers
      .bind(InventoryContract.AUDIT, inventory::audit)
      .bind(InventoryContract.MOVEMENTS_LIST, inventory::listMovements)
      .bind(InventoryContract.ADJUST, kit.idempotency().wrap(inventory::adjust))
      .bind(InventoryContract.COUNT, kit.idempotency().wrap(inventory::count));
  }
}
