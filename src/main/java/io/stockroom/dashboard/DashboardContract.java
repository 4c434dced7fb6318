package io.stockroom.dashboard;

import io.stockroom.platform.bus.ServiceOperation;

/**
 * Event-bus addresses answered by {@link DashboardVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class DashboardContract {
  public static final ServiceOperation GET = ServiceOperation.named("dashboard.get");
  /** Internal (not routed over HTTP): runs the background upkeep for the tenant id in the body, now. */
  public static final ServiceOperation SWEEP = ServiceOperation.named("dashboard.sweep");

  private DashboardContract() {
  }
}
