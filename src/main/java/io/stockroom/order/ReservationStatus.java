package io.stockroom.order;

/**
 * ACTIVE while it holds units; RELEASED by hand, CONSUMED by the order that took it, EXPIRED once its time ran out
 * (shown as EXPIRED from {@code expiresAt} on, even in the seconds before the expiry job gives its units back).
 */
public enum ReservationStatus {
  ACTIVE, RELEASED, CONSUMED, EXPIRED
}
