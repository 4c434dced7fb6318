package io.stockroom.supplier;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns the suppliers collection. */
public class SupplierVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    SupplierService suppliers = new SupplierService(Storage.mongo(vertx, Settings.of(config())));
    return new ServiceConsumers(vertx)
      .bind(SupplierContract.CREATE, suppliers::create)
      .bind(SupplierContract.LIST, suppliers::list)
      .bind(SupplierContract.GET, suppliers::get)
      .bind(SupplierContract.UPDATE, suppliers::update)
      .bind(SupplierContract.DELETE, suppliers::delete)
      .ready();
  }
}
