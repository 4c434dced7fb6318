package io.stockroom.inventory;

import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * The tenant's dashboard totals, one document per tenant ({@code _id: tenantId}) that a dashboard request reads by
 * {@code _id} instead of scanning variants:
 * <ul>
 *   <li>{@code atPrice}, {@code atCost}, {@code costedVariants}, {@code unitsWithoutCost}: inventory value counters;</li>
 *   <li>{@code low.<variantId>}: every variant whose stock + incoming is at or below its reorder level;</li>
 *   <li>{@code top.<variantId>} and {@code topFloor}: top-seller candidates. Invariant: every variant that is not a
 *       candidate has 30-day sales ≤ topFloor, so the best candidates above the floor are the true top sellers.</li>
 * </ul>
 * Every change of a variant's stock, price, cost, incoming, reorder level or 30-day sales calls {@link #apply} inside
 * the same unit of work (and under the variant's lock), with the variant before and after the change.
 */
public final class StockRollups {
  public static final String TOTALS = "dashboard_totals";
  private static final int FLOOR_RETRIES = 3;

  private StockRollups() {
  }

  public static JsonObject emptyTotals(String tenantId) {
    return new JsonObject().put("_id", tenantId).put("tenantId", tenantId).put("atPrice", 0L).put("atCost", 0L)
      .put("costedVariants", 0L).put("unitsWithoutCost", 0L).put("low", new JsonObject()).put("top", new JsonObject())
      .put("topFloor", 0L).put("version", 0L);
  }

  /** Records a variant going from {@code before} (null: it did not exist) to {@code after} (null: deleted). */
  public static Future<Void> apply(Unit unit, MongoClient mongo, String tenantId, JsonObject before, JsonObject after) {
    return apply(unit, mongo, tenantId, before, after, 0);
  }

  private static Future<Void> apply(Unit unit, MongoClient mongo, String tenantId, JsonObject before, JsonObject after, int attempt) {
    return mongo.findOne(TOTALS, new JsonObject().put("_id", tenantId), new JsonObject().put("topFloor", 1)).compose(totals -> {
      if (totals == null) return Future.succeededFuture();
      long floor = totals.getLong("topFloor", 0L);
      JsonObject update = change(before, after, floor);
      JsonObject undo = change(after, before, floor);
      update.getJsonObject("$inc").put("version", 1L);
      undo.getJsonObject("$inc").put("version", 1L);
      JsonObject filter = new JsonObject().put("_id", tenantId).put("topFloor", floor);
      return unit.update(TOTALS, filter, update, undo).compose(done -> {
        if (done != null) return Future.succeededFuture();
        if (attempt + 1 >= FLOOR_RETRIES) {
          return ServiceError.fail(ErrorCode.UNAVAILABLE, "Dashboard totals are being rebuilt; retry");
        }
        return apply(unit, mongo, tenantId, before, after, attempt + 1);
      });
    });
  }

  /** The update taking the totals from {@code from}'s contribution to {@code to}'s (either may be null). */
  private static JsonObject change(JsonObject from, JsonObject to, long floor) {
    JsonObject inc = new JsonObject();
    long[] a = value(from);
    long[] b = value(to);
    String[] fields = {"atPrice", "atCost", "costedVariants", "unitsWithoutCost"};
    for (int i = 0; i < fields.length; i++) if (b[i] != a[i]) inc.put(fields[i], b[i] - a[i]);
    JsonObject set = new JsonObject();
    JsonObject unset = new JsonObject();
    JsonObject subject = to != null ? to : from;
    String id = subject.getString("_id");
    if (to != null && isLow(to)) {
      set.put("low." + id, new JsonObject().put("sku", to.getString("sku")).put("productId", to.getString("productId"))
        .put("stock", to.getLong("stock", 0L)).put("incoming", to.getLong("incoming", 0L)).put("reorderLevel", to.getLong("reorderLevel", 0L)));
    } else {
      unset.put("low." + id, "");
    }
    long units = to == null ? 0 : sales(to, "u");
    if (units > floor) {
      set.put("top." + id, new JsonObject().put("u", units).put("r", sales(to, "r")));
    } else {
      unset.put("top." + id, "");
    }
    JsonObject update = new JsonObject().put("$inc", inc);
    if (!set.isEmpty()) update.put("$set", set);
    if (!unset.isEmpty()) update.put("$unset", unset);
    return update;
  }

  /** {atPrice, atCost, costedVariants, unitsWithoutCost} contributed by one variant. */
  private static long[] value(JsonObject variant) {
    if (variant == null) return new long[4];
    long stock = variant.getLong("stock", 0L);
    Long cost = variant.getLong("lastUnitCost");
    return new long[] {stock * variant.getLong("price", 0L), cost == null ? 0 : stock * cost, cost == null ? 0 : 1, cost == null ? stock : 0};
  }

  public static boolean isLow(JsonObject variant) {
    return variant.getLong("stock", 0L) + variant.getLong("incoming", 0L) <= variant.getLong("reorderLevel", 0L);
  }

  private static long sales(JsonObject variant, String field) {
    return variant.getJsonObject("sales30", new JsonObject()).getLong(field, 0L);
  }

  /** A variant as it was before {@code change} was applied to {@code after} (the ledger returns the after-state). */
  static JsonObject before(JsonObject after, StockChange change) {
    JsonObject before = after.copy();
    before.put("stock", after.getLong("stock") - change.quantity());
    JsonObject sales = after.getJsonObject("sales30", new JsonObject()).copy();
    sales.put("u", sales.getLong("u", 0L) - change.soldUnits()).put("r", sales.getLong("r", 0L) - change.soldRevenue());
    before.put("sales30", sales);
    if (change.extraInc() != null) {
      change.extraInc().forEach(e -> before.put(e.getKey(), after.getLong(e.getKey(), 0L) - ((Number) e.getValue()).longValue()));
    }
    if (change.extraUndo() != null) {
      JsonObject restore = change.extraUndo().getJsonObject("$set", new JsonObject());
      restore.forEach(e -> before.put(e.getKey(), e.getValue()));
      change.extraUndo().getJsonObject("$unset", new JsonObject()).fieldNames().forEach(before::remove);
    }
    return before;
  }
}
