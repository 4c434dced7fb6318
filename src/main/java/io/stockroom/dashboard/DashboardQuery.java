package io.stockroom.dashboard;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.mongo.RecordCodec;

/** What a dashboard shows: the tenant's, or one location's; the trend and top-seller windows in days. */
public record DashboardQuery(String tenantId, int trendDays, int topSellersDays, String locationId) {
  /** The request's query parameters (a window not given: its default). */
  private record Parameters(Integer trendDays, Integer topSellersDays, String locationId) {
  }

  static DashboardQuery from(BusRequest request) {
    Parameters query = RecordCodec.api(Parameters.class).decode(request.query());
    return new DashboardQuery(request.tenantId(),
      query.trendDays() == null ? DashboardService.DEFAULT_TREND_DAYS : query.trendDays(),
      query.topSellersDays() == null ? DashboardService.DEFAULT_TOP_SELLERS_DAYS : query.topSellersDays(), query.locationId());
  }
}
