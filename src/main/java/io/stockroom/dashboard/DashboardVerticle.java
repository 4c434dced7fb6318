package io.stockroom.dashboard;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;

/** Serves the dashboard: reads only, so it needs no background upkeep of its own. */
public class DashboardVerticle extends StockServiceVerticle {

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    DashboardService dashboard = new DashboardService(kit.mongo());
    return consumers.bind(DashboardContract.GET, dashboard::dashboard);
  }
}
