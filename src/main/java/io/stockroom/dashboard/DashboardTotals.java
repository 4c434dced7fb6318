package io.stockroom.dashboard;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tenant's dashboard projection, written only by its projector ({@link DashboardProjector}), never by a stock unit:
 * <ul>
 *   <li>{@code dashboard_totals} {@code {_id: tenantId, tenantId, w: {p, c, k, n}, at: {<locationId>: {p, c, n}},
 *       epoch, pass, version}}: the inventory value of every variant's taken figures; {@code epoch} moves on with
 *       every pass and {@code pass} names the unit of the last one, so that a reader can tell whether the pending
 *       figures it read belong with these totals;</li>
 *   <li>{@code dashboard_days} {@code {_id: tenantId:day, tenantId, day, i: {TYPE: units}, o: {...}, version}}: units in
 *       and out per movement type and day.</li>
 * </ul>
 * One document per tenant plus one per day: none grows with the number of variants (locations are at most 100).
 */
public final class DashboardTotals {
  /** The projection's collections, named here only (and declared by the schema manifest). */
  public static final String TOTALS = "dashboard_totals";
  public static final String DAYS = "dashboard_days";

  /** The tenant's totals document ({@code version} and the units' bookkeeping are the unit's to move on). */
  record Totals(@Key("_id") String id, String tenantId, JsonObject w, JsonObject at, long epoch, String pass, Long version) {
    static Totals of(JsonObject document) {
      return document == null ? null : RecordCodec.fromDocument(Totals.class, document);
    }

    /** Whether {@code other} was written by the same pass as these (both null: no pass yet). */
    static boolean samePass(Totals one, Totals other) {
      if (one == null || other == null) return one == null && other == null;
      return one.epoch() == other.epoch() && java.util.Objects.equals(one.pass(), other.pass());
    }
  }

  /** What a pass sets on the totals: the sums, its epoch and its unit's id. */
  private record Written(JsonObject w, JsonObject at, long epoch, String pass) {
  }

  /** One day's document. */
  record Day(@Key("_id") String id, String tenantId, String day, JsonObject i, JsonObject o, Long version) {
    static Day of(JsonObject document) {
      return RecordCodec.fromDocument(Day.class, document);
    }
  }

  /** A day's flows: units in and out per movement type ({@code FigureSums.flowsOf} answers these). */
  record Flows(JsonObject i, JsonObject o) {
    static Flows of(JsonObject flows) {
      return RecordCodec.fromDocument(Flows.class, flows);
    }
  }

  private final MongoClient mongo;

  DashboardTotals(MongoClient mongo) {
    this.mongo = mongo;
  }

  static String dayId(String tenantId, String day) {
    return tenantId + ":" + day;
  }

  /**
   * Writes the tenant's totals ({@code w}, {@code at}) in {@code unit}, with the next epoch and the unit's id as
   * {@code pass}: at once (not queued), since readers tell a pass in flight by it before any other write of the pass.
   * Fails when the totals changed since {@code stored} was read (only a unit under the tenant's dashboard lock writes
   * them).
   */
  static Future<JsonObject> write(Unit unit, String tenantId, JsonObject stored, JsonObject w, JsonObject at) {
    Written set = new Written(w, at, stored == null ? 1L : Totals.of(stored).epoch() + 1, unit.id());
    if (stored == null) {
      JsonObject created = RecordCodec.toDocument(new Totals(tenantId, tenantId, set.w(), set.at(), set.epoch(), set.pass(), 0L));
      return unit.insert(TOTALS, created).map(created);
    }
    return unit.compareAndSet(TOTALS, stored, null, RecordCodec.toDocument(set), null)
      .compose(after -> after != null ? Future.succeededFuture(after)
        : Future.failedFuture(new IllegalStateException("dashboard totals of " + tenantId + " changed outside the dashboard lock")));
  }

  /** Queues the day's flows ({@code i}, {@code o}) in {@code unit}, over {@code stored} (null: none yet). */
  static Future<Void> writeDay(Unit unit, String tenantId, String day, JsonObject stored, Flows flows) {
    if (stored == null) {
      return unit.queueInsert(DAYS, RecordCodec.toDocument(new Day(dayId(tenantId, day), tenantId, day, flows.i(), flows.o(), 0L)));
    }
    return unit.queueCompareAndSet(DAYS, stored, RecordCodec.toDocument(flows), null).mapEmpty();
  }

  /** The tenant's totals, or null before its first pass. */
  Future<JsonObject> totals(String tenantId) {
    return mongo.findOne(TOTALS, Mongo.byId(tenantId, tenantId), null);
  }

  /** The stored days among {@code days}, by day. */
  Future<Map<String, JsonObject>> days(String tenantId, Collection<String> days) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Fields.ID, Ops.in(days.stream().map(day -> dayId(tenantId, day)).toList()));
    return mongo.findWithOptions(DAYS, filter, new FindOptions()).map(found -> {
      Map<String, JsonObject> byDay = new TreeMap<>();
      found.forEach(doc -> byDay.put(Day.of(doc).day(), doc));
      return byDay;
    });
  }
}
