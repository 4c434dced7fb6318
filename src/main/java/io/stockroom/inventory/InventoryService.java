package io.stockroom.inventory;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.InventoryCommands.Adjust;
import io.stockroom.inventory.InventoryCommands.Count;
import io.stockroom.inventory.InventoryCommands.MoveState;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.mongo.DeadlineCalls;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    return Future.all(auditFrom(tenantId, null, suspects, checked, deadline), timed("repair journal", repairs.forTenant(tenantId), deadline))
      .compose(all -> {
        JsonArray discrepancies = new JsonArray();
        if (!suspects.isEmpty()) LOG.debug("Audit of tenant {}: {} of {} variants to re-check under their locks", tenantId, suspects.size(), checked[0]);
        return Steps.each(suspects, suspect -> inTime(deadline).compose(v -> recheck(tenantId, Variant.of(suspect).id(), deadline))
            .map(found -> found == null ? null : discrepancies.add(found)))
          .map(v -> RecordCodec.toApi(new AuditReport(checked[0], discrepancies, all.<JsonArray>resultAt(1))));
      });
  }

  /** What the audit found: variants whose stock disagrees with their ledger, and units whose undo could not finish. */
  private record AuditReport(long checkedVariants, JsonArray discrepancies, JsonArray needsRepair) {
  }

  /**
   * One page of {@link #AUDIT_BATCH} variants after {@code afterId} (by the {tenantId, _id} index), their ledger sums
   * in one aggregation over just their movements, then the next page: the audit never groups a whole tenant's ledger
   * in one command, and holds one page at a time (plus the suspects).
   */
  private Future<Void> auditFrom(String tenantId, String afterId, List<JsonObject> suspects, long[] checked, long deadline) {
    JsonObject filter = new Page(AUDIT_BATCH, afterId).filter(Ops.where(Fields.TENANT_ID, tenantId));
    FindOptions page = new FindOptions().setFields(Ops.only(Variant.SKU, Variant.STOCK, Variant.INCOMING, StockLevels.LEVELS,
      Fields.TENANT_ID)).setSort(Ops.sort(Fields.ID)).setLimit(AUDIT_BATCH);
    return inTime(deadline).compose(v -> timed("variants", variants.find(filter, page), deadline)).compose(variants -> {
      if (variants.isEmpty()) return Future.succeededFuture();
      List<String> ids = variants.stream().map(v -> Variant.of(v).id()).toList();
      return timed("ledger sums", movements.levelsByVariant(tenantId, ids, deadline), deadline).compose(ledgers -> {
        checked[0] += variants.size();
        for (JsonObject v : variants) {
          if (ledgers.getOrDefault(Variant.of(v).id(), new LedgerLevels(tenantId)).discrepancy(v) != null) suspects.add(v);
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

  /**
   * Every read of the audit ends by the request's deadline: a store that does not answer, or a ledger too long to sum in
   * the time left, gives a 503, never a hung request. Reads share the one budget, so a long ledger may take most of it.
   */
  private <T> Future<T> timed(String what, Future<T> read, long deadline) {
    long leftMs = Math.max(DeadlineCalls.MIN_SERVER_LIMIT_MS, deadline - System.currentTimeMillis());
    return read.timeout(leftMs, java.util.concurrent.TimeUnit.MILLISECONDS).recover(err -> {
      LOG.warn("Audit read of {} failed: {}", what, err.toString());
      return ServiceError.fail(ErrorCode.UNAVAILABLE, "The audit could not read the " + what + " in time; retry");
    });
  }

  /** The variant's discrepancy as seen under its lock, or null when there is none (or the variant is gone). */
  private Future<JsonObject> recheck(String tenantId, String variantId, long deadline) {
    return locks.acquire(List.of(Variants.LOCK.key(tenantId, variantId))).compose(lease ->
      Future.all(variants.findOne(Mongo.byId(tenantId, variantId), null), movements.levelsOf(tenantId, variantId, deadline))
        .map(both -> {
          JsonObject variant = both.resultAt(0);
          return variant == null ? null : both.<LedgerLevels>resultAt(1).discrepancy(variant);
        })
        .eventually(lease::release));
  }

  /** The variant's stock per location: on hand, available, reserved, unavailable states and incoming. */
  public Future<JsonObject> levels(String tenantId, String variantId) {
    return variants.get(tenantId, variantId)
      .compose(variant -> locations.ids(tenantId).map(ids -> RecordCodec.toApi(new Levels(Variant.of(variant).id(),
        Variant.of(variant).sku(), StockLevels.rows(variant, ids)))));
  }

  /** A variant's stock per location, one row each. */
  private record Levels(String variantId, String sku, JsonArray items) {
  }

  public Future<Reply> moveState(MoveState command) {
    String moveId = Mongo.newId();
    HandChange hand = new HandChange(command.by(), command.variantId(), command.locationId(), SourceKind.STATE_MOVE, moveId,
      command.reason());
    return changeOne(hand, (variant, day) -> StockChange.move(command.by().tenantId(), variant, MovementType.STATE_CHANGE,
        command.units(), command.from(), command.to(), SourceKind.STATE_MOVE.source(moveId), "adjustment:" + moveId,
        command.by().userId(), command.reason(), day).at(command.locationId()),
      new Details(command.from().field(), command.to().field(), command.units(), null, null), StockEvents.Type.STATE_CHANGED);
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
    Details recorded = count == null ? new Details(null, null, change, null, null)
      : new Details(null, null, change, count.counted(), count.expected());
    return changeOne(hand, (variant, day) -> {
      StockChange stockChange = StockChange.of(tenantId, variant, MovementType.ADJUSTMENT, change,
        hand.kind().source(hand.id()), "adjustment:" + hand.id(), hand.by().userId(), hand.reason(), day).at(hand.locationId());
      if (count != null) stockChange = stockChange.expecting(count.expected());
      Long expected = stockChange.expectedStock();
      boolean matches = change == 0 && expected != null && Variant.of(variant).level(hand.locationId()).onHand() == expected;
      return matches ? null : stockChange;
    }, recorded, StockEvents.Type.ADJUSTED);
  }

  /**
   * One variant's stock changed by hand at one location (adjustment, count, state move), recorded as an
   * {@code adjustments} document {kind, variantId, sku, locationId, quantity, reason, movementId, stockAfter, ...}.
   * {@code change} builds the change from the variant read under its lock, or null when nothing moves (a count that
   * matches).
   */
  private Future<Reply> changeOne(HandChange hand, BiFunction<JsonObject, String, StockChange> change, Details details,
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
        .locking(List.of(Variants.LOCK.key(tenantId, variantId)))
        .reading(() -> variants.get(tenantId, variantId))
        .writing((unit, variant) -> {
          StockChange built = change.apply(variant, day);
          StockChange stockChange = built == null ? null : built.partOf(new StockEvents.Key(event, adjustmentId));
          Future<StockLedger.Applied> applied = stockChange == null ? Future.succeededFuture(null) : ledger.apply(unit, variant, stockChange);
          return applied.compose(done -> {
            Movement movement = done == null ? null : Movement.of(done.movement());
            JsonObject adjustment = Adjustment.of(adjustmentId, tenantId, variantId, Variant.of(variant).sku(), kind, locationId, reason,
              movement == null ? null : movement.id(), movement == null ? Variant.of(variant).stock() : movement.stockAfter(),
              hand.by().userId(), details).toDocument();
            Reply reply = Reply.created(Mongo.toApi(adjustment));
            return unit.insert(ADJUSTMENTS, adjustment).compose(v -> done == null
              ? Future.succeededFuture(Work.Done.of(reply))
              : StockEvents.recorded(unit, vertx, reply, tenantId, event, adjustmentId, List.of(done.movement())));
          });
        })));
  }

  /** What a change by hand records besides the change itself: the states of a state move, a count's figures. */
  private record Details(String from, String to, long quantity, Long countedQuantity, Long expectedQuantity) {
  }

  /**
   * An {@code adjustments} document: the change by hand and its details. Its own fields are stored even when null (a
   * count that matched moved nothing, so it has no movement); the details only when given.
   */
  private record Adjustment(@Key("_id") String id, String tenantId, @ExplicitNull String variantId, @ExplicitNull String sku,
                            SourceKind kind, @ExplicitNull String locationId, @ExplicitNull String reason,
                            @ExplicitNull String movementId, @ExplicitNull Long stockAfter, @ExplicitNull String createdBy,
                            Instant createdAt, String from, String to, long quantity, Long countedQuantity, Long expectedQuantity) {

    static Adjustment of(String id, String tenantId, String variantId, String sku, SourceKind kind, String locationId,
                         String reason, String movementId, Long stockAfter, String createdBy, Details details) {
      return new Adjustment(id, tenantId, variantId, sku, kind, locationId, reason, movementId, stockAfter, createdBy,
        Instant.now().truncatedTo(ChronoUnit.MILLIS), details.from(), details.to(), details.quantity(), details.countedQuantity(),
        details.expectedQuantity());
    }

    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }
  }
}
