package io.stockroom.inventory;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.UnitRepairs;
import io.stockroom.auth.TenantSettings;
import io.stockroom.location.Locations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Manual stock changes (adjustments and cycle counts), the movement ledger and the audit that checks, for every
 * variant of the tenant, that its movements add up to its stock.
 */
public class InventoryService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InventoryService.class);
  public static final String ADJUSTMENTS = "adjustments";
  /** Variants per page of the audit: one find and one ledger aggregation each. */
  private static final int AUDIT_BATCH = 500;
  private static final long AUDIT_READ_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Variants variants;
  private final StockLedger ledger;
  private final MovementRepository movements;
  private final StockKernel kernel;
  private final LockManager locks;
  private final TenantSettings tenants;
  private final UnitRepairs repairs;
  private final Locations locations;

  public InventoryService(Vertx vertx, StockServiceKit kit) {
    this.vertx = vertx;
    this.mongo = kit.mongo();
    this.variants = new Variants(mongo);
    this.ledger = new StockLedger(variants);
    this.movements = new MovementRepository(mongo);
    this.kernel = kit.kernel();
    this.locks = kit.locks();
    this.tenants = new TenantSettings(kit.mongo());
    this.repairs = new UnitRepairs(mongo);
    this.locations = new Locations(mongo);
  }

  public Future<Reply> listMovements(BusRequest request) {
    return movements.page(request.tenantId(), request.query(), Page.from(request.query())).map(Reply::ok);
  }

  /**
   * Compares every variant's stock with its ledger sum. Stock and movements are read at slightly different moments,
   * so a variant that a unit is changing right then can look off: each suspect is checked again under its lock, where
   * no unit is between its steps, and only a difference that holds there is reported. Units whose undo could not
   * finish are listed with their variants.
   */
  public Future<Reply> audit(BusRequest request) {
    String tenantId = request.tenantId();
    List<JsonObject> suspects = new ArrayList<>();
    long[] checked = {0};
    long deadline = kernel.callerDeadline(request.receivedAt());
    return Future.all(auditFrom(tenantId, null, suspects, checked, deadline), timed("repair journal", repairs.forTenant(tenantId)))
      .compose(all -> {
        JsonArray discrepancies = new JsonArray();
        if (!suspects.isEmpty()) LOG.debug("Audit of tenant {}: {} of {} variants to re-check under their locks", tenantId, suspects.size(), checked[0]);
        return Steps.each(suspects, suspect -> inTime(deadline).compose(v -> recheck(tenantId, suspect.getString("_id")))
            .map(found -> found == null ? null : discrepancies.add(found)))
          .map(v -> Reply.ok(new JsonObject().put("checkedVariants", checked[0]).put("discrepancies", discrepancies)
            .put("needsRepair", all.<JsonArray>resultAt(1))));
      });
  }

  /**
   * One page of {@link #AUDIT_BATCH} variants after {@code afterId} (by the {tenantId, _id} index), their ledger sums
   * in one aggregation over just their movements, then the next page: the audit never groups a whole tenant's ledger
   * in one command, and holds one page at a time (plus the suspects).
   */
  private Future<Void> auditFrom(String tenantId, String afterId, List<JsonObject> suspects, long[] checked, long deadline) {
    JsonObject filter = new Page(AUDIT_BATCH, afterId).filter(new JsonObject().put("tenantId", tenantId));
    FindOptions page = new FindOptions().setFields(new JsonObject().put("sku", 1).put("stock", 1).put("incoming", 1)
      .put("levels", 1).put("tenantId", 1)).setSort(new JsonObject().put("_id", 1)).setLimit(AUDIT_BATCH);
    return inTime(deadline).compose(v -> timed("variants", mongo.findWithOptions(Variants.COLLECTION, filter, page))).compose(variants -> {
      if (variants.isEmpty()) return Future.succeededFuture();
      List<String> ids = variants.stream().map(v -> v.getString("_id")).toList();
      return timed("ledger sums", movements.levelsByVariant(tenantId, ids)).compose(ledgers -> {
        checked[0] += variants.size();
        for (JsonObject v : variants) {
          if (ledgers.getOrDefault(v.getString("_id"), new LedgerLevels(tenantId)).discrepancy(v) != null) suspects.add(v);
        }
        return variants.size() < AUDIT_BATCH ? Future.succeededFuture()
          : auditFrom(tenantId, ids.get(ids.size() - 1), suspects, checked, deadline);
      });
    });
  }

  /**
   * The audit stops when its caller stops waiting, rather than reading on for nobody: a tenant too large to audit
   * within one request gets a 503 saying so.
   */
  private static Future<Void> inTime(long deadline) {
    return System.currentTimeMillis() < deadline ? Future.succeededFuture()
      : ServiceError.fail(ErrorCode.UNAVAILABLE, "The audit did not finish within the request's time; retry, or audit when the tenant is quieter");
  }

  /** Every read of the audit has a deadline: a store that does not answer gives a 503, never a hung request. */
  private <T> Future<T> timed(String what, Future<T> read) {
    return read.timeout(AUDIT_READ_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS).recover(err -> {
      LOG.warn("Audit read of {} failed: {}", what, err.toString());
      return ServiceError.fail(ErrorCode.UNAVAILABLE, "The audit could not read the " + what + " in time; retry");
    });
  }

  /** The variant's discrepancy as seen under its lock, or null when there is none (or the variant is gone). */
  private Future<JsonObject> recheck(String tenantId, String variantId) {
    return locks.acquire(List.of(LockKeys.variant(tenantId, variantId))).compose(lease ->
      Future.all(mongo.findOne(Variants.COLLECTION, Mongo.byId(tenantId, variantId), null), movements.levelsOf(tenantId, variantId))
        .map(both -> {
          JsonObject variant = both.resultAt(0);
          return variant == null ? null : both.<LedgerLevels>resultAt(1).discrepancy(variant);
        })
        .eventually(lease::release));
  }

  /** The variant's stock per location: on hand, available, reserved, unavailable states and incoming. */
  public Future<Reply> levels(BusRequest request) {
    String tenantId = request.tenantId();
    return variants.get(tenantId, request.pathParam("variantId"))
      .compose(variant -> locations.ids(tenantId).map(ids -> Reply.ok(new JsonObject()
        .put("variantId", variant.getString("_id")).put("sku", variant.getString("sku"))
        .put("items", StockLevels.rows(variant, ids)))));
  }

  /**
   * {locationId?, from, to, quantity, reason}: units between {@code available} and an unavailable state (damaged,
   * qualityControl, safetyStock) at one location; on hand does not change.
   */
  public Future<Reply> moveState(BusRequest request) {
    JsonObject body = request.body();
    StockState from = StockState.of(body.getString("from"));
    StockState to = StockState.of(body.getString("to"));
    if (from == to || (from != StockState.AVAILABLE && to != StockState.AVAILABLE)) {
      return ServiceError.fail(ErrorCode.VALIDATION, "A state move goes from available to an unavailable state or back");
    }
    long units = body.getLong("quantity");
    String moveId = Mongo.newId();
    String locationId = body.getString("locationId", Locations.defaultId(request.tenantId()));
    return changeOne(request, SourceKind.STATE_MOVE, moveId, body.getString("reason"), (variant, day) -> StockChange.move(
        request.tenantId(), variant, MovementType.STATE_CHANGE, units, from, to, SourceKind.STATE_MOVE.source(moveId),
        "adjustment:" + moveId, request.caller().userId(), body.getString("reason"), day).at(locationId),
      new JsonObject().put("from", from.field()).put("to", to.field()).put("quantity", units), StockEvents.Type.STATE_CHANGED);
  }

  /** {quantity (signed, non-zero), reason}: an ADJUSTMENT movement; never below zero (409). */
  public Future<Reply> adjust(BusRequest request) {
    long quantity = request.body().getLong("quantity");
    if (quantity == 0) return ServiceError.fail(ErrorCode.VALIDATION, "quantity must not be 0");
    return record(request, variant -> quantity, null);
  }

  /**
   * {countedQuantity, expectedQuantity}: a cycle count. If stock is no longer what the counter expected, 409 with the
   * current value (compare-and-set); otherwise an ADJUSTMENT for the difference (none when it matches).
   */
  public Future<Reply> count(BusRequest request) {
    long counted = request.body().getLong("countedQuantity");
    long expected = request.body().getLong("expectedQuantity");
    return record(request, variant -> counted - expected,
      new JsonObject().put("countedQuantity", counted).put("expectedQuantity", expected));
  }

  private Future<Reply> record(BusRequest request, java.util.function.ToLongFunction<JsonObject> delta,
                               JsonObject count) {
    String tenantId = request.tenantId();
    String adjustmentId = Mongo.newId();
    SourceKind kind = count == null ? SourceKind.ADJUSTMENT : SourceKind.COUNT;
    String reason = request.body().getString("reason", count == null ? null : "cycle count");
    String locationId = request.body().getString("locationId", Locations.defaultId(tenantId));
    JsonObject recorded = count == null ? new JsonObject() : count.copy();
    return changeOne(request, kind, adjustmentId, reason, (variant, day) -> {
      long change = delta.applyAsLong(variant);
      StockChange stockChange = StockChange.of(tenantId, variant, MovementType.ADJUSTMENT, change,
        kind.source(adjustmentId), "adjustment:" + adjustmentId, request.caller().userId(), reason, day).at(locationId);
      if (count != null) stockChange = stockChange.expecting(count.getLong("expectedQuantity"));
      recorded.put("quantity", change);
      boolean matches = change == 0 && StockLevels.at(variant, locationId).getLong("onHand").equals(stockChange.expectedStock());
      return matches ? null : stockChange;
    }, recorded, StockEvents.Type.ADJUSTED);
  }

  /**
   * One variant's stock changed by hand at one location (adjustment, count, state move), recorded as an
   * {@code adjustments} document {kind, variantId, sku, locationId, quantity, reason, movementId, stockAfter, ...}.
   * {@code change} builds the change from the variant read under its lock, or null when nothing moves (a count that
   * matches).
   */
  private Future<Reply> changeOne(BusRequest request, SourceKind kind, String adjustmentId, String reason,
                                  java.util.function.BiFunction<JsonObject, String, StockChange> change, JsonObject details,
                                  StockEvents.Type event) {
    String tenantId = request.tenantId();
    String variantId = request.pathParam("variantId");
    String locationId = request.body().getString("locationId", Locations.defaultId(tenantId));
    return variants.get(tenantId, variantId)
      .compose(exists -> locations.find(tenantId, locationId))
      .compose(location -> tenants.today(tenantId))
      .compose(day -> kernel.run(Work.<JsonObject>of(request)
        .locking(List.of(LockKeys.variant(tenantId, variantId)))
        .reading(() -> variants.get(tenantId, variantId))
        .writing((unit, variant) -> {
          StockChange built = change.apply(variant, day);
          StockChange stockChange = built == null ? null : built.partOf(new StockEvents.Key(event, adjustmentId));
          Future<StockLedger.Applied> applied = stockChange == null ? Future.succeededFuture(null) : ledger.apply(unit, variant, stockChange);
          return applied.compose(done -> {
            JsonObject adjustment = new JsonObject()
              .put("_id", adjustmentId).put("tenantId", tenantId).put("variantId", variantId)
              .put("sku", variant.getString("sku")).put("kind", kind.name()).put("locationId", locationId).put("reason", reason)
              .put("movementId", done == null ? null : done.movement().getString("_id"))
              .put("stockAfter", done == null ? variant.getLong("stock") : done.movement().getLong("stockAfter"))
              .put("createdBy", request.caller().userId()).put("createdAt", Mongo.now())
              .mergeIn(details);
            Reply reply = Reply.created(Mongo.toApi(adjustment));
            return unit.insert(ADJUSTMENTS, adjustment).compose(v -> done == null
              ? Future.succeededFuture(Work.Done.of(reply))
              : StockEvents.recorded(unit, vertx, reply, tenantId, event, adjustmentId, List.of(done.movement())));
          });
        })));
  }
}
