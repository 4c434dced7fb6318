package io.stockroom.order;

/** PLACED until every unit came back (RETURNED) or it was cancelled (CANCELLED); only PLACED orders change. */
public enum OrderStatus {
  PLACED, RETURNED, CANCELLED;

  public static OrderStatus of(String stored) {
    return valueOf(stored);
  }
}
