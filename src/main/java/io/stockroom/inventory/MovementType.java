package io.stockroom.inventory;

/**
 * Why stock changed. PURCHASE and RETURN add stock, SALE removes it, ADJUSTMENT goes either way; STATE_CHANGE
 * (available ↔ damaged, qualityControl, safetyStock) and RESERVATION (available ↔ reserved) leave on hand as it is;
 * TRANSFER takes units off hand at the source, into transit at the destination, and on hand there when received.
 */
public enum MovementType {
  PURCHASE, SALE, ADJUSTMENT, RETURN, STATE_CHANGE, RESERVATION, TRANSFER;

  /** The types that bring units into the tenant or take them out (the dashboard's daily flows). */
  public static final java.util.List<MovementType> FLOWS = java.util.List.of(PURCHASE, SALE, ADJUSTMENT, RETURN);
}
