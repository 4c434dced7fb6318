package io.stockroom.dashboard;

import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.money.Amounts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.AggregateOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The dashboard's figures, added up at read time from what each variant keeps about itself ({@link VariantFigures}),
 * so every answer matches the variants and the ledger as they are (read-your-writes), and no stock unit writes a
 * document that another variant's units write. Each read walks an index over the tenant's variants, never the ledger:
 * its cost follows the number of variants (for the trend, those that moved in its window), not the number of
 * movements.
 */
final class DashboardFigures {
  static final int TOP = 5;
  /** Top-seller candidates read per page, best upper bound first. */
  static final int TOP_PAGE = 50;

  private final MongoClient mongo;

  DashboardFigures(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** {atPrice, atCost, costedVariants, unitsWithoutCost} of the tenant, or of the units at one location. */
  Future<JsonObject> inventoryValue(String tenantId, String locationId) {
    JsonArray pipeline = new JsonArray().add(new JsonObject().put("$match", new JsonObject().put("tenantId", tenantId)))
      .add(group(null, "worth.", "p", "c", "k", "n"));
    Future<JsonObject> tenant = one(pipeline);
    if (locationId == null) return tenant.map(DashboardFigures::value);
    JsonArray atLocation = new JsonArray()
      .add(new JsonObject().put("$match", new JsonObject().put("tenantId", tenantId).put("worthAt.l", locationId)))
      .add(new JsonObject().put("$unwind", "$worthAt"))
      .add(new JsonObject().put("$match", new JsonObject().put("worthAt.l", locationId)))
      .add(group(null, "worthAt.", "p", "c", "n"));
    return Future.all(tenant, one(atLocation))
      .map(both -> value(both.<JsonObject>resultAt(1).copy().put("k", both.<JsonObject>resultAt(0).getValue("k"))));
  }

  /** How many of the tenant's variants are low (at a location: by that location's own reorder level). */
  Future<Long> lowStockTotal(String tenantId, String locationId) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId);
    if (locationId == null) filter.put("low", true);
    else filter.put("lowAt", locationId);
    return mongo.count(Variants.COLLECTION, filter);
  }

  /** Units in and out per day and movement type over {@code days} days up to {@code today}, oldest first. */
  Future<JsonArray> trend(String tenantId, LocalDate today, int days) {
    String from = today.minusDays(days - 1L).toString();
    JsonObject sums = new JsonObject();
    for (MovementType type : MovementType.FLOWS) {
      sums.put("i" + type.name(), new JsonObject().put("$sum", "$days.i." + type.name()));
      sums.put("o" + type.name(), new JsonObject().put("$sum", "$days.o." + type.name()));
    }
    JsonArray pipeline = new JsonArray()
      .add(new JsonObject().put("$match", new JsonObject().put("tenantId", tenantId)
        .put(VariantFigures.LAST_DAY, new JsonObject().put("$gte", from))))
      .add(new JsonObject().put("$project", new JsonObject().put(VariantFigures.DAYS, 1)))
      .add(new JsonObject().put("$unwind", "$" + VariantFigures.DAYS))
      .add(new JsonObject().put("$match", new JsonObject().put("days.d", new JsonObject().put("$gte", from).put("$lte", today.toString()))))
      .add(new JsonObject().put("$group", sums.copy().put("_id", "$days.d")));
    return all(pipeline).map(rows -> {
      JsonObject byDay = new JsonObject();
      rows.forEach(row -> byDay.put(row.getString("_id"), row));
      JsonArray trend = new JsonArray();
      for (int i = days - 1; i >= 0; i--) {
        String day = today.minusDays(i).toString();
        JsonObject row = byDay.getJsonObject(day, new JsonObject());
        JsonObject in = new JsonObject();
        JsonObject out = new JsonObject();
        for (MovementType type : MovementType.FLOWS) {
          in.put(type.name(), number(row.getValue("i" + type.name())));
          out.put(type.name(), number(row.getValue("o" + type.name())));
        }
        trend.add(new JsonObject().put("date", day).put("in", in).put("out", out));
      }
      return trend;
    });
  }

  /**
   * The five best sellers over {@code days} days up to {@code today}: by units sold net of returns, then revenue,
   * then SKU. Variants are read best {@code salesCap} first (index {@code {tenantId, salesCap: -1, _id}}); a variant's
   * cap bounds what it sold in any window, so the walk stops once the next cap is below the fifth best found.
   */
  Future<List<JsonObject>> topSellers(String tenantId, LocalDate today, int days) {
    String from = today.minusDays(days - 1L).toString();
    return topSellers(tenantId, from, today.toString(), null, new ArrayList<>());
  }

  private Future<List<JsonObject>> topSellers(String tenantId, String from, String to, JsonObject after, List<JsonObject> best) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put(VariantFigures.SALES_CAP, new JsonObject().put("$gt", 0));
    if (after != null) {
      long cap = after.getLong(VariantFigures.SALES_CAP);
      filter.put("$or", new JsonArray()
        .add(new JsonObject().put(VariantFigures.SALES_CAP, new JsonObject().put("$lt", cap)))
        .add(new JsonObject().put(VariantFigures.SALES_CAP, cap).put("_id", new JsonObject().put("$gt", after.getString("_id")))));
    }
    FindOptions page = new FindOptions().setLimit(TOP_PAGE)
      .setSort(new JsonObject().put(VariantFigures.SALES_CAP, -1).put("_id", 1))
      .setFields(new JsonObject().put("sku", 1).put("productId", 1).put(VariantFigures.DAYS, 1).put(VariantFigures.SALES_CAP, 1));
    return mongo.findWithOptions(Variants.COLLECTION, filter, page).compose(variants -> {
      for (JsonObject v : variants) {
        VariantFigures.Sales sold = VariantFigures.salesBetween(v, from, to);
        if (sold.units() > 0) {
          best.add(new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku"))
            .put("productId", v.getString("productId")).put("unitsSold", sold.units()).put("revenue", Amounts.api(sold.revenue())));
        }
      }
      best.sort(BEST_FIRST);
      if (best.size() > TOP) best.subList(TOP, best.size()).clear();
      if (variants.size() < TOP_PAGE) return Future.succeededFuture(best);
      JsonObject last = variants.get(variants.size() - 1);
      boolean settled = best.size() == TOP && last.getLong(VariantFigures.SALES_CAP) < best.get(TOP - 1).getLong("unitsSold");
      return settled ? Future.succeededFuture(best) : topSellers(tenantId, from, to, last, best);
    });
  }

  static final Comparator<JsonObject> BEST_FIRST = Comparator.comparingLong((JsonObject r) -> -r.getLong("unitsSold"))
    .thenComparing((JsonObject r) -> new BigInteger(r.getString("revenue")), Comparator.reverseOrder())
    .thenComparing(r -> r.getString("sku"));

  private static JsonObject group(Object key, String prefix, String... fields) {
    JsonObject group = new JsonObject().put("_id", key);
    for (String field : fields) group.put(field, new JsonObject().put("$sum", "$" + prefix + field));
    return new JsonObject().put("$group", group);
  }

  private Future<JsonObject> one(JsonArray pipeline) {
    return all(pipeline).map(rows -> rows.isEmpty() ? new JsonObject() : rows.get(0));
  }

  @SuppressWarnings("unchecked")
  private Future<List<JsonObject>> all(JsonArray pipeline) {
    return mongo.aggregateWithOptions(Variants.COLLECTION, pipeline, new AggregateOptions().setBatchSize(1_000))
      .collect(Collectors.toList()).map(rows -> (List<JsonObject>) rows);
  }

  private static JsonObject value(JsonObject sums) {
    long costed = number(sums.getValue("k"));
    return new JsonObject()
      .put("atPrice", Amounts.api(Amounts.of(sums.getValue("p"))))
      .put("atCost", costed == 0 ? null : Amounts.api(Amounts.of(sums.getValue("c"))))
      .put("costedVariants", costed)
      .put("unitsWithoutCost", Amounts.api(Amounts.of(sums.getValue("n"))));
  }

  private static long number(Object value) {
    return value == null ? 0L : ((Number) value).longValue();
  }
}
