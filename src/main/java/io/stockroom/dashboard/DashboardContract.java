package io.stockroom.dashboard;

/** Event-bus addresses answered by {@link DashboardVerticle}. Messages are {@code BusRequest} envelopes. */
public final class DashboardContract {
  public static final String GET = "stockroom.dashboard.get";
  /** Internal (not routed over HTTP): runs the background upkeep for the tenant id in the body, now. */
  public static final String SWEEP = "stockroom.dashboard.sweep";

  private DashboardContract() {
  }
}
