package io.stockroom.location;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.LinkedHashSet;
import java.util.List;

/** The tenant's locations and its allocation rule. Request bodies were validated against openapi.yaml. */
public class LocationService {
  private final MongoClient mongo;
  private final Locations locations;
  private final AllocationRules rules;

  public LocationService(Vertx vertx, MongoClient mongo) {
    this.mongo = mongo;
    this.locations = new Locations(mongo);
    this.rules = AllocationRules.owner(vertx, mongo);
  }

  public Future<Reply> create(BusRequest request) {
    String tenantId = request.tenantId();
    JsonObject location = request.body().copy()
      .put("_id", Mongo.newId()).put("tenantId", tenantId).put("active", request.body().getBoolean("active", true))
      .put("default", false).put("stockedVariants", 0L).put("createdAt", Mongo.now());
    return locations.ensureDefault(tenantId)
      .compose(v -> locations.insertCapped(location))
      .map(doc -> Reply.created(Locations.toApi(doc)));
  }

  /** In creation order, so the default location (created with the tenant) comes first. */
  public Future<Reply> list(BusRequest request) {
    String tenantId = request.tenantId();
    Page page = Page.from(request.query());
    return mongo.findWithOptions(Locations.COLLECTION, page.filter(new JsonObject().put("tenantId", tenantId)), page.findOptions())
      .compose(docs -> {
        boolean defaultMissing = page.afterId() == null
          && docs.stream().noneMatch(d -> Locations.defaultId(tenantId).equals(d.getString("_id")));
        if (!defaultMissing) return Future.succeededFuture(docs);
        return locations.find(tenantId, Locations.defaultId(tenantId)).map(d -> {
          List<JsonObject> withDefault = new java.util.ArrayList<>(docs);
          withDefault.add(0, d);
          return withDefault;
        });
      })
      .map(docs -> Reply.ok(page.result(docs, Locations::toApi)));
  }

  public Future<Reply> get(BusRequest request) {
    return locations.find(request.tenantId(), request.pathParam("locationId")).map(doc -> Reply.ok(Locations.toApi(doc)));
  }

  /** Name, code, address, active; the default location stays active. */
  public Future<Reply> update(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("locationId");
    JsonObject changes = request.body();
    if (Locations.defaultId(tenantId).equals(id) && Boolean.FALSE.equals(changes.getBoolean("active"))) {
      return ServiceError.fail(ErrorCode.CONFLICT, "The default location stays active");
    }
    Future<Void> exists = Locations.defaultId(tenantId).equals(id) ? locations.ensureDefault(tenantId) : Future.succeededFuture();
    return exists.compose(v -> locations.patch(tenantId, id, changes)).map(doc -> Reply.ok(Locations.toApi(doc)));
  }

  public Future<Reply> delete(BusRequest request) {
    return locations.deleteIfEmpty(request.tenantId(), request.pathParam("locationId")).map(v -> Reply.noContent());
  }

  public Future<Reply> getAllocation(BusRequest request) {
    return rules.get(request.tenantId()).map(rule -> Reply.ok(rule.toApi()));
  }

  /** {strategy, locationIds}: every location named must exist (404) and be named once (400). */
  public Future<Reply> setAllocation(BusRequest request) {
    String tenantId = request.tenantId();
    List<String> ids = request.body().getJsonArray("locationIds", new JsonArray()).stream().map(String::valueOf).toList();
    if (new LinkedHashSet<>(ids).size() != ids.size()) {
      return ServiceError.fail(ErrorCode.VALIDATION, "Each location may appear once in locationIds");
    }
    AllocationRules.Rule rule = new AllocationRules.Rule(
      AllocationRules.Strategy.valueOf(request.body().getString("strategy")), ids);
    return locations.findAll(tenantId, ids).compose(found -> rules.set(tenantId, rule)).map(saved -> Reply.ok(saved.toApi()));
  }

  /** Internal: the tenant's default location, created once. */
  public Future<Void> ensureDefault(String tenantId) {
    return locations.ensureDefault(tenantId);
  }
}
