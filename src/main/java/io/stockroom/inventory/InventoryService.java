package io.stockroom.inventory;

import io.stockroom.inventory.InventoryCommands.Adjust;
import io.stockroom.inventory.InventoryCommands.Count;
import io.stockroom.inventory.InventoryCommands.MoveState;
import io.stockroom.platform.bus.Invocation;
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
import java.util.function.BiFunction;
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

  /** One page of the tenant's movements the query's filters let through (variant, type, source, dates). */
  public Future<JsonObject> listMovements(String tenantId, JsonObject query) {
    return movements.page(tenantId, query, Page.from(query));
  }

  /**
   * Compares every variant's stock with its ledger sum. Stock and movements are read at slightly different moments,
   * so a variant that a unit is changing right then can look off: each suspect is checked again under its lock, where
   * no unit is between its steps, and only a difference that holds there is reported. Units whose undo could not
   * finish are listed with their variants.
   */
  public Future<JsonObject> audit(Invocation by) {
    String tenantId = by.tenantId();
    List<JsonObject> suspects = new ArrayList<>();
    long[] checked = {0};
    long deadline = kernel.callerDeadline(by.receivedAt());
    return Future.all(auditFrom(tenantId, null, suspects, checked, deadline), timed("repair journal", repairs.forTenant(tenantId)))
      .compose(all -> {
        JsonArray discrepancies = new JsonArray();
        if (!suspects.isEmpty()) LOG.debug("Audit of tenant {}: {} of {} variants to re-check under their locks", tenantId, suspects.size(), checked[0]);
        return Steps.each(suspects, suspect -> inTime(deadline).compose(v -> recheck(tenantId, suspect.getString("_id")))
            .map(found -> found == null ? null : discrepancies.add(found)))
          .map(v -> new JsonObject().put("checkedVariants", checked[0]).put("discrepancies", discrepancies)
            .put("needsRepair", all.<JsonArray>resultAt(1)));
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
  public Future<JsonObject> levels(String tenantId, String variantId) {
    return variants.get(tenantId, variantId)
      .compose(variant -> locations.ids(tenantId).map(ids -> new JsonObject()
        .put("variantId", variant.getString("_id")).put("sku", variant.getString("sku"))
        .put("items", StockLevels.rows(variant, ids))));
  }

  public Future<Reply> moveState(MoveState command) {
    String moveId = Mongo.newId();
    HandChange hand = new HandChange(command.by(), command.variantId(), command.locationId(), SourceKind.STATE_MOVE, moveId,
      command.reason());
    return changeOne(hand, (variant, day) -> StockChange.move(command.by().tenantId(), variant, MovementType.STATE_CHANGE,
        command.units(), command.from(), command.to(), SourceKind.STATE_MOVE.source(moveId), "adjustment:" + moveId,
        command.by().userId(), command.reason(), day).at(command.locationId()),
      new JsonObject().put("from", command.from().field()).put("to", command.to().field()).put("quantity", command.units()),
      StockEvents.Type.STATE_CHANGED);
  }

  public Future<Reply> adjust(Adjust command) {
    HandChange hand = new HandChange(command.by(), command.variantId(), command.locationId(), SourceKind.ADJUSTMENT, Mongo.newId(),
      command.reason());
    return record(hand, command.quantity(), null);
  }

  public Future<Reply> count(Count command) {
    HandChange hand = new HandChange(command.by(), command.variantId(), command.locationId(), SourceKind.COUNT, Mongo.newId(),
      command.reason());
    return record(hand, command.difference(), command);
  }

  /** A change by hand: who, which variant at which location, what kind under which id, and why. */
  private record HandChange(Invocation by, String variantId, String locationId, SourceKind kind, String id, String reason) {
  }

  private Future<Reply> record(HandChange hand, long change, Count count) {
    String tenantId = hand.by().tenantId();
    JsonObject recorded = count == null ? new JsonObject()
      : new JsonObject().put("countedQuantity", count.counted()).put("expectedQuantity", count.expected());
    return changeOne(hand, (variant, day) -> {
      StockChange stockChange = StockChange.of(tenantId, variant, MovementType.ADJUSTMENT, change,
        hand.kind().source(hand.id()), "adjustment:" + hand.id(), hand.by().userId(), hand.reason(), day).at(hand.locationId());
      if (count != null) stockChange = stockChange.expecting(count.expected());
      recorded.put("quantity", change);
      boolean matches = change == 0 && StockLevels.at(variant, hand.locationId()).getLong("onHand").equals(stockChange.expectedStock());
      return matches ? null : stockChange;
    }, recorded, StockEvents.Type.ADJUSTED);
  }

  /**
   * One variant's stock changed by hand at one location (adjustment, count, state move), recorded as an
   * {@code adjustments} document {kind, variantId, sku, locationId, quantity, reason, movementId, stockAfter, ...}.
   * {@code change} builds the change from the variant read under its lock, or null when nothing moves (a count that
   * matches).
   */
  private Future<Reply> changeOne(HandChange hand, BiFunction<JsonObject, String, StockChange> change, JsonObject details,
                                  StockEvents.Type event) {
    String tenantId = hand.by().tenantId();
    String variantId = hand.variantId();
    String locationId = hand.locationId();
    String adjustmentId = hand.id();
    SourceKind kind = hand.kind();
    String reason = hand.reason();
    return variants.get(tenantId, variantId)
      .compose(exists -> locations.find(tenantId, locationId))
      .compose(location -> tenants.today(tenantId))
      .compose(day -> kernel.run(Work.<JsonObject>of(hand.by())
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
              .put("createdBy", hand.by().userId()).put("createdAt", Mongo.now())
              .mergeIn(details);
            Reply reply = Reply.created(Mongo.toApi(adjustment));
            return unit.insert(ADJUSTMENTS, adjustment).compose(v -> done == null
              ? Future.succeededFuture(Work.Done.of(reply))
              : StockEvents.recorded(unit, vertx, reply, tenantId, event, adjustmentId, List.of(done.movement())));
          });
        })));
  }
}
