package io.stockroom.purchasing;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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

  /** The stored and answered field that says when an order reached this status: {@code sentAt}, {@code receivedAt}, ... */
  String stampField() {
    return name().toLowerCase(Locale.ROOT) + "At";
  }

  /** The names of {@code statuses}, in lifecycle order. */
  static List<String> inOrder(Set<PurchaseOrderStatus> statuses) {
    return EnumSet.copyOf(statuses).stream().map(Enum::name).toList();
  }
}
