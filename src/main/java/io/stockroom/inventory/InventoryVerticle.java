package io.stockroom.inventory;

import io.stockroom.inventory.InventoryCommands.Adjust;
import io.stockroom.inventory.InventoryCommands.Count;
import io.stockroom.inventory.InventoryCommands.MoveState;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;


/**
 * Owns the movement ledger and adjustments: manual stock changes, counts, movement queries and the audit; retries the
 * repair journal every 30 seconds (and on demand at {@link InventoryContract#REPAIR}), and lets the figures' days
 * that left the sales window expire.
 */
public class InventoryVerticle extends StockServiceVerticle {
  private static final long REPAIR_EVERY_MS = 30_000;
  private static final long EXPIRED_DAYS_EVERY_MS = 60_000;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    InventoryService inventory = new InventoryService(vertx, kit);
    RepairSweep repairs = new RepairSweep(new UnitRepairs(kit.mongo()), kit.locks());
    everyTurn(InventoryContract.REPAIR, REPAIR_EVERY_MS, repairs::sweep);
    ExpiredDays expiredDays = new ExpiredDays(kit.mongo(), kit.kernel());
    everyTurn(InventoryContract.EXPIRE_DAYS, EXPIRED_DAYS_EVERY_MS, expiredDays::sweep);
    FiguresRebuild rebuild = new FiguresRebuild(kit.mongo(), kit.kernel());
    return consumers
      .bindInternal(InventoryContract.FIGURES_REBUILD, command -> {
        FiguresRebuild.Command rebuilding = FiguresRebuild.Command.of(command);
        return rebuild.run(rebuilding.tenantId(), rebuilding.fix());
      })
      .bind(InventoryContract.AUDIT, request -> inventory.audit(request.invocation()).map(Reply::ok))
      .bind(InventoryContract.MOVEMENTS_LIST, request -> inventory.listMovements(request.tenantId(), request.query()).map(Reply::ok))
      .bind(InventoryContract.ADJUST, kit.idempotency().wrap(request -> inventory.adjust(Adjust.from(request))))
      .bind(InventoryContract.COUNT, kit.idempotency().wrap(request -> inventory.count(Count.from(request))))
      .bind(InventoryContract.LEVELS, request -> inventory.levels(request.tenantId(), request.pathParam("variantId")).map(Reply::ok))
      .bind(InventoryContract.STATE_MOVE, kit.idempotency().wrap(request -> inventory.moveState(MoveState.from(request))));
  }
}
