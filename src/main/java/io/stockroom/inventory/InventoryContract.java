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

  private InventoryContract() {
  }
}
