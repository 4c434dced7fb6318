package io.stockroom.dashboard;

import io.stockroom.inventory.FigureSums;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.outbox.UnitSettlement;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
  private final Variants variants;
  private final DashboardTotals totals;
  private final UnitSettlement settlement;

  DashboardFigures(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
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
          .compose(both -> totals.totals(tenantId).map(second -> DashboardTotals.Totals.samePass(DashboardTotals.Totals.of(first),
            DashboardTotals.Totals.of(second)) ? Snapshot.of(first, both.resultAt(0), both.resultAt(1), window) : null))))
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

  /** Whether the pass that last wrote these totals has settled (without transactions its writes land one by one). */
  private Future<Boolean> settled(JsonObject totals) {
    String pass = totals == null ? null : DashboardTotals.Totals.of(totals).pass();
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
    static Snapshot of(JsonObject stored, Map<String, JsonObject> storedDays, List<JsonObject> pending, List<String> window) {
      FigureSums sums = new FigureSums();
      DashboardTotals.Totals totals = DashboardTotals.Totals.of(stored);
      if (totals != null) sums.addWorth(totals.w(), 1).addAtMap(totals.at(), 1);
      storedDays.forEach((day, doc) -> sums.addFlows(day, doc, 1));
      pending.forEach(v -> sums.addPending(v.getJsonObject(VariantFigures.PENDING), 1));
      Map<String, JsonObject> at = new java.util.TreeMap<>();
      sums.worthAt().forEach(e -> at.put(e.getKey(), (JsonObject) e.getValue()));
      Map<String, JsonObject> flows = new java.util.TreeMap<>();
      window.forEach(day -> flows.put(day, sums.flowsOf(day)));
      return new Snapshot(sums.worth(), at, flows);
    }
  }

  /** Stored sums of worth: at price, at cost, how many variants have a cost, units without one. */
  record Worth(BigInteger p, BigInteger c, long k, BigInteger n) {
    Worth {
      // an absent amount is zero
      p = p == null ? BigInteger.ZERO : p;
      c = c == null ? BigInteger.ZERO : c;
      n = n == null ? BigInteger.ZERO : n;
    }

    static Worth of(JsonObject sums) {
      return RecordCodec.fromDocument(Worth.class, sums);
    }

    /** What clients see of it ({@code atCost} null when no variant has a cost), in {@code currency}. */
    InventoryValue value(String currency) {
      return new InventoryValue(p, k == 0 ? null : c, n, currency);
    }
  }

  /** The inventory's value as clients see it. */
  record InventoryValue(BigInteger atPrice, @ExplicitNull BigInteger atCost, BigInteger unitsWithoutCost, @ExplicitNull String currency) {
  }

  /** Units in and out of one day, per movement type. */
  record TrendDay(String date, Map<String, Long> in, Map<String, Long> out) {
  }

  /** The worth of the tenant, or of the units at one location (how many variants have a cost is the tenant's). */
  static Worth worth(Snapshot snapshot, String locationId) {
    Worth tenant = Worth.of(snapshot.worth());
    if (locationId == null) return tenant;
    Worth at = Worth.of(snapshot.at().getOrDefault(locationId, new JsonObject()));
    return new Worth(at.p(), at.c(), tenant.k(), at.n());
  }

  /** Units in and out per day and movement type over the snapshot's window, oldest first. */
  static List<TrendDay> trend(Snapshot snapshot) {
    List<TrendDay> trend = new ArrayList<>();
    snapshot.flows().forEach((day, stored) -> {
      DashboardTotals.Flows flows = DashboardTotals.Flows.of(stored);
      Map<String, Long> in = new java.util.LinkedHashMap<>();
      Map<String, Long> out = new java.util.LinkedHashMap<>();
      for (MovementType type : MovementType.FLOWS) {
        in.put(type.name(), flows.i().getLong(type.name(), 0L));
        out.put(type.name(), flows.o().getLong(type.name(), 0L));
      }
      trend.add(new TrendDay(day, in, out));
    });
    return trend;
  }

  /**
   * How many of the tenant's variants are low (at a location: by that location's own reorder level): the rows read
   * when they are fewer than a full list, else a count.
   */
  Future<Long> lowStockTotal(String tenantId, String locationId, List<?> rows, int fullList) {
    if (rows.size() < fullList) return Future.succeededFuture((long) rows.size());
    return variants.count(DashboardVariants.low(tenantId, locationId));
  }

  /**
   * The five best sellers over {@code days} days up to {@code today}: by units sold net of returns, then revenue,
   * then SKU. Variants are read best {@code salesCap} first (index {@code {tenantId, salesCap: -1, _id}}); a variant's
   * cap bounds what it sold in any window, so once five are found the walk reads only caps reaching the fifth best, and
   * stops once the next cap is below it.
   */
  Future<List<Seller>> topSellers(String tenantId, LocalDate today, int days) {
    String from = today.minusDays(days - 1L).toString();
    String to = today.toString();
    String window = tenantId + ":" + days;
    Long guess = lastFifth.get(window);
    // The last answer's fifth best as a first bound: when five sellers reach it, no variant below it could have entered.
    // Otherwise (sales fell), the walk starts again from the best cap without one.
    Future<List<Seller>> bounded = guess == null || guess <= 1 ? Future.succeededFuture(null)
      : topSellers(tenantId, from, to, null, new ArrayList<>(), guess)
        .map(found -> found.size() == TOP && found.get(TOP - 1).unitsSold() >= guess ? found : null);
    return bounded.compose(found -> found != null ? Future.succeededFuture(found) : topSellers(tenantId, from, to, null, new ArrayList<>(), 1))
      .onSuccess(found -> {
        if (found.size() == TOP) lastFifth.put(window, found.get(TOP - 1).unitsSold());
        else lastFifth.remove(window);
      });
  }

  /** A variant that sold in the window: units net of returns, and revenue. */
  record Seller(String variantId, String sku, String productId, long unitsSold, BigInteger revenue) {
  }

  private Future<List<Seller>> topSellers(String tenantId, String from, String to, DashboardVariants.Sales after, List<Seller> best,
                                          long bound) {
    // once five are found, only variants whose cap reaches the fifth can still enter (a tie may win on revenue or SKU)
    long floor = Math.max(bound, best.size() == TOP ? Math.max(1, best.get(TOP - 1).unitsSold()) : 1);
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(VariantFigures.SALES_CAP, Ops.gte(floor));
    if (after != null) {
      filter.mergeIn(Ops.or(Ops.where(VariantFigures.SALES_CAP, Ops.lt(after.salesCap())),
        Ops.where(VariantFigures.SALES_CAP, after.salesCap()).put(Fields.ID, Ops.gt(after.id()))));
    }
    FindOptions page = new FindOptions().setLimit(after == null ? TOP_PAGE : LATER_PAGE)
      .setSort(Ops.sort("-" + VariantFigures.SALES_CAP, Fields.ID))
      .setFields(Ops.only(DashboardVariants.SKU, DashboardVariants.PRODUCT_ID, VariantFigures.DAYS, VariantFigures.SALES_CAP));
    return variants.find(filter, page).compose(variants -> {
      DashboardVariants.Sales last = null;
      for (JsonObject doc : variants) {
        last = DashboardVariants.Sales.of(doc);
        VariantFigures.Sales sold = VariantFigures.salesBetween(doc, from, to);
        if (sold.units() > 0) best.add(new Seller(last.id(), last.sku(), last.productId(), sold.units(), sold.revenue()));
      }
      best.sort(BEST_FIRST);
      if (best.size() > TOP) best.subList(TOP, best.size()).clear();
      if (variants.size() < (after == null ? TOP_PAGE : LATER_PAGE)) return Future.succeededFuture(best);
      boolean settled = best.size() == TOP && last.salesCap() < best.get(TOP - 1).unitsSold();
      return settled ? Future.succeededFuture(best) : topSellers(tenantId, from, to, last, best, bound);
    });
  }

  static final Comparator<Seller> BEST_FIRST = Comparator.comparingLong((Seller r) -> -r.unitsSold())
    .thenComparing(Seller::revenue, Comparator.reverseOrder())
    .thenComparing(Seller::sku);
}
