package io.stockroom.dashboard;

import io.stockroom.inventory.FigureSums;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.outbox.UnitSettlement;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's figures as of the moment of reading: the projection ({@link DashboardTotals}) plus what the variants
 * still hold pending ({@link VariantFigures#PENDING}), so that every answer matches the variants and the ledger as
 * they are (read-your-writes) although no stock unit writes a shared document; the low-stock counts and the top sellers
 * straight from the variants' indexes. No read touches the ledger.
 */
final class DashboardFigures {
  static final int TOP = 5;
  /** Top-seller candidates read per page, best upper bound first. */
  static final int TOP_PAGE = 10;
  /**
   * Variants per page after the first: by then the walk reads only variants whose cap reaches the fifth best found,
   * which a range of the index bounds (a flat sales curve would otherwise take dozens of pages of ten).
   */
  static final int LATER_PAGE = 100;

  /** Pending variants read per answer; a projector that fell further behind makes the answer slower, not wrong. */
  static final int PENDING_READ = 100_000;
  private static final long SNAPSHOT_RETRY_MS = 10;
  private static final long SNAPSHOT_PATIENCE_MS = 2_000;
  private static final int SETTLED_PASSES_KEPT = 10_000;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Variants variants;
  private final DashboardTotals totals;
  private final UnitSettlement settlement;

  DashboardFigures(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.variants = new Variants(mongo);
    this.totals = new DashboardTotals(mongo);
    this.settlement = new UnitSettlement(mongo);
  }

  /**
   * The projection as of now: the stored totals and days plus what the variants still hold pending, read between two
   * reads of the totals that must show the same epoch and no pass in flight (else it reads again), so that no figure
   * is counted twice or missed.
   */
  Future<Snapshot> snapshot(String tenantId, LocalDate today, int days) {
    List<String> window = new ArrayList<>();
    for (int i = days - 1; i >= 0; i--) window.add(today.minusDays(i).toString());
    return snapshot(tenantId, window, System.currentTimeMillis() + SNAPSHOT_PATIENCE_MS);
  }

  /**
   * The totals, then (once the pass that last wrote them has settled: all its writes have landed) the days and the
   * pending figures, then the totals again, which must be the very same pass's: a pass writes the totals before
   * anything else, so no pass began meanwhile.
   */
  private Future<Snapshot> snapshot(String tenantId, List<String> window, long giveUpAt) {
    return totals.totals(tenantId).compose(first -> settled(first).compose(quiet -> !quiet ? Future.succeededFuture((Snapshot) null)
        : Future.all(totals.days(tenantId, window), variants.pending(tenantId, PENDING_READ))
          .compose(both -> totals.totals(tenantId).map(second -> samePass(first, second)
            ? Snapshot.of(first, both.resultAt(0), both.resultAt(1), window) : null))))
      .compose(snapshot -> {
        if (snapshot != null) return Future.succeededFuture(snapshot);
        if (System.currentTimeMillis() >= giveUpAt) {
          return ServiceError.<Snapshot>fail(ErrorCode.UNAVAILABLE, "The dashboard is being brought up to date; retry in a moment");
        }
        Promise<Snapshot> again = Promise.promise();
        vertx.setTimer(SNAPSHOT_RETRY_MS, t -> snapshot(tenantId, window, giveUpAt).onComplete(again));
        return again.future();
      });
  }

  private static boolean samePass(JsonObject first, JsonObject second) {
    if (first == null || second == null) return first == null && second == null;
    return first.getLong("epoch", 0L).equals(second.getLong("epoch", 0L))
      && java.util.Objects.equals(first.getString("pass"), second.getString("pass"));
  }

  /** Whether the pass that last wrote these totals has settled (without transactions its writes land one by one). */
  private Future<Boolean> settled(JsonObject totals) {
    String pass = totals == null ? null : totals.getString("pass");
    if (pass == null || settledPasses.containsKey(pass)) return Future.succeededFuture(true);
    return settlement.among(List.of(pass)).map(unsettled -> {
      boolean settled = unsettled.settled(pass);
      if (settled) remember(pass);
      return settled;
    });
  }

  /** Passes known to have settled (a settled unit stays settled), so that most reads need not ask the journal. */
  private final Map<String, Boolean> settledPasses = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > SETTLED_PASSES_KEPT;
    }
  };

  /** Per tenant and window, the fifth best seller's units in the last answer: the next walk's first bound. */
  private final Map<String, Long> lastFifth = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > SETTLED_PASSES_KEPT;
    }
  };

  private void remember(String pass) {
    settledPasses.put(pass, true);
  }

  /** Totals, per-location worth and flows per day of the window, each with what is still pending added. */
  record Snapshot(JsonObject worth, Map<String, JsonObject> at, Map<String, JsonObject> flows) {
    static Snapshot of(JsonObject totals, List<JsonObject> storedDays, List<JsonObject> pending, List<String> window) {
      FigureSums sums = new FigureSums();
      if (totals != null) sums.addWorth(totals.getJsonObject("w"), 1).addAtMap(totals.getJsonObject("at"), 1);
      storedDays.forEach(day -> sums.addFlows(day.getString("day"), day, 1));
      pending.forEach(v -> sums.addPending(v.getJsonObject(VariantFigures.PENDING), 1));
      Map<String, JsonObject> at = new java.util.TreeMap<>();
      sums.worthAt().forEach(e -> at.put(e.getKey(), (JsonObject) e.getValue()));
      Map<String, JsonObject> flows = new java.util.TreeMap<>();
      window.forEach(day -> flows.put(day, sums.flowsOf(day)));
      return new Snapshot(sums.worth(), at, flows);
    }
  }

  /** {atPrice, atCost, costedVariants, unitsWithoutCost} of the tenant, or of the units at one location. */
  static JsonObject inventoryValue(Snapshot snapshot, String locationId) {
    JsonObject sums = locationId == null ? snapshot.worth()
      : snapshot.at().getOrDefault(locationId, new JsonObject()).copy().put("k", snapshot.worth().getValue("k"));
    return value(sums);
  }

  /** Units in and out per day and movement type over the snapshot's window, oldest first. */
  static JsonArray trend(Snapshot snapshot) {
    JsonArray trend = new JsonArray();
    snapshot.flows().forEach((day, flows) -> {
      JsonObject in = new JsonObject();
      JsonObject out = new JsonObject();
      for (MovementType type : MovementType.FLOWS) {
        in.put(type.name(), flows.getJsonObject("i").getLong(type.name(), 0L));
        out.put(type.name(), flows.getJsonObject("o").getLong(type.name(), 0L));
      }
      trend.add(new JsonObject().put("date", day).put("in", in).put("out", out));
    });
    return trend;
  }

  /**
   * How many of the tenant's variants are low (at a location: by that location's own reorder level): the rows read
   * when they are fewer than a full list, else a count.
   */
  Future<Long> lowStockTotal(String tenantId, String locationId, List<JsonObject> rows, int fullList) {
    if (rows.size() < fullList) return Future.succeededFuture((long) rows.size());
    JsonObject filter = new JsonObject().put("tenantId", tenantId);
    if (locationId == null) filter.put("low", true);
    else filter.put("lowAt", locationId);
    return mongo.count(Variants.COLLECTION, filter);
  }

  /**
   * The five best sellers over {@code days} days up to {@code today}: by units sold net of returns, then revenue,
   * then SKU. Variants are read best {@code salesCap} first (index {@code {tenantId, salesCap: -1, _id}}); a variant's
   * cap bounds what it sold in any window, so once five are found the walk reads only caps reaching the fifth best, and
   * stops once the next cap is below it.
   */
  Future<List<JsonObject>> topSellers(String tenantId, LocalDate today, int days) {
    String from = today.minusDays(days - 1L).toString();
    String to = today.toString();
    String window = tenantId + ":" + days;
    Long guess = lastFifth.get(window);
    // The last answer's fifth best as a first bound: when five sellers reach it, no variant below it could have entered.
    // Otherwise (sales fell), the walk starts again from the best cap without one.
    Future<List<JsonObject>> bounded = guess == null || guess <= 1 ? Future.succeededFuture(null)
      : topSellers(tenantId, from, to, null, new ArrayList<>(), guess)
        .map(found -> found.size() == TOP && found.get(TOP - 1).getLong("unitsSold") >= guess ? found : null);
    return bounded.compose(found -> found != null ? Future.succeededFuture(found) : topSellers(tenantId, from, to, null, new ArrayList<>(), 1))
      .onSuccess(found -> {
        if (found.size() == TOP) lastFifth.put(window, found.get(TOP - 1).getLong("unitsSold"));
        else lastFifth.remove(window);
      });
  }

  private Future<List<JsonObject>> topSellers(String tenantId, String from, String to, JsonObject after, List<JsonObject> best,
                                              long bound) {
    // once five are found, only variants whose cap reaches the fifth can still enter (a tie may win on revenue or SKU)
    long floor = Math.max(bound, best.size() == TOP ? Math.max(1, best.get(TOP - 1).getLong("unitsSold")) : 1);
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put(VariantFigures.SALES_CAP, new JsonObject().put("$gte", floor));
    if (after != null) {
      long cap = after.getLong(VariantFigures.SALES_CAP);
      filter.put("$or", new JsonArray()
        .add(new JsonObject().put(VariantFigures.SALES_CAP, new JsonObject().put("$lt", cap)))
        .add(new JsonObject().put(VariantFigures.SALES_CAP, cap).put("_id", new JsonObject().put("$gt", after.getString("_id")))));
    }
    FindOptions page = new FindOptions().setLimit(after == null ? TOP_PAGE : LATER_PAGE)
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
      if (variants.size() < (after == null ? TOP_PAGE : LATER_PAGE)) return Future.succeededFuture(best);
      JsonObject last = variants.get(variants.size() - 1);
      boolean settled = best.size() == TOP && last.getLong(VariantFigures.SALES_CAP) < best.get(TOP - 1).getLong("unitsSold");
      return settled ? Future.succeededFuture(best) : topSellers(tenantId, from, to, last, best, bound);
    });
  }

  static final Comparator<JsonObject> BEST_FIRST = Comparator.comparingLong((JsonObject r) -> -r.getLong("unitsSold"))
    .thenComparing((JsonObject r) -> new BigInteger(r.getString("revenue")), Comparator.reverseOrder())
    .thenComparing(r -> r.getString("sku"));

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
