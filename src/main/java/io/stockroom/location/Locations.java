package io.stockroom.location;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.RecordCollection;
import io.stockroom.platform.mongo.TenantSlots;
import io.stockroom.platform.unit.GuardedCounter;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's warehouses and stores: {_id, tenantId, name, code (unique per tenant), address?, active, default,
 * stockedVariants, createdAt, updatedAt}. The default location's id is the tenant's id, so stock of variants written
 * before locations existed, and requests naming no location, need no lookup to find it; it is created with the tenant
 * (and by the start-up migration for older tenants) and read as such even before that.
 *
 * <p>{@code stockedVariants} counts the variants with anything at the location (on hand, in transit, incoming): the
 * stock ledger moves it when a level becomes non-empty or empty, and a location is deleted only by a write whose
 * filter requires it to be 0, so stock can never land in a deleted location.
 */
public class Locations extends RecordCollection<Location> {
  public static final String COLLECTION = "locations";
  /**
   * Most locations one tenant may have, the default one included (levels live on the variant document, one entry per
   * location). Each holds one of the tenant's slots ({@link TenantSlots}); deleting it gives the slot back.
   */
  public static final int MAX_PER_TENANT = 100;

  /** The extension of a NOT_FOUND naming the location. */
  private record Missing(String locationId) {
  }

  /** Whether a location is active, read on its own: a document without {@code active} is. */
  private record Activity(Boolean active) {
    boolean isActive() {
      return active == null || active;
    }
  }

  private final GuardedCounter stocked;
  private final TenantSlots slots;

  public Locations(MongoClient mongo) {
    super(mongo, COLLECTION, "Location", Location::toDocument, Location::fromDocument, Location::toApi);
    this.stocked = new GuardedCounter(mongo, this, Location.STOCKED_VARIANTS);
    this.slots = new TenantSlots(mongo, this, new JsonObject(), "A tenant can have at most " + MAX_PER_TENANT + " locations");
  }

  /** Inserts a new location if the tenant has fewer than {@link #MAX_PER_TENANT} (409 otherwise, also under races). */
  Future<Location> insertCapped(Location location) {
    return slots.insert(location.toDocument(), MAX_PER_TENANT).map(Location::fromDocument);
  }

  /** The location, or NOT_FOUND; the default location is there even before its document is. */
  Future<Location> location(String tenantId, String id) {
    return find(tenantId, id).map(Location::fromDocument);
  }

  /** One page in creation order, the default location first (listed even before its document exists). */
  Future<JsonObject> page(String tenantId, Page page) {
    return mongo.findWithOptions(COLLECTION, page.filter(Ops.where(Fields.TENANT_ID, tenantId)), page.findOptions())
      .compose(docs -> {
        boolean defaultMissing = page.afterId() == null
          && docs.stream().noneMatch(d -> defaultId(tenantId).equals(Location.fromDocument(d).id()));
        if (!defaultMissing) return Future.succeededFuture(docs);
        return find(tenantId, defaultId(tenantId)).map(found -> {
          List<JsonObject> withDefault = new ArrayList<>(docs);
          withDefault.add(0, found);
          return withDefault;
        });
      })
      .map(docs -> page.result(docs, this::view));
  }

  public static String defaultId(String tenantId) {
    return tenantId;
  }

  /** Created with the tenant: its creation time is the tenant's (the time in the tenant's ObjectId id). */
  static JsonObject defaultLocation(String tenantId) {
    return new Location(defaultId(tenantId), tenantId, "Main", "MAIN", null, true, true, 0,
      new ObjectId(tenantId).getDate().toInstant(), null).toDocument();
  }

  /** Creates the tenant's default location if it does not exist yet (safe to repeat and to race). */
  public Future<Void> ensureDefault(String tenantId) {
    return mongo.findOne(COLLECTION, Mongo.byId(tenantId, defaultId(tenantId)), null).compose(found -> found != null
      ? Future.succeededFuture()
      : mongo.insert(COLLECTION, defaultLocation(tenantId)).<Void>mapEmpty()
          .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture() : Future.failedFuture(err)));
  }

  /** The location, or NOT_FOUND; the default location is there even before its document is. */
  public Future<JsonObject> find(String tenantId, String id) {
    return mongo.findOne(COLLECTION, Mongo.byId(tenantId, id), null).compose(doc -> {
      if (doc != null) return Future.succeededFuture(doc);
      if (defaultId(tenantId).equals(id)) return Future.succeededFuture(defaultLocation(tenantId));
      return Future.failedFuture(new ServiceError(ErrorCode.NOT_FOUND, "Location " + id + " not found",
        RecordCodec.toApi(new Missing(id))));
    });
  }

  /** The location with this code (the default location's is MAIN even before its document exists), or null. */
  public Future<JsonObject> findByCode(String tenantId, String code) {
    return mongo.findOne(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(Location.CODE, code), null)
      .map(found -> found != null ? found : "MAIN".equals(code) ? defaultLocation(tenantId) : null);
  }

  /** The ids of all the tenant's locations, the default first, then in creation order. */
  public Future<List<String>> ids(String tenantId) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId),
        new FindOptions().setFields(Ops.only(Fields.ID)).setSort(Ops.sort(Fields.ID)))
      .map(docs -> {
        List<String> ids = new ArrayList<>();
        ids.add(defaultId(tenantId));
        docs.stream().map(d -> Location.fromDocument(d).id()).filter(id -> !id.equals(defaultId(tenantId))).forEach(ids::add);
        return ids;
      });
  }

  /** Which of these locations are active (the default location always is; a deleted one is not). */
  public Future<Set<String>> activeAmong(String tenantId, Collection<String> ids) {
    Set<String> active = new HashSet<>();
    return Steps.each(ids, id -> defaultId(tenantId).equals(id)
        ? Future.succeededFuture(active.add(id))
        : mongo.findOne(COLLECTION, Mongo.byId(tenantId, id), Ops.only(Location.ACTIVE))
            .map(doc -> doc != null && RecordCodec.fromDocument(Activity.class, doc).isActive() && active.add(id)))
      .map(v -> active);
  }

  /** The locations with these ids (exact lookups), or NOT_FOUND naming the first missing one. */
  public Future<Map<String, JsonObject>> findAll(String tenantId, Collection<String> ids) {
    Map<String, JsonObject> found = new HashMap<>();
    return Steps.each(ids, id -> find(tenantId, id).map(doc -> found.put(id, doc))).map(v -> found);
  }

  /**
   * Inside a unit: one variant more (+1) or fewer (−1) has something at the location. The default location is never
   * deleted and keeps no count. NOT_FOUND when the location was deleted.
   */
  public Future<Void> stockedChanged(Unit unit, String tenantId, String locationId, long delta) {
    if (defaultId(tenantId).equals(locationId)) return Future.succeededFuture();
    return stocked.add(unit, tenantId, locationId, delta);
  }

  /** Deletes a location that holds nothing of any variant (409 otherwise; the default location is never deleted). */
  public Future<Void> deleteIfEmpty(String tenantId, String id) {
    if (defaultId(tenantId).equals(id)) return ServiceError.fail(ErrorCode.CONFLICT, "The default location cannot be deleted");
    return stocked.deleteWhileZero(tenantId, id,
      "Location still holds stock (on hand, in transit or incoming); move it elsewhere first");
  }

  public static JsonObject toApi(JsonObject doc) {
    return Location.fromDocument(doc).toApi();
  }

  @Override
  protected String duplicateHint(JsonObject doc) {
    String code = Location.fromDocument(doc).code();
    return code != null ? ": code " + code + " is already used in your tenant" : "";
  }
}
