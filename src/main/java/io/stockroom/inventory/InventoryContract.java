package io.stockroom.inventory;

/** Event-bus addresses answered by {@link InventoryVerticle}. Messages are {@code BusRequest} envelopes. */
public final class InventoryContract {
  public static final String AUDIT = "stockroom.inventory.audit";
  public static final String MOVEMENTS_LIST = "stockroom.inventory.movements.list";
  public static final String ADJUST = "stockroom.inventory.adjust";
  public static final String COUNT = "stockroom.inventory.count";

  private InventoryContract() {
  }
}
