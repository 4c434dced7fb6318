package io.stockroom.dashboard;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.Collection;
import java.util.List;

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
final class DashboardTotals {
  static final String TOTALS = "dashboard_totals";
  static final String DAYS = "dashboard_days";

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
    JsonObject set = new JsonObject().put("w", w).put("at", at).put("epoch", stored == null ? 1L : stored.getLong("epoch", 0L) + 1)
      .put("pass", unit.id());
    if (stored == null) {
      JsonObject created = set.copy().put("_id", tenantId).put("tenantId", tenantId).put("version", 0L);
      return unit.insert(TOTALS, created).map(created);
    }
    return unit.compareAndSet(TOTALS, stored, null, set, null)
      .compose(after -> after != null ? Future.succeededFuture(after)
        : Future.failedFuture(new IllegalStateException("dashboard totals of " + tenantId + " changed outside the dashboard lock")));
  }

  /** Queues the day's flows ({@code i}, {@code o}) in {@code unit}, over {@code stored} (null: none yet). */
  static Future<Void> writeDay(Unit unit, String tenantId, String day, JsonObject stored, JsonObject i, JsonObject o) {
    if (stored == null) {
      return unit.queueInsert(DAYS, new JsonObject().put("_id", dayId(tenantId, day)).put("tenantId", tenantId)
        .put("day", day).put("i", i).put("o", o).put("version", 0L));
    }
    return unit.queueCompareAndSet(DAYS, stored, new JsonObject().put("i", i).put("o", o), null).mapEmpty();
  }

  /** The tenant's totals, or null before its first pass. */
  Future<JsonObject> totals(String tenantId) {
    return mongo.findOne(TOTALS, Mongo.byId(tenantId, tenantId), null);
  }

  /** The stored days among {@code days}. */
  Future<List<JsonObject>> days(String tenantId, Collection<String> days) {
    JsonArray ids = new JsonArray(days.stream().map(day -> dayId(tenantId, day)).toList());
    return mongo.findWithOptions(DAYS, new JsonObject().put("tenantId", tenantId).put("_id", new JsonObject().put("$in", ids)), new FindOptions());
  }
}
