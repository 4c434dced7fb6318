package io.stockroom.location;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns the locations and allocation rules. */
public class LocationVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    LocationService locations = new LocationService(vertx, Storage.mongo(vertx, Settings.of(config())));
    vertx.eventBus().<String>consumer(LocationContract.ENSURE_DEFAULT.address(), message -> locations.ensureDefault(message.body())
      .onSuccess(v -> message.reply(null))
      .onFailure(err -> message.fail(503, String.valueOf(err.getMessage()))));
    return new ServiceConsumers(vertx)
      .bind(LocationContract.CREATE, locations::create)
      .bind(LocationContract.LIST, locations::list)
      .bind(LocationContract.GET, locations::get)
      .bind(LocationContract.UPDATE, locations::update)
      .bind(LocationContract.DELETE, locations::delete)
      .bind(LocationContract.GET_ALLOCATION, locations::getAllocation)
      .bind(LocationContract.SET_ALLOCATION, locations::setAllocation)
      .ready();
  }
}
