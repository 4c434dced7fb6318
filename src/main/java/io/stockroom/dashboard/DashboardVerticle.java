package io.stockroom.dashboard;

import io.stockroom.platform.ServiceConsumers;
import io.stockroom.platform.Settings;
import io.stockroom.platform.StockServiceKit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Serves the dashboard and keeps the 30-day sales window current. */
public class DashboardVerticle extends VerticleBase {
  private StockServiceKit kit;

  @Override
  public Future<?> start() {
    return StockServiceKit.create(vertx, Settings.of(config())).compose(created -> {
      kit = created;
      DashboardService dashboard = new DashboardService(kit.mongo(), new SalesWindow(kit.mongo(), kit.locks(), kit.units()),
        new DashboardTotals(kit.mongo()));
      return new ServiceConsumers(vertx.eventBus())
        .bind(DashboardContract.GET, dashboard::dashboard)
        .ready();
    });
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.close();
  }
}
