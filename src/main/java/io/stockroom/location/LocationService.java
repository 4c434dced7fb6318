package io.stockroom.location;

import io.stockroom.location.LocationCommands.ChangeLocation;
import io.stockroom.location.LocationCommands.CreateLocation;
import io.stockroom.location.LocationCommands.SetAllocation;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** The tenant's locations and its allocation rule. */
public class LocationService {
  private final Locations locations;
  private final AllocationRules rules;

  public LocationService(Vertx vertx, MongoClient mongo) {
    this.locations = new Locations(mongo);
    this.rules = AllocationRules.owner(vertx, mongo);
  }

  public Future<Location> create(CreateLocation command) {
    String tenantId = command.by().tenantId();
    Location location = Location.create(tenantId, command.name(), command.code(), command.address(), command.active());
    return locations.ensureDefault(tenantId).compose(v -> locations.insertCapped(location));
  }

  /** In creation order, so the default location (created with the tenant) comes first; as clients see them. */
  public Future<JsonObject> list(String tenantId, Page page) {
    return locations.page(tenantId, page);
  }

  public Future<Location> get(String tenantId, String locationId) {
    return locations.location(tenantId, locationId);
  }

  /** Name, code, address, active; the default location stays active. */
  public Future<Location> change(ChangeLocation command) {
    String tenantId = command.by().tenantId();
    boolean isDefault = Locations.defaultId(tenantId).equals(command.locationId());
    if (isDefault && command.deactivates()) return ServiceError.fail(ErrorCode.CONFLICT, "The default location stays active");
    Future<Void> exists = isDefault ? locations.ensureDefault(tenantId) : Future.succeededFuture();
    return exists.compose(v -> locations.changeRecord(tenantId, command.locationId(), command.changes()));
  }

  public Future<Void> delete(String tenantId, String locationId) {
    return locations.deleteIfEmpty(tenantId, locationId);
  }

  public Future<AllocationRules.Rule> allocation(String tenantId) {
    return rules.get(tenantId);
  }

  /** Every location the rule names must exist (404). */
  public Future<AllocationRules.Rule> setAllocation(SetAllocation command) {
    String tenantId = command.by().tenantId();
    return locations.findAll(tenantId, command.rule().locationIds()).compose(found -> rules.set(tenantId, command.rule()));
  }
}
