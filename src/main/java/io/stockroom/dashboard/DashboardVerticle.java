package io.stockroom.dashboard;

import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.mongo.RecordCodec;

/**
 * Serves the dashboard, takes the variants' pending figures into the projection every {@link #PROJECT_EVERY_MS} (one
 * instance per period), and checks the projection on request ({@link ProjectionCheck}).
 */
public class DashboardVerticle extends StockServiceVerticle {
  static final long PROJECT_EVERY_MS = 250;

  /** The projection check's command: whose, and whether to write what the variants say (default: only report). */
  private record CheckCommand(String tenantId, boolean fix) {
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    DashboardProjector projector = new DashboardProjector(kit.mongo(), kit.kernel());
    everyTurn(DashboardContract.PROJECT, PROJECT_EVERY_MS, projector::turn);
    ProjectionCheck check = new ProjectionCheck(kit.mongo(), kit.kernel());
    DashboardService dashboard = new DashboardService(vertx, kit.mongo());
    return consumers
      .bindInternal(DashboardContract.PROJECTION_CHECK, command -> {
        CheckCommand checking = RecordCodec.api(CheckCommand.class).decode(command);
        return check.run(checking.tenantId(), checking.fix());
      })
      .bind(DashboardContract.GET, DashboardQuery::from, query -> dashboard.dashboard(query).map(Reply::ok));
  }
}
