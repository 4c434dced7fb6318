package io.stockroom.inventory;

import io.stockroom.platform.bus.ServiceOperation;

/**
 * Event-bus addresses answered by {@link InventoryVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class InventoryContract {
  public static final ServiceOperation AUDIT = ServiceOperation.named("inventory.audit");
  public static final ServiceOperation MOVEMENTS_LIST = ServiceOperation.named("inventory.movements.list");
  public static final ServiceOperation ADJUST = ServiceOperation.named("inventory.adjust");
  public static final ServiceOperation COUNT = ServiceOperation.named("inventory.count");
  public static final ServiceOperation LEVELS = ServiceOperation.named("inventory.levels");
  public static final ServiceOperation STATE_MOVE = ServiceOperation.named("inventory.state-move");
  /** Internal (not routed over HTTP): applies the repair journal's pending undo steps again, now. */
  public static final ServiceOperation REPAIR = ServiceOperation.named("inventory.repair");
  /** Internal (not routed over HTTP): empties the day buckets that left every dashboard window, now. */
  public static final ServiceOperation EXPIRE_DAYS = ServiceOperation.named("inventory.expire-days");
  /**
   * Internal (the management port): recomputes a tenant's dashboard figures from its ledger and variants, {@code
   * {tenantId, fix}}, and answers the report ({@link FiguresRebuild}).
   */
  public static final ServiceOperation FIGURES_REBUILD = ServiceOperation.named("inventory.figures.rebuild");

  private InventoryContract() {
  }
}
