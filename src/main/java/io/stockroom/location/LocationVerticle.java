package io.stockroom.location;

import io.stockroom.location.LocationCommands.ChangeLocation;
import io.stockroom.location.LocationCommands.CreateLocation;
import io.stockroom.location.LocationCommands.SetAllocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;

/** Owns the locations and allocation rules. Creating a location takes an optional Idempotency-Key. */
public class LocationVerticle extends VerticleBase {
  private static final String LOCATION_ID = "locationId";

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    LocationService locations = new LocationService(vertx, mongo);
    IdempotencyStore keys = IdempotencyStore.outsideUnits(mongo, settings);
    return new ServiceConsumers(vertx)
      .bind(LocationContract.CREATE, keys.wrap(request -> locations.create(CreateLocation.from(request)).map(l -> Reply.created(l.toApi()))))
      .bind(LocationContract.LIST, request -> locations.list(request.tenantId(), Page.from(request.query())).map(Reply::ok))
      .bind(LocationContract.GET, request -> locations.get(request.tenantId(), request.pathParam(LOCATION_ID)).map(l -> Reply.ok(l.toApi())))
      .bind(LocationContract.UPDATE, ChangeLocation::from, command -> locations.change(command).map(l -> Reply.ok(l.toApi())))
      .bind(LocationContract.DELETE, request -> locations.delete(request.tenantId(), request.pathParam(LOCATION_ID)).map(v -> Reply.noContent()))
      .bind(LocationContract.GET_ALLOCATION, request -> locations.allocation(request.tenantId()).map(rule -> Reply.ok(rule.toApi())))
      .bind(LocationContract.SET_ALLOCATION, SetAllocation::from, command -> locations.setAllocation(command).map(rule -> Reply.ok(rule.toApi())))
      .ready();
  }
}
