package io.stockroom.dashboard;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tenant's dashboard totals ({@link DashboardProjection}: its shards, merged; counters only) and its top
 * sellers, read from the variants' own 30-day counters through the index {@code {tenantId, sales30.u: -1, sales30.r: -1,
 * sku: 1}}: the first five entries of that index are the top five by units, then revenue, then SKU.
 */
public final class DashboardTotals {
  static final int TOP = 5;

  /** The totals and the top sellers {variantId, sku, productId, unitsSold, revenue}, best first. */
  public record Snapshot(JsonObject totals, List<JsonObject> topSellers) {
  }

  private record Candidate(String variantId, long units, BigInteger revenue) {
  }

  private final MongoClient mongo;

  public DashboardTotals(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The totals and the 30-day top sellers, read only. */
  public Future<Snapshot> current(String tenantId) {
    return Future.all(shards(tenantId), topSellers(tenantId))
      .map(both -> new Snapshot(merge(tenantId, both.resultAt(0)), both.resultAt(1)));
  }

  /** The stored shards of the tenant's totals (one command). */
  private Future<List<JsonObject>> shards(String tenantId) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId)
      .put("_id", new JsonObject().put("$in", new JsonArray(DashboardProjection.totalsIds(tenantId))));
    return mongo.findWithOptions(DashboardProjection.TOTALS, filter, new FindOptions());
  }

  /** The five best sellers over the maintained 30 days: the first entries of the variants' sales index. */
  private Future<List<JsonObject>> topSellers(String tenantId) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put("sales30.u", new JsonObject().put("$gt", 0));
    FindOptions options = new FindOptions().setLimit(TOP)
      .setSort(new JsonObject().put("sales30.u", -1).put("sales30.r", -1).put("sku", 1))
      .setFields(new JsonObject().put("sales30", 1).put("sku", 1).put("productId", 1));
    return mongo.findWithOptions(Variants.COLLECTION, filter, options).map(variants -> {
      List<JsonObject> rows = new ArrayList<>();
      for (JsonObject v : variants) {
        JsonObject sales = v.getJsonObject("sales30");
        rows.add(new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku"))
          .put("productId", v.getString("productId")).put("unitsSold", sales.getLong("u", 0L))
          .put("revenue", Amounts.api(Amounts.of(sales.getValue("r")))));
      }
      return rows;
    });
  }

  /** The shards as one totals document: counters added up, per-location counters side by side. */
  public static JsonObject merge(String tenantId, List<JsonObject> shards) {
    String[] amounts = {"atPrice", "atCost", "unitsWithoutCost"};
    BigInteger[] sums = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
    long costed = 0;
    long lowCount = 0;
    JsonObject lowCountAt = new JsonObject();
    JsonObject at = new JsonObject();
    for (JsonObject shard : shards) {
      for (int i = 0; i < amounts.length; i++) sums[i] = sums[i].add(Amounts.of(shard.getValue(amounts[i], 0L)));
      costed += shard.getLong("costedVariants", 0L);
      lowCount += shard.getLong("lowCount", 0L);
      shard.getJsonObject("lowCountAt", new JsonObject()).forEach(e ->
        lowCountAt.put(e.getKey(), lowCountAt.getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
      shard.getJsonObject("at", new JsonObject()).forEach(e -> {
        JsonObject sum = at.getJsonObject(e.getKey(), new JsonObject());
        ((JsonObject) e.getValue()).forEach(field -> sum.put(field.getKey(),
          Amounts.stored(Amounts.of(sum.getValue(field.getKey(), 0L)).add(Amounts.of(field.getValue())))));
        at.put(e.getKey(), sum);
      });
    }
    JsonObject merged = new JsonObject().put("tenantId", tenantId).put("costedVariants", costed)
      .put("lowCount", lowCount).put("lowCountAt", lowCountAt).put("at", at);
    for (int i = 0; i < amounts.length; i++) merged.put(amounts[i], Amounts.stored(sums[i]));
    return merged;
  }

  /**
   * Top sellers over a window other than the maintained 30 days: the per-variant sales of each day's rollup, summed.
   * One query over the window's rollups; the cost follows the window's activity, so it is the slower, optional path.
   */
  public Future<List<JsonObject>> topSellersOver(String tenantId, LocalDate today, int days) {
    List<String> window = new ArrayList<>();
    for (int i = 0; i < days; i++) window.add(today.minusDays(i).toString());
    JsonObject filter = new JsonObject().put("tenantId", tenantId)
      .put("_id", new JsonObject().put("$in", new JsonArray(DashboardProjection.dailyIds(tenantId, window))));
    return mongo.findWithOptions(DashboardProjection.DAILY, filter, new FindOptions().setFields(new JsonObject().put("sales", 1))).compose(all -> {
      Map<String, Candidate> sums = new HashMap<>();
      for (JsonObject daily : all) {
        daily.getJsonObject("sales", new JsonObject()).forEach(e -> {
          JsonObject sold = (JsonObject) e.getValue();
          Candidate sum = sums.getOrDefault(e.getKey(), new Candidate(e.getKey(), 0, BigInteger.ZERO));
          sums.put(e.getKey(), new Candidate(e.getKey(), sum.units() + sold.getLong("u", 0L), sum.revenue().add(Amounts.of(sold.getValue("r")))));
        });
      }
      List<Candidate> candidates = new ArrayList<>(sums.values().stream().filter(c -> c.units() > 0).toList());
      return withSkus(tenantId, candidates);
    });
  }

  /** The best five by units, then revenue, then SKU (SKUs are looked up only for the candidates that can still place). */
  private Future<List<JsonObject>> withSkus(String tenantId, List<Candidate> candidates) {
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingLong(Candidate::units).thenComparing(Candidate::revenue).reversed());
    int reach = Math.min(TOP, sorted.size());
    while (reach > 0 && reach < sorted.size() && sorted.get(reach).units() == sorted.get(reach - 1).units()
      && sorted.get(reach).revenue().equals(sorted.get(reach - 1).revenue())) {
      reach++;
    }
    List<Candidate> contenders = sorted.subList(0, reach);
    List<Future<JsonObject>> lookups = contenders.stream().map(c -> mongo.findOne(Variants.COLLECTION,
      Mongo.byId(tenantId, c.variantId()), new JsonObject().put("sku", 1).put("productId", 1))).toList();
    return Future.all(lookups).map(all -> {
      List<JsonObject> rows = new ArrayList<>();
      for (int i = 0; i < contenders.size(); i++) {
        JsonObject variant = all.resultAt(i);
        if (variant == null) continue;
        Candidate c = contenders.get(i);
        rows.add(new JsonObject().put("variantId", c.variantId()).put("sku", variant.getString("sku"))
          .put("productId", variant.getString("productId")).put("unitsSold", c.units()).put("revenue", Amounts.api(c.revenue())));
      }
      rows.sort(Comparator.comparingLong((JsonObject r) -> -r.getLong("unitsSold"))
        .thenComparing((JsonObject r) -> new BigInteger(r.getString("revenue")), Comparator.reverseOrder())
        .thenComparing(r -> r.getString("sku")));
      return rows.size() > TOP ? new ArrayList<>(rows.subList(0, TOP)) : rows;
    });
  }
}
