package io.stockroom.bulk;

import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.contract.ContractSchemas;
import io.vertx.core.Future;


/** Bulk import jobs (each row a unit of work) and streamed exports; marks imports whose instance stopped as FAILED. */
public class BulkVerticle extends StockServiceVerticle {
  private static final long ABANDONED_EVERY_MS = 15_000;

  private final Future<ContractSchemas> shared;
  private ContractSchemas schemas;

  /** Reads the contract itself. */
  public BulkVerticle() {
    this(null);
  }

  /** Uses the contract's schemas read once for every verticle. */
  public BulkVerticle(Future<ContractSchemas> shared) {
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    return ContractSchemas.forVerticle(vertx, shared, ImportRows.SCHEMAS).compose(loaded -> {
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
    everyTurn(BulkContract.FAIL_ABANDONED_IMPORTS, ABANDONED_EVERY_MS, imports::failAbandoned);
    return consumers
      .bind(BulkContract.IMPORT, kit.idempotency().wrap(request -> imports.start(StartImport.from(request)).map(job -> new Reply(202, job))))
      .bind(BulkContract.IMPORT_LIST, request -> imports.list(request.tenantId(), request.query()).map(Reply::ok))
      .bind(BulkContract.IMPORT_GET, request -> imports.get(request.tenantId(), request.pathParam("importId")).map(Reply::ok))
      .bind(BulkContract.EXPORT_VARIANTS, ExportRequest::from, exports::variants)
      .bind(BulkContract.EXPORT_STOCK_LEVELS, ExportRequest::from, exports::stockLevels)
      .bind(BulkContract.EXPORT_MOVEMENTS, ExportRequest::from, exports::movements);
  }
}
