package io.stockroom.supplier;

/** Event-bus addresses answered by {@link SupplierVerticle}. Messages are {@code BusRequest} envelopes. */
public final class SupplierContract {
  public static final String CREATE = "stockroom.suppliers.create";
  public static final String LIST = "stockroom.suppliers.list";
  public static final String GET = "stockroom.suppliers.get";
  public static final String UPDATE = "stockroom.suppliers.update";
  public static final String DELETE = "stockroom.suppliers.delete";

  private SupplierContract() {
  }
}
