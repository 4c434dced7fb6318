package io.stockroom.dashboard;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.stockroom.platform.unit.Steps;
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
 * Reads a tenant's dashboard totals ({@link DashboardProjection}: its shards, merged) and, in the background, keeps
 * each shard's top-seller candidate set small. A shard's set holds every variant of the shard whose 30-day sales
 * exceed the shard's {@code topFloor}; the shard's other variants are known to sell no more than that floor. While
 * every shard with a non-zero floor has at least five candidates above it, the union of the candidates holds the exact
 * top five. When a set grows past {@link #PRUNE_ABOVE} entries it is cut back to the best {@link #KEEP} (raising the
 * floor); when returns or expired days leave fewer than five above a non-zero floor it is rebuilt from the shard's
 * variants. Both are compare-and-set on the shard's {@code version}, which every stock unit writing it increments, so
 * a concurrent sale is never overwritten.
 */
public final class DashboardTotals {
  static final int TOP = 5;
  static final int KEEP = 20;
  static final int PRUNE_ABOVE = 64;

  /** The totals and the top sellers {variantId, sku, productId, unitsSold, revenue}, best first. */
  public record Snapshot(JsonObject totals, List<JsonObject> topSellers) {
  }

  private record Candidate(String variantId, long units, BigInteger revenue) {
  }

  private final MongoClient mongo;

  public DashboardTotals(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The totals and the top sellers, read only (the candidate sets are kept small by {@link #maintain}). */
  public Future<Snapshot> current(String tenantId) {
    return shards(tenantId, null).compose(shards -> {
      List<Candidate> above = new ArrayList<>();
      boolean complete = true;
      for (JsonObject shard : shards) {
        long floor = shard.getLong("topFloor", 0L);
        List<Candidate> shardAbove = candidates(shard).stream().filter(c -> c.units() > floor).toList();
        if (shardAbove.size() < TOP && floor > 0) complete = false;
        above.addAll(shardAbove);
      }
      Future<List<Candidate>> ranked = complete ? Future.succeededFuture(above) : fromVariants(tenantId, null);
      return ranked.compose(list -> withSkus(tenantId, list)).map(top -> new Snapshot(merge(tenantId, shards), top));
    });
  }

  /** The stored shards of the tenant's totals (one command), with only {@code fields} when given. */
  private Future<List<JsonObject>> shards(String tenantId, JsonObject fields) {
    JsonObject filter = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(DashboardProjection.totalsIds(tenantId))));
    return mongo.findWithOptions(DashboardProjection.TOTALS, filter, fields == null ? new FindOptions() : new FindOptions().setFields(fields));
  }

  /**
   * The shards as one totals document: counters added up, per-variant and per-location entries (each in exactly one
   * shard) side by side.
   */
  public static JsonObject merge(String tenantId, List<JsonObject> shards) {
    String[] amounts = {"atPrice", "atCost", "unitsWithoutCost"};
    BigInteger[] sums = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
    long costed = 0;
    JsonObject low = new JsonObject();
    JsonObject lowAt = new JsonObject();
    JsonObject at = new JsonObject();
    for (JsonObject shard : shards) {
      for (int i = 0; i < amounts.length; i++) sums[i] = sums[i].add(Amounts.of(shard.getValue(amounts[i], 0L)));
      costed += shard.getLong("costedVariants", 0L);
      low.mergeIn(shard.getJsonObject("low", new JsonObject()));
      shard.getJsonObject("lowAt", new JsonObject()).forEach(e -> lowAt.put(e.getKey(),
        lowAt.getJsonObject(e.getKey(), new JsonObject()).mergeIn((JsonObject) e.getValue())));
      shard.getJsonObject("at", new JsonObject()).forEach(e -> {
        JsonObject sum = at.getJsonObject(e.getKey(), new JsonObject());
        ((JsonObject) e.getValue()).forEach(field -> sum.put(field.getKey(),
          Amounts.stored(Amounts.of(sum.getValue(field.getKey(), 0L)).add(Amounts.of(field.getValue())))));
        at.put(e.getKey(), sum);
      });
    }
    JsonObject merged = new JsonObject().put("tenantId", tenantId).put("costedVariants", costed)
      .put("low", low).put("lowAt", lowAt).put("at", at);
    for (int i = 0; i < amounts.length; i++) merged.put(amounts[i], Amounts.stored(sums[i]));
    return merged;
  }

  /**
   * Background upkeep of the candidate set, a compare-and-set on the totals' version (which every stock unit moves
   * on, so a concurrent sale is never overwritten): cut back to the best {@link #KEEP} when it grew past
   * {@link #PRUNE_ABOVE}, rebuilt from the variants when returns or expired days left fewer than five above a
   * non-zero floor.
   */
  public Future<Void> maintain(String tenantId) {
    return shards(tenantId, new JsonObject().put("top", 1).put("topFloor", 1).put("version", 1).put("shard", 1))
      .compose(shards -> Steps.each(shards, totals -> {
        long floor = totals.getLong("topFloor", 0L);
        List<Candidate> candidates = candidates(totals);
        long above = candidates.stream().filter(c -> c.units() > floor).count();
        if (above < TOP && floor > 0) return fromVariants(tenantId, totals.getInteger("shard")).compose(all -> rebuild(totals, all));
        if (candidates.size() > PRUNE_ABOVE) return prune(totals, candidates, floor);
        return Future.succeededFuture();
      }));
  }

  private static List<Candidate> candidates(JsonObject totals) {
    List<Candidate> candidates = new ArrayList<>();
    totals.getJsonObject("top", new JsonObject()).forEach(e -> {
      JsonObject c = (JsonObject) e.getValue();
      candidates.add(new Candidate(e.getKey(), c.getLong("u", 0L), Amounts.of(c.getValue("r"))));
    });
    return candidates;
  }

  /**
   * Top sellers over a window other than the maintained 30 days: the per-variant sales of each day's rollup, summed.
   * One exact lookup per day; the cost follows the window's activity, so it is the slower, optional path.
   */
  public Future<List<JsonObject>> topSellersOver(String tenantId, LocalDate today, int days) {
    List<String> window = new ArrayList<>();
    for (int i = 0; i < days; i++) window.add(today.minusDays(i).toString());
    JsonObject filter = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(DashboardProjection.dailyIds(tenantId, window))));
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

  private Future<Void> prune(JsonObject totals, List<Candidate> candidates, long floor) {
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingLong(Candidate::units).reversed());
    long cutoff = Math.max(floor, sorted.get(KEEP).units());
    JsonObject unset = new JsonObject();
    sorted.stream().filter(c -> c.units() <= cutoff).forEach(c -> unset.put("top." + c.variantId(), ""));
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("topFloor", cutoff))
      .put("$inc", new JsonObject().put("version", 1L));
    if (!unset.isEmpty()) update.put("$unset", unset);
    return mongo.updateCollection(DashboardProjection.TOTALS, atVersion(totals), update).mapEmpty();
  }

  private Future<Void> rebuild(JsonObject totals, List<Candidate> all) {
    long newFloor = all.size() > KEEP ? all.get(KEEP).units() : 0;
    JsonObject top = new JsonObject();
    all.stream().filter(c -> c.units() > newFloor)
      .forEach(c -> top.put(c.variantId(), new JsonObject().put("u", c.units()).put("r", Amounts.stored(c.revenue()))));
    return mongo.updateCollection(DashboardProjection.TOTALS, atVersion(totals),
      new JsonObject().put("$set", new JsonObject().put("top", top).put("topFloor", newFloor))
        .put("$inc", new JsonObject().put("version", 1L))).mapEmpty();
  }

  private static JsonObject atVersion(JsonObject totals) {
    return new JsonObject().put("_id", totals.getValue("_id")).put("version", totals.getLong("version", 0L));
  }

  /** Every variant (of one shard, unless null) with 30-day sales, best first, from the variants' own counters (read only). */
  private Future<List<Candidate>> fromVariants(String tenantId, Integer shard) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put("sales30.u", new JsonObject().put("$gt", 0));
    return mongo.findWithOptions(Variants.COLLECTION, filter, new FindOptions().setFields(new JsonObject().put("sales30", 1)))
      .map(variants -> {
        List<Candidate> all = new ArrayList<>(variants.stream()
          .filter(v -> shard == null || DashboardProjection.shardOf(v.getString("_id")) == shard).map(v -> new Candidate(v.getString("_id"),
          v.getJsonObject("sales30").getLong("u", 0L), Amounts.of(v.getJsonObject("sales30").getValue("r")))).toList());
        all.sort(Comparator.comparingLong(Candidate::units).reversed());
        return all;
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
