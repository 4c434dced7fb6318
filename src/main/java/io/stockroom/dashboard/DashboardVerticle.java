package io.stockroom.dashboard;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;

/**
 * Serves the dashboard, and takes the variants' pending figures into the projection every
 * {@link #PROJECT_EVERY_MS} (one instance per period).
 */
public class DashboardVerticle extends StockServiceVerticle {
  static final long PROJECT_EVERY_MS = 250;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    DashboardProjector projector = new DashboardProjector(kit.mongo(), kit.kernel());
    everyTurn("dashboard-projector", PROJECT_EVERY_MS, projector::turn);
    DashboardService dashboard = new DashboardService(vertx, kit.mongo());
    return consumers.bind(DashboardContract.GET, dashboard::dashboard);
  }
}
