package io.stockroom.inventory;

/** Why stock changed. PURCHASE and RETURN add stock, SALE removes it, ADJUSTMENT goes either way. */
public enum MovementType {
  PURCHASE, SALE, ADJUSTMENT, RETURN
}
