package io.stockroom.bulk;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Bulk exports (read only: it writes no collection). */
public class BulkVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    ExportService exports = new ExportService(vertx, Storage.mongo(vertx, Settings.of(config())));
    return new ServiceConsumers(vertx)
      .bind(BulkContract.EXPORT_VARIANTS, exports::variants)
      .bind(BulkContract.EXPORT_STOCK_LEVELS, exports::stockLevels)
      .bind(BulkContract.EXPORT_MOVEMENTS, exports::movements)
      .ready();
  }
}
