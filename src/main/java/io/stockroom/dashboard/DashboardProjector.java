package io.stockroom.dashboard;

import io.stockroom.inventory.FigureSums;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.outbox.UnitSettlement;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Takes the figures the variants' own units left pending ({@link VariantFigures#PENDING}) into the tenant's
 * projection ({@link DashboardTotals}), a pass at a time: under the tenant's dashboard lock and the locks of up to
 * {@link #BATCH} pending variants whose last writer settled, one unit adds their sums to the totals and days and takes
 * them off the variants. The totals are written first, with the next {@code epoch} and the pass's unit id, the rest
 * after, so that a reader (which adds what is still pending to the totals) can tell a pass in flight and never counts a
 * figure twice or not at all. A pass that fails leaves everything as it was (the unit is undone); a second pass finds
 * only what is left.
 */
public final class DashboardProjector {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardProjector.class);
  /** Variants per pass: with the totals and a few days, the pass's undo fits in its journal entry (64 steps). */
  static final int BATCH = 50;
  /**
   * Passes per tenant and turn. One: between turns readers have a quiet moment in which no pass commits (they read the
   * totals, the pending figures and the totals again, and need the same epoch twice); a backlog is taken at
   * {@link #BATCH} variants per turn.
   */
  static final int PASSES = 1;
  /** Tenants looked at per turn. */
  static final int TENANTS = 100;

  private final Variants variants;
  private final DashboardTotals totals;
  private final StockKernel kernel;
  private final UnitSettlement settlement;
  private boolean turning;

  public DashboardProjector(MongoClient mongo, StockKernel kernel) {
    this.variants = new Variants(mongo);
    this.totals = new DashboardTotals(mongo);
    this.kernel = kernel;
    this.settlement = new UnitSettlement(mongo);
  }

  private record Pass(Map<String, JsonObject> variants, JsonObject totals, Map<String, JsonObject> days) {
  }

  /** One pass for every tenant with pending figures (at most {@link #TENANTS}); a failed tenant waits for the next turn. */
  public Future<Void> turn() {
    if (turning) return Future.succeededFuture();  // the previous turn is still going: one at a time per instance
    turning = true;
    return variants.tenantsPending(TENANTS * 10).compose(tenants -> Steps.each(tenants.subList(0, Math.min(TENANTS, tenants.size())),
        tenantId -> projectAll(tenantId, PASSES).otherwise(err -> {
          LOG.debug("Dashboard projection of tenant {} waits for the next turn: {}", tenantId, err.toString());
          return 0;
        })))
      .onComplete(done -> turning = false);
  }

  private Future<Integer> projectAll(String tenantId, int passesLeft) {
    return project(tenantId).compose(took -> took >= BATCH && passesLeft > 1 ? projectAll(tenantId, passesLeft - 1) : Future.succeededFuture(took));
  }

  /** One pass for the tenant: answers how many variants' figures it took. */
  public Future<Integer> project(String tenantId) {
    return kernel.run(Work.<Pass>background("dashboard.project", tenantId)
        .locking(List.of(DashboardContract.LOCK.key(tenantId)))
        .reading(() -> read(tenantId))
        .thenLocking(pass -> pass.variants().keySet().stream().map(id -> Variants.LOCK.key(tenantId, id)).toList())
        .writing((unit, pass) -> take(unit, tenantId, pass)))
      .map(reply -> (Integer) reply.body());
  }

  /** What a pass reads of a pending variant (the inventory package's document). */
  record PendingVariant(@Key("_id") String id, @Key(VariantFigures.PENDING_BY) String pendingBy,
                        @Key(VariantFigures.PENDING) Pending pending) {
    static PendingVariant of(JsonObject variant) {
      return RecordCodec.fromDocument(PendingVariant.class, variant);
    }

    /** The days its pending flows are of. */
    Set<String> days() {
      return pending == null || pending.f() == null ? Set.of() : pending.f().fieldNames();
    }
  }

  /** A variant's pending figures: worth, worth per location, flows per day. */
  record Pending(JsonObject w, JsonObject at, JsonObject f) {
  }

  /**
   * The pending variants whose last writer has settled (never the figures of a unit that may still roll back), with
   * the totals and the days they add to.
   */
  private Future<Pass> read(String tenantId) {
    return variants.pending(tenantId, BATCH)
      .compose(pending -> variants.findMany(tenantId, pending.stream().map(v -> PendingVariant.of(v).id()).toList()))
      .compose(all -> settlement.among(all.values().stream().map(v -> PendingVariant.of(v).pendingBy()).filter(java.util.Objects::nonNull).toList())
        .map(unsettled -> {
          Map<String, JsonObject> settled = new TreeMap<>();
          all.forEach((id, v) -> {
            String writer = PendingVariant.of(v).pendingBy();
            if (writer == null || unsettled.settled(writer)) settled.put(id, v);
          });
          return settled;
        }))
      .compose(found -> {
        List<String> days = new ArrayList<>();
        found.values().forEach(v -> days.addAll(PendingVariant.of(v).days()));
        return Future.all(totals.totals(tenantId), totals.days(tenantId, days.stream().distinct().toList()))
          .map(both -> new Pass(found, both.resultAt(0), both.resultAt(1)));
      });
  }

  private Future<Work.Done> take(Unit unit, String tenantId, Pass pass) {
    List<JsonObject> taken = pass.variants().values().stream().filter(v -> !pendingOf(v).isEmpty()).toList();
    if (taken.isEmpty()) return Future.succeededFuture(Work.Done.of(Reply.ok(0)));
    FigureSums delta = new FigureSums();
    taken.forEach(v -> delta.addPending(pendingOf(v), 1));
    return begin(unit, tenantId, pass.totals(), delta)
      .compose(v -> Steps.each(delta.flows().keySet(), day -> writeDay(unit, tenantId, day, pass.days().get(day), delta)))
      .compose(v -> Steps.each(taken, variant -> variants.pendingTaken(unit, variant)))
      .map(done -> Work.Done.of(Reply.ok(taken.size())));
  }

  /** The totals with this pass's sums added, written before the pass's other writes ({@link DashboardTotals#write}). */
  private static Future<JsonObject> begin(Unit unit, String tenantId, JsonObject stored, FigureSums delta) {
    FigureSums after = new FigureSums().addWorth(delta.worth(), 1).addAtMap(delta.worthAt(), 1);
    if (stored != null) {
      DashboardTotals.Totals totals = DashboardTotals.Totals.of(stored);
      after.addWorth(totals.w(), 1).addAtMap(totals.at(), 1);
    }
    return DashboardTotals.write(unit, tenantId, stored, after.worth(), after.worthAt());
  }

  private static Future<Void> writeDay(Unit unit, String tenantId, String day, JsonObject stored, FigureSums delta) {
    FigureSums after = new FigureSums().addFlows(day, delta.flowsOf(day), 1);
    if (stored != null) after.addFlows(day, stored, 1);
    return DashboardTotals.writeDay(unit, tenantId, day, stored, DashboardTotals.Flows.of(after.flowsOf(day)));
  }

  static JsonObject pendingOf(JsonObject variant) {
    JsonObject pending = variant.getJsonObject(VariantFigures.PENDING);
    return pending == null ? new JsonObject() : pending;
  }
}
