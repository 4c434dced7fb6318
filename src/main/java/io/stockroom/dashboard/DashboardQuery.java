package io.stockroom.dashboard;

import io.stockroom.platform.bus.BusRequest;
import io.vertx.core.json.JsonObject;

/** What a dashboard shows: the tenant's, or one location's; the trend and top-seller windows in days. */
public record DashboardQuery(String tenantId, int trendDays, int topSellersDays, String locationId) {
  static DashboardQuery from(BusRequest request) {
    JsonObject query = request.query();
    return new DashboardQuery(request.tenantId(), query.getInteger("trendDays", DashboardService.DEFAULT_TREND_DAYS),
      query.getInteger("topSellersDays", DashboardService.DEFAULT_TOP_SELLERS_DAYS), query.getString("locationId"));
  }
}
