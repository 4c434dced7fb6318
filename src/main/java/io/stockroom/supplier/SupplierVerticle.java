package io.stockroom.supplier;

import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.supplier.SupplierCommands.ChangeSupplier;
import io.stockroom.supplier.SupplierCommands.CreateSupplier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;

/** Owns the suppliers collection. Creating a supplier takes an optional Idempotency-Key. */
public class SupplierVerticle extends VerticleBase {
  private static final String SUPPLIER_ID = "supplierId";

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    SupplierService suppliers = new SupplierService(mongo);
    IdempotencyStore keys = IdempotencyStore.outsideUnits(mongo, settings);
    return new ServiceConsumers(vertx)
      .bind(SupplierContract.CREATE, keys.wrap(request -> suppliers.create(CreateSupplier.from(request)).map(s -> Reply.created(s.toApi()))))
      .bind(SupplierContract.LIST, request -> suppliers.list(request.tenantId(), Page.from(request.query())).map(Reply::ok))
      .bind(SupplierContract.GET, request -> suppliers.get(request.tenantId(), request.pathParam(SUPPLIER_ID)).map(s -> Reply.ok(s.toApi())))
      .bind(SupplierContract.UPDATE, ChangeSupplier::from, command -> suppliers.change(command).map(s -> Reply.ok(s.toApi())))
      .bind(SupplierContract.DELETE, request -> suppliers.delete(request.tenantId(), request.pathParam(SUPPLIER_ID))
        .map(v -> Reply.noContent()))
      .ready();
  }
}
