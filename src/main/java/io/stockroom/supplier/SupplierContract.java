package io.stockroom.supplier;

import io.stockroom.platform.bus.ServiceOperation;

/**
 * Event-bus addresses answered by {@link SupplierVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class SupplierContract {
  public static final ServiceOperation CREATE = ServiceOperation.named("suppliers.create");
  public static final ServiceOperation LIST = ServiceOperation.named("suppliers.list");
  public static final ServiceOperation GET = ServiceOperation.named("suppliers.get");
  public static final ServiceOperation UPDATE = ServiceOperation.named("suppliers.update");
  public static final ServiceOperation DELETE = ServiceOperation.named("suppliers.delete");

  private SupplierContract() {
  }
}
