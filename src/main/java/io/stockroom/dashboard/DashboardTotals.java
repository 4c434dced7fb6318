package io.stockroom.dashboard;

import io.stockroom.platform.mongo.Mongo;
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
