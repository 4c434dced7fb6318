package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.stockroom.platform.lock.LockKind;
import io.stockroom.platform.outbox.Outbox;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.PullStream;
import io.stockroom.platform.mongo.ChangePage;
import io.stockroom.platform.mongo.KeysetPages;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoClientUpdateResult;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Variants (sellable SKUs), the one owner of the {@code variants} collection: {_id, tenantId, productId, sku,
 * attributes{}, price (minor units), reorderLevel, stock, incoming (still to come on SENT/CONFIRMED purchase orders),
 * openPurchaseOrders (open purchase orders naming it), movements (ledger entries so far), lastUnitCost?, low, shortfall,
 * lowAt[] (see {@link StockLevels#lowFields}), worth, worthAt, days, lastDay, salesCap (see {@link VariantFigures}),
 * uncosted (units without a known cost), skuKeys (see {@link SearchKeys}), version, createdAt, updatedAt (the last
 * write that changed what clients see of it)}.
 *
 * <p>Every write is one of the typed operations below, inside a unit of work, as a compare-and-set on the version read
 * under the variant's lock, and recomputes the fields derived from the variant itself. SKUs are unique per tenant.
 */
public class Variants extends ScopedCollection {
  public static final String COLLECTION = "variants";
  /** The lock of a variant (its rank in the lock order and the collection it guards). */
  public static final LockKind LOCK = LockKind.subject("variant", COLLECTION);
  /** Webhook event types of a variant's low-stock transitions ({@link LowStockTransition}). */
  public static final String LOW_STOCK_ENTERED = "low_stock.entered";
  public static final String LOW_STOCK_LEFT = "low_stock.left";

  private final Locations locations;

  public Variants(MongoClient mongo) {
    super(mongo, COLLECTION, "Variant");
    this.locations = new Locations(mongo);
  }

  /** A new variant document with no stock history yet. */
  public static JsonObject newVariant(String tenantId, String productId, String sku, JsonObject attributes, long price,
                                      long reorderLevel) {
    return Variant.create(tenantId, productId, sku, attributes, price, reorderLevel).toDocument()
      .put(Variant.SKU_KEYS, new JsonArray(SearchKeys.sku(sku)));
  }

  /** SKUs among {@code skus} already used in the tenant. */
  public Future<List<String>> existingSkus(String tenantId, List<String> skus) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Variant.SKU, Ops.in(skus));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setFields(Ops.only(Variant.SKU)))
      .map(docs -> docs.stream().map(d -> Variant.of(d).sku()).sorted().toList());
  }

  /** The id of the tenant's variant with this SKU, or null when there is none. */
  public Future<String> idBySku(String tenantId, String sku) {
    return mongo.findOne(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(Variant.SKU, sku), Ops.only(Fields.ID))
      .map(found -> found == null ? null : found.getValue(Fields.ID).toString());
  }

  /** The tenant's variants with these ids (one exact lookup each, in a loop), or 404 naming the first missing one. */
  public Future<Map<String, JsonObject>> getAll(String tenantId, Collection<String> ids) {
    return eachOf(ids, id -> mongo.findOne(COLLECTION, Mongo.byId(tenantId, id), null));
  }

  /** {@link #getAll(String, Collection)}, each read ending on the server by {@code deadline} (epoch ms). */
  public Future<Map<String, JsonObject>> getAll(String tenantId, Collection<String> ids, long deadline) {
    return eachOf(ids, id -> bounded.find(deadline, COLLECTION, Mongo.byId(tenantId, id), null)
      .map(variants -> variants.isEmpty() ? null : variants.get(0)));
  }

  /** The variants {@code lookup} finds (null: none), one after another, or 404 naming the first missing one. */
  private static Future<Map<String, JsonObject>> eachOf(Collection<String> ids, java.util.function.Function<String, Future<JsonObject>> lookup) {
    Map<String, JsonObject> found = new TreeMap<>();
    return Steps.each(ids, id -> lookup.apply(id).compose(variant -> variant == null
        ? Future.failedFuture(new ServiceError(ErrorCode.NOT_FOUND, "Variant " + id + " not found", Ops.where(Movement.VARIANT_ID, id)))
        : Future.succeededFuture(found.put(id, variant))))
      .map(v -> found);
  }

  /** The tenant's variants with these ids that exist, in one query. */
  public Future<Map<String, JsonObject>> findMany(String tenantId, Collection<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(new TreeMap<>());
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Fields.ID, Ops.in(ids));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setLimit(ids.size())).map(found -> {
      Map<String, JsonObject> byId = new TreeMap<>();
      found.forEach(variant -> byId.put(Variant.of(variant).id(), variant));
      return byId;
    });
  }

  /**
   * Variants as a reader asks for them (its filter, fields, sort and limit): the reads of other features (exports, the
   * dashboard) and of this package's sweeps and reports, which decode the documents themselves.
   */
  public Future<List<JsonObject>> find(JsonObject filter, FindOptions options) {
    return mongo.findWithOptions(COLLECTION, filter, options);
  }

  /**
   * One page of the tenant's variants changed after an instant (GET /variants?updatedAfter=), in the stable order
   * {updatedAt, _id} (index {tenantId, updatedAt, _id}).
   */
  public Future<JsonObject> changedPage(String tenantId, ChangePage page) {
    return mongo.findWithOptions(COLLECTION, page.filter(Ops.where(Fields.TENANT_ID, tenantId)), page.findOptions())
      .map(docs -> page.result(docs, Variants::toApi));
  }

  /** One variant matching {@code query}, with only {@code fields} (null: whole), or null. */
  public Future<JsonObject> findOne(JsonObject query, JsonObject fields) {
    return mongo.findOne(COLLECTION, query, fields);
  }

  /** How many variants match {@code filter}. */
  public Future<Long> count(JsonObject filter) {
    return mongo.count(COLLECTION, filter);
  }

  /** The variants matching {@code filter} as a stream of lines (an export): {@link KeysetPages} of {@code pageRows}. */
  public PullStream.Source stream(JsonObject filter, String header, Function<JsonObject, String> line, int pageRows) {
    return new KeysetPages(mongo, COLLECTION, filter, header, line, pageRows);
  }

  /**
   * The one-off backfill of figures on variants stored before they had any ({@link FiguresBackfill}): a plain update,
   * outside any unit, that its filter makes a no-op once the figures exist.
   */
  Future<MongoClientUpdateResult> backfillFigures(JsonObject filter, JsonObject update) {
    return mongo.updateCollectionWithOptions(COLLECTION, filter, update, new UpdateOptions());
  }

  /**
   * The upgrade of variants to search and sync (run by {@code migrate}, again after a rolling upgrade): every variant
   * whose stored SKU keys are missing or are not those of its SKU gets them, so a variant an older instance created or
   * renamed meanwhile is found by its current SKU; one without {@code updatedAt} gets its creation. Walks the collection
   * in {@code _id} pages; each update names the SKU it computed the keys of, so a rename racing it wins.
   *
   * @return how many variants got new keys
   */
  public Future<Long> backfillSearch() {
    return searchKeysAfter(null, 0);
  }

  private Future<Long> searchKeysAfter(String lastId, long fixed) {
    JsonObject after = lastId == null ? new JsonObject() : Ops.where(Fields.ID, Ops.gt(lastId));
    FindOptions page = new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(BACKFILL_PAGE)
      .setFields(Ops.only(Fields.TENANT_ID, Variant.SKU, Variant.SKU_KEYS, Fields.CREATED_AT, Fields.UPDATED_AT));
    return mongo.findWithOptions(COLLECTION, after, page).compose(docs -> {
      long[] updated = {0};
      return Steps.each(docs, doc -> {
          Variant variant = Variant.of(doc);
          Future<?> stamped = doc.containsKey(Fields.UPDATED_AT) || variant.createdAt() == null ? Future.succeededFuture()
            : mongo.updateCollection(COLLECTION, Mongo.byId(variant.tenantId(), variant.id()).put(Fields.UPDATED_AT, Ops.exists(false)),
                Ops.set(Ops.where(Fields.UPDATED_AT, Mongo.date(variant.createdAt()))));
          JsonArray keys = new JsonArray(SearchKeys.sku(variant.sku()));
          if (keys.equals(doc.getJsonArray(Variant.SKU_KEYS))) return stamped;
          updated[0]++;
          return stamped.compose(v -> mongo.updateCollection(COLLECTION, Mongo.byId(variant.tenantId(), variant.id())
            .put(Variant.SKU, variant.sku()), Ops.set(Ops.where(Variant.SKU_KEYS, keys))));
        })
        .compose(v -> docs.size() < BACKFILL_PAGE ? Future.succeededFuture(fixed + updated[0])
          : searchKeysAfter(docs.get(docs.size() - 1).getString(Fields.ID), fixed + updated[0]));
    });
  }

  private static final int BACKFILL_PAGE = 500;

  /** Inserts a new variant (from {@link #newVariant}), with its low-stock fields. A taken SKU is a 409 naming it. */
  public Future<JsonObject> create(Unit unit, JsonObject created) {
    return create(unit, created, null);
  }

  /** {@link #create} of a variant with its opening stock's movement. */
  Future<JsonObject> create(Unit unit, JsonObject created, StockChange opening) {
    Variant typed = Variant.of(created);
    JsonObject variant = created.copy().mergeIn(derived(typed));
    variant.mergeIn(pendingOf(unit, null, typed, opening));
    String sku = typed.sku();
    return unit.insert(COLLECTION, variant)
      .recover(err -> Future.failedFuture(Mongo.isDuplicateKey(err)
        ? new ServiceError(ErrorCode.DUPLICATE, "SKU " + sku + " is already used in your tenant",
            Ops.where("duplicateSkus", new JsonArray().add(sku)))
        : err))
      .map(variant);
  }

  /** Catalog fields (sku, attributes, price, reorderLevel); never stock. */
  public Future<JsonObject> updateCatalogFields(Unit unit, JsonObject before, JsonObject changes) {
    JsonObject set = changes.copy();
    if (set.getString(Variant.SKU) != null) set.put(Variant.SKU_KEYS, new JsonArray(SearchKeys.sku(set.getString(Variant.SKU))));
    return write(unit, before, set, false)
      .recover(err -> Future.failedFuture(Mongo.isDuplicateKey(err)
        ? new ServiceError(ErrorCode.DUPLICATE, "SKU " + changes.getString(Variant.SKU) + " is already used in your tenant")
        : err));
  }

  /**
   * A purchase order naming this variant opened (+1) or ended (−1), and what it still brings ({@code incoming}, in
   * total and at the order's location).
   */
  public Future<JsonObject> purchaseOrderChanged(Unit unit, JsonObject before, long openDelta, long incomingDelta,
                                                 String locationId) {
    Variant variant = Variant.of(before);
    Map<String, Level> levels = null;
    if (incomingDelta != 0) {
      levels = new TreeMap<>(variant.levels());
      levels.put(locationId, variant.level(locationId).plusIncoming(incomingDelta));
      levels.values().removeIf(Level::isEmpty);
    }
    OpenOrders set = new OpenOrders(variant.openPurchaseOrders() + openDelta, variant.incoming() + incomingDelta, levels);
    return write(unit, before, RecordCodec.toDocument(set), true);
  }

  /** What a purchase order opening or ending sets: the levels only when what it brings changed. */
  private record OpenOrders(long openPurchaseOrders, long incoming, @Key(StockLevels.LEVELS) Map<String, Level> levels) {
  }

  /**
   * The dashboard's projector took the variant's pending figures into the tenant's totals (inside the projector's
   * unit, under the variant's lock; queued with the pass's other writes).
   */
  public Future<JsonObject> pendingTaken(Unit unit, JsonObject before) {
    JsonObject taken = new JsonObject().putNull(VariantFigures.PENDING).putNull(VariantFigures.PENDING_FLAG).putNull(VariantFigures.PENDING_BY);
    return unit.queueCompareAndSet(COLLECTION, before, taken, null);
  }

  /** The tenant's variants whose figures the dashboard's projector has not taken yet, at most {@code limit}. */
  public Future<List<JsonObject>> pending(String tenantId, int limit) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(VariantFigures.PENDING_FLAG, true),
      new FindOptions().setLimit(limit).setFields(Ops.only(VariantFigures.PENDING, VariantFigures.PENDING_BY)));
  }

  /**
   * A page of the tenant's variants in {@code _id} order after {@code afterId} (null: from the first), with only what
   * the dashboard projection is made of: worth, worth per location, day buckets and pending figures.
   */
  public Future<List<JsonObject>> figuresPage(String tenantId, String afterId, int limit) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId);
    if (afterId != null) filter.put(Fields.ID, Ops.gt(afterId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(limit)
      .setFields(Ops.only(VariantFigures.WORTH, VariantFigures.WORTH_AT, VariantFigures.DAYS, VariantFigures.PENDING)));
  }

  /** Tenants with figures to take (over every tenant), at most {@code limit} variants' worth. */
  public Future<List<String>> tenantsPending(int limit) {
    return mongo.findWithOptions(COLLECTION, Ops.where(VariantFigures.PENDING_FLAG, true),
        new FindOptions().setLimit(limit).setFields(Ops.only(Fields.TENANT_ID)))
      .map(found -> found.stream().map(v -> Variant.of(v).tenantId()).distinct().toList());
  }

  /** The figures the ledger says the variant should have: its day buckets, and what it derives from itself. */
  Future<JsonObject> figuresRebuilt(Unit unit, JsonObject before, Collection<VariantFigures.Day> days) {
    return write(unit, before, VariantFigures.dayFieldsOf(days).toDocument(), true);
  }

  /**
   * Day buckets that left every dashboard window ({@code days} older than {@code oldestKept}) go, so that
   * {@code salesCap} stops counting them.
   */
  public Future<JsonObject> daysExpired(Unit unit, JsonObject before, String oldestKept) {
    List<VariantFigures.Day> kept = Variant.of(before).days().stream().filter(day -> day.d().compareTo(oldestKept) >= 0).toList();
    return write(unit, before, VariantFigures.dayFieldsOf(kept).toDocument(), true);
  }

  /**
   * Deletes a variant that never moved stock and is on no open purchase order (else 409). The version pins the
   * decision: any concurrent change to the variant makes the delete match nothing (409).
   */
  public Future<Void> delete(Unit unit, JsonObject before) {
    Variant variant = Variant.of(before);
    if (variant.movements() > 0 || variant.stock() != 0) {
      return ServiceError.fail(ErrorCode.CONFLICT, "Variant has stock movements; it stays for the audit trail");
    }
    if (variant.openPurchaseOrders() > 0) {
      return ServiceError.fail(ErrorCode.CONFLICT, "Variant is on an open purchase order; receive, close or cancel it first");
    }
    return unit.delete(COLLECTION, before).compose(deleted -> deleted
      ? Future.<Void>succeededFuture()
      : ServiceError.fail(ErrorCode.CONFLICT, "The variant changed concurrently; nothing was changed, retry"));
  }

  /**
   * A write of the variant that moves no stock (catalog fields, purchase orders, the sales window): a low-stock
   * transition it causes is an event of its unit, recorded in the outbox (the ledger has no entry for it). A variant
   * created below its level is listed as low but makes no event.
   */
  Future<JsonObject> write(Unit unit, JsonObject before, JsonObject changes, boolean queued) {
    return written(unit, before, changes, queued, null).compose(after -> {
      LowStockTransition transition = LowStockTransition.between(Variant.of(before), Variant.of(after));
      return transition == null ? Future.succeededFuture(after)
        : Outbox.record(unit, Variant.of(after).tenantId(), transition.type(), transition.data()).map(after);
    });
  }

  /**
   * The stock ledger's write (see {@link StockLedger}), queued with the unit's other writes: its flows go to the
   * variant's pending figures, and its low-stock transition is carried by the movement the ledger records with it.
   */
  Future<JsonObject> writeStock(Unit unit, JsonObject before, JsonObject changes, StockChange movement) {
    return written(unit, before, changes, true, movement);
  }

  /**
   * Every write recomputes what the variant derives from itself (its low-stock state, its worth) and adds its
   * difference to the figures pending for the dashboard. When the levels change, every location where the variant
   * starts or stops holding anything counts one stocked variant more or fewer (which fails the unit with 404 when that
   * location was deleted meanwhile). A change that can collide with another variant's unique SKU is written at once
   * ({@code queued} false), so that the collision is a 409 naming it.
   */
  private Future<JsonObject> written(Unit unit, JsonObject before, JsonObject changes, boolean queued, StockChange movement) {
    Variant was = Variant.of(before);
    Variant is = Variant.of(before.copy().mergeIn(changes));
    JsonObject set = changes.copy().mergeIn(derived(is));
    // updatedAt follows what clients see (GET /variants?updatedAfter= syncs by it), not the dashboard's bookkeeping
    if (changes.fieldNames().stream().anyMatch(f -> VISIBLE.contains(f) && !Objects.equals(before.getValue(f), changes.getValue(f)))) {
      set.put(Fields.UPDATED_AT, Mongo.now());
    }
    set.mergeIn(pendingOf(unit, was, is, movement));
    Future<JsonObject> written = queued ? unit.queueCompareAndSet(COLLECTION, before, set, null)
      : unit.compareAndSet(COLLECTION, before, null, set, null).compose(after -> after != null ? Future.succeededFuture(after)
          : ServiceError.fail(ErrorCode.CONFLICT, "Variant " + was.sku() + " changed concurrently; nothing was changed, retry"));
    return written.compose(after -> (set.containsKey(StockLevels.LEVELS) ? locationsStocked(unit, was, Variant.of(after)) : Future.<Void>succeededFuture())
      .map(after));
  }

  /**
   * The stored fields clients see: those {@link View} reads by name, and the levels its {@code available} and
   * {@code incoming} derive from.
   */
  private static final Set<String> VISIBLE = java.util.stream.Stream.concat(
      java.util.Arrays.stream(View.class.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName)
        .filter(name -> !Set.of("id", "available", "createdAt", "updatedAt").contains(name)),
      java.util.stream.Stream.of(StockLevels.LEVELS))
    .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** The pending figures after this unit's write, marked as its own while there are any. */
  private static JsonObject pendingOf(Unit unit, Variant before, Variant after, StockChange movement) {
    VariantFigures.Pending pending = VariantFigures.pendingAfter(before, after, movement);
    JsonObject fields = pending.toFields();
    if (!pending.isEmpty()) fields.put(VariantFigures.PENDING_BY, unit.id());
    return fields;
  }

  /** The fields every write recomputes from the variant as it will be: its low-stock state and its worth. */
  private static JsonObject derived(Variant variant) {
    return variant.lowFields().toDocument().mergeIn(VariantFigures.worth(variant).toDocument());
  }

  private Future<Void> locationsStocked(Unit unit, Variant before, Variant after) {
    Set<String> had = stockedAt(before);
    Set<String> has = stockedAt(after);
    Map<String, Long> changes = new TreeMap<>();
    has.stream().filter(id -> !had.contains(id)).forEach(id -> changes.put(id, 1L));
    had.stream().filter(id -> !has.contains(id)).forEach(id -> changes.put(id, -1L));
    String tenantId = before.tenantId();
    return Steps.each(changes.entrySet(), c -> locations.stockedChanged(unit, tenantId, c.getKey(), c.getValue()));
  }

  /** The locations where the variant holds anything. */
  private static Set<String> stockedAt(Variant variant) {
    Set<String> ids = new java.util.TreeSet<>();
    variant.levels().forEach((id, level) -> { if (!level.isEmpty()) ids.add(id); });
    return ids;
  }

  /**
   * The variant as clients see it: {@code stock} is the total on hand, {@code available} the total sellable and
   * {@code incoming} what purchase orders and transfers still bring; per-location levels have their own resource.
   */
  public static JsonObject toApi(JsonObject doc) {
    View stored = RecordCodec.fromDocument(View.class, doc);
    Variant variant = Variant.of(doc);
    boolean stocked = stored.stock() != null;
    return RecordCodec.toApi(new View(variant.id(), stored.productId(), stored.sku(), stored.attributes(), stored.price(),
      stored.reorderLevel(), stored.stock(), stocked ? variant.totalAvailable() : null, stocked ? variant.incomingAll() : stored.incoming(),
      stored.openPurchaseOrders(), stored.lastUnitCost(), stored.locationReorderLevels(), stored.createdAt(), stored.updatedAt()));
  }

  /**
   * The contract's {@code Variant}: each field only when the document has it (read from the document by the same
   * names, the id and {@code available} aside).
   */
  private record View(String id, String productId, String sku, JsonObject attributes, Long price, Long reorderLevel, Long stock,
                      Long available, Long incoming, Long openPurchaseOrders, Long lastUnitCost,
                      Map<String, Long> locationReorderLevels, Instant createdAt, Instant updatedAt) {
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return toApi(doc);
  }

  @Override
  protected String duplicateHint(JsonObject doc) {
    String sku = Variant.of(doc).sku();
    return sku != null ? ": SKU " + sku + " is already used in your tenant" : "";
  }
}
