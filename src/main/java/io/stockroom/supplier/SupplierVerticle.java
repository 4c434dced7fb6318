package io.stockroom.supplier;

import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.supplier.SupplierCommands.ChangeSupplier;
import io.stockroom.supplier.SupplierCommands.CreateSupplier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns the suppliers collection. */
public class SupplierVerticle extends VerticleBase {
  private static final String SUPPLIER_ID = "supplierId";

  @Override
  public Future<?> start() {
    SupplierService suppliers = new SupplierService(Storage.mongo(vertx, Settings.of(config())));
    return new ServiceConsumers(vertx)
      .bind(SupplierContract.CREATE, CreateSupplier::from, command -> suppliers.create(command).map(s -> Reply.created(s.toApi())))
      .bind(SupplierContract.LIST, request -> suppliers.list(request.tenantId(), Page.from(request.query())).map(Reply::ok))
      .bind(SupplierContract.GET, request -> suppliers.get(request.tenantId(), request.pathParam(SUPPLIER_ID)).map(s -> Reply.ok(s.toApi())))
      .bind(SupplierContract.UPDATE, ChangeSupplier::from, command -> suppliers.change(command).map(s -> Reply.ok(s.toApi())))
      .bind(SupplierContract.DELETE, request -> suppliers.delete(request.tenantId(), request.pathParam(SUPPLIER_ID))
        .map(v -> Reply.noContent()))
      .ready();
  }
}
