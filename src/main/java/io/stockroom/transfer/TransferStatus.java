package io.stockroom.transfer;

/** DRAFT (nothing moved; may be CANCELLED) → SHIPPED (units in transit; received in parts) → RECEIVED (all of them). */
public enum TransferStatus {
  DRAFT, SHIPPED, RECEIVED, CANCELLED
}
