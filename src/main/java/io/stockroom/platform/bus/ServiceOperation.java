package io.stockroom.platform.bus;

/**
 * One service operation, named once: its event-bus address ({@code stockroom.orders.place}) and, derived from it, the
 * name of its unit of work in logs and failpoints and the scope of its Idempotency-Keys ({@code orders.place}).
 */
public record ServiceOperation(String address) {
  private static final String PREFIX = "stockroom.";

  public static ServiceOperation named(String name) {
    return new ServiceOperation(PREFIX + name);
  }

  /** {@code orders.place}: the unit of work's name, for logs and test failpoints. */
  public String unitName() {
    return address.substring(PREFIX.length());
  }

  /** Idempotency-Keys are scoped per tenant and per operation. */
  public String idempotencyScope() {
    return unitName();
  }
}
