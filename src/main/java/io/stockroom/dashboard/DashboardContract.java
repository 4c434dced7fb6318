package io.stockroom.dashboard;

/** Event-bus addresses answered by {@link DashboardVerticle}. Messages are {@code BusRequest} envelopes. */
public final class DashboardContract {
  public static final String GET = "stockroom.dashboard.get";

  private DashboardContract() {
  }
}
