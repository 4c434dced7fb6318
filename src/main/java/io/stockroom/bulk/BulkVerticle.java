package io.stockroom.bulk;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import io.vertx.core.Future;


/** Bulk import jobs (each row a unit of work) and streamed exports; marks imports whose instance stopped as FAILED. */
public class BulkVerticle extends StockServiceVerticle {
  private static final long ABANDONED_EVERY_MS = 15_000;

  private ContractSchemas schemas;

  @Override
  public Future<?> start() {
    return ContractSchemas.load(vertx).compose(loaded -> {
      schemas = loaded;
      return super.start();
    });
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    Settings settings = Settings.of(config());
    ExportService exports = new ExportService(vertx, kit.mongo());
    ImportService imports = new ImportService(vertx, kit, schemas, settings.integer(ConfigKey.IMPORTS_MAX_ROWS),
      settings.integer(ConfigKey.IMPORTS_MAX_RUNNING_PER_TENANT));
    everyTurn("import-abandoned", ABANDONED_EVERY_MS, imports::failAbandoned);
    return consumers
      .bind(BulkContract.IMPORT, imports::start)
      .bind(BulkContract.IMPORT_GET, imports::get)
      .bind(BulkContract.EXPORT_VARIANTS, exports::variants)
      .bind(BulkContract.EXPORT_STOCK_LEVELS, exports::stockLevels)
      .bind(BulkContract.EXPORT_MOVEMENTS, exports::movements);
  }
}
