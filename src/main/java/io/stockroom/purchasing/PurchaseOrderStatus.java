package io.stockroom.purchasing;

import java.util.EnumSet;
import java.util.Set;

/** DRAFT → SENT → CONFIRMED → RECEIVED, or CLOSED short, or CANCELLED before anything arrived. */
public enum PurchaseOrderStatus {
  DRAFT, SENT, CONFIRMED, RECEIVED, CLOSED, CANCELLED;

  /** Still open: counts against its variants and supplier, which cannot be deleted meanwhile. */
  public static final Set<PurchaseOrderStatus> OPEN = EnumSet.of(DRAFT, SENT, CONFIRMED);
  /** What is still to come on these counts as the variants' {@code incoming}. */
  public static final Set<PurchaseOrderStatus> INCOMING = EnumSet.of(SENT, CONFIRMED);

  public static PurchaseOrderStatus of(String stored) {
    return valueOf(stored);
  }
}
