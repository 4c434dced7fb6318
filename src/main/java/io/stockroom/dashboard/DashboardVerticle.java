package io.stockroom.dashboard;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the dashboard and runs its background upkeep every minute (and on demand at {@link DashboardContract#SWEEP}). */
public class DashboardVerticle extends StockServiceVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardVerticle.class);
  private static final long SWEEP_EVERY_MS = 60_000;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    DashboardTotals totals = new DashboardTotals(kit.mongo());
    DashboardSweep sweep = new DashboardSweep(kit.mongo(),
      new SalesWindow(kit.mongo(), kit.kernel(), new DashboardProjection(kit.mongo())));
    everyTurn("dashboard-sweep", SWEEP_EVERY_MS, () -> sweep.sweepAll()
      .onFailure(err -> LOG.warn("Dashboard sweep failed (retried next minute): {}", err.toString())));
    vertx.eventBus().<String>consumer(DashboardContract.SWEEP.address(), message -> sweep.sweep(message.body())
      .onSuccess(v -> message.reply(null))
      .onFailure(err -> message.fail(503, String.valueOf(err.getMessage()))));
    DashboardService dashboard = new DashboardService(kit.mongo(), totals);
    return consumers.bind(DashboardContract.GET, dashboard::dashboard);
  }
}
