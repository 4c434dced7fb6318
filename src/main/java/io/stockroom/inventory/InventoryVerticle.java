package io.stockroom.inventory;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import io.stockroom.platform.kernel.UnitRecovery;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Function;

/**
 * Owns the movement ledger and adjustments: manual stock changes, counts, movement queries and the audit; retries the
 * repair journal every 30 seconds (and on demand at {@link InventoryContract#REPAIR}); recovers the units of instances
 * that died, and clears the unit journal's orphaned step documents.
 */
public class InventoryVerticle extends StockServiceVerticle {
  private static final long REPAIR_EVERY_MS = 30_000;
  /** Step documents lose their entry only when an instance dies between the two deletes that close a unit: rare. */
  private static final long JOURNAL_ORPHANS_EVERY_MS = 60_000;

  private final Function<MongoClient, StockProjection> projection;

  public InventoryVerticle(Function<MongoClient, StockProjection> projection) {
    this.projection = projection;
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    InventoryService inventory = new InventoryService(vertx, kit, projection.apply(kit.mongo()));
    RepairSweep repairs = new RepairSweep(new UnitRepairs(kit.mongo()), kit.locks());
    everyTurn("repair-sweep", REPAIR_EVERY_MS, repairs::sweep);
    UnitJournal journal = new UnitJournal(kit.mongo(), kit.lockTtlMs());
    UnitRecovery recovery = new UnitRecovery(vertx, kit.mongo(), journal, kit.idempotency(), kit.locks());
    everyTurn("unit-recovery", journal.heartbeatMs(), recovery::sweep);
    everyTurn("journal-orphans", JOURNAL_ORPHANS_EVERY_MS, recovery::removeOrphanSteps);
    vertx.eventBus().<Object>consumer(InventoryContract.REPAIR.address(), message -> repairs.sweep()
      .onSuccess(message::reply)
      .onFailure(err -> message.fail(503, String.valueOf(err.getMessage()))));
    return consumers
      .bind(InventoryContract.AUDIT, inventory::audit)
      .bind(InventoryContract.MOVEMENTS_LIST, inventory::listMovements)
      .bind(InventoryContract.ADJUST, kit.idempotency().wrap(inventory::adjust))
      .bind(InventoryContract.COUNT, kit.idempotency().wrap(inventory::count))
      .bind(InventoryContract.LEVELS, inventory::levels)
      .bind(InventoryContract.STATE_MOVE, kit.idempotency().wrap(inventory::moveState));
  }
}
