package io.stockroom.dashboard;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.FigureSums;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.outbox.UnitSettlement;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a tenant's projection with what its variants say it must be, and with {@code fix} writes what they say.
 * Each variant write adds the same change to the variant's figures and to its pending figures, and only a projector
 * pass moves figures from pending into the projection; so, while no pass runs (this holds the tenant's dashboard lock),
 * the totals equal the sum over the variants of their worth less their pending worth, and each day the variants keep
 * (the tenant's last {@link VariantFigures#KEPT_DAYS} days) equals the sum of their buckets less their pending flows,
 * whatever stock units do meanwhile. The variants' own figures are checked against the ledger first
 * ({@code FiguresRebuild}); this checks the rest of the way to the dashboard. A fix is written as a pass is: the
 * totals first, with the next epoch and this unit's id, then the days.
 */
public final class ProjectionCheck {
  /** Variants read per query. */
  static final int PAGE = 500;

  private final Variants variants;
  private final DashboardTotals totals;
  private final StockKernel kernel;
  private final UnitSettlement settlement;
  private final TenantSettings tenants;

  public ProjectionCheck(MongoClient mongo, StockKernel kernel) {
    this.variants = new Variants(mongo);
    this.totals = new DashboardTotals(mongo);
    this.kernel = kernel;
    this.settlement = new UnitSettlement(mongo);
    this.tenants = new TenantSettings(mongo);
  }

  /** The projection as stored, and as the variants say it must be. */
  private record Compared(JsonObject stored, Map<String, JsonObject> storedDays, Expected expected) {
  }

  /** What the check answers: how many variants it read, how the projection differs from them, and whether it was fixed. */
  record Report(long checkedVariants, List<Difference> differences, boolean fixed) {
  }

  /** A projection document that differs ({@code day}: which one, for a day's) from what the variants say. */
  record Difference(String document, String day, JsonObject stored, JsonObject expected) {
  }

  /** The totals' sums, as compared. */
  private record TotalSums(JsonObject w, JsonObject at) {
    static TotalSums of(FigureSums sums) {
      return new TotalSums(sums.worth(), sums.worthAt());
    }
  }

  /** A variant's day bucket: which day it is. */
  private record Bucket(String d) {
  }

  /** {@code {checkedVariants, differences: [{document, day?, stored, expected}], fixed}}. */
  public Future<JsonObject> run(String tenantId, boolean fix) {
    return tenants.today(tenantId).compose(today -> kernel.run(Work.<Compared>background("dashboard.check", tenantId)
        .locking(List.of(DashboardContract.LOCK.key(tenantId)))
        .reading(() -> compared(tenantId, today))
        .writing((unit, compared) -> {
          List<Difference> differences = differences(compared);
          JsonObject report = RecordCodec.toApi(new Report(compared.expected().variants, differences, fix && !differences.isEmpty()));
          if (!fix || differences.isEmpty()) return Future.succeededFuture(Work.Done.of(Reply.ok(report)));
          return rewrite(unit, tenantId, compared).map(v -> Work.Done.of(Reply.ok(report)));
        })))
      .map(reply -> (JsonObject) reply.body());
  }

  private static List<String> keptDays(LocalDate today) {
    List<String> days = new ArrayList<>();
    for (int back = VariantFigures.KEPT_DAYS - 1; back >= 0; back--) days.add(today.minusDays(back).toString());
    return days;
  }

  /**
   * Under the dashboard lock: the totals (whose last pass must have settled: a pass left to recovery may still be
   * undone), the kept days and every variant, page by page. The walk is only a snapshot if nothing but stock units
   * wrote meanwhile: the totals must be the same document afterwards (no pass ran, as it could once the lock expired
   * during a long walk), and the tenant's day must not have changed (a variant that moves on a new day drops its
   * oldest bucket). Otherwise the check answers 503 and changes nothing.
   */
  private Future<Compared> compared(String tenantId, String today) {
    List<String> days = keptDays(LocalDate.parse(today));
    return totals.totals(tenantId).compose(stored -> {
      DashboardTotals.Totals before = DashboardTotals.Totals.of(stored);
      String pass = before == null ? null : before.pass();
      return (pass == null ? Future.succeededFuture(true) : settlement.among(List.of(pass)).map(unsettled -> unsettled.settled(pass)))
        .compose(settled -> settled ? totals.days(tenantId, days)
          : ServiceError.fail(ErrorCode.UNAVAILABLE, "The dashboard's last projector pass has not finished yet; retry shortly"))
        .compose(storedDays -> sum(tenantId, new Expected(days), null).map(expected -> new Compared(stored, storedDays, expected)))
        .compose(compared -> Future.all(totals.totals(tenantId), tenants.today(tenantId)).compose(after -> {
          DashboardTotals.Totals totalsAfter = DashboardTotals.Totals.of(after.resultAt(0));
          boolean same = before == null ? totalsAfter == null
            : totalsAfter != null && java.util.Objects.equals(before.version(), totalsAfter.version());
          return same && today.equals(after.resultAt(1)) ? Future.succeededFuture(compared)
            : ServiceError.fail(ErrorCode.UNAVAILABLE, "The dashboard's projection or the tenant's day changed while it was checked; run the check again");
        }));
    });
  }

  private Future<Expected> sum(String tenantId, Expected expected, String afterId) {
    return variants.figuresPage(tenantId, afterId, PAGE).compose(page -> {
      page.forEach(expected::add);
      return page.size() < PAGE ? Future.succeededFuture(expected)
        : sum(tenantId, expected, page.get(page.size() - 1).getString(Fields.ID));
    });
  }

  private static List<Difference> differences(Compared compared) {
    List<Difference> differences = new ArrayList<>();
    DashboardTotals.Totals stored = DashboardTotals.Totals.of(compared.stored());
    FigureSums storedSums = new FigureSums();
    if (stored != null) storedSums.addWorth(stored.w(), 1).addAtMap(stored.at(), 1);
    JsonObject storedTotals = RecordCodec.toDocument(TotalSums.of(storedSums));
    JsonObject expectedTotals = RecordCodec.toDocument(TotalSums.of(compared.expected().sums));
    if (!storedTotals.equals(expectedTotals)) {
      differences.add(new Difference(DashboardTotals.TOTALS, null, storedTotals, expectedTotals));
    }
    for (String day : compared.expected().days) {
      JsonObject expected = compared.expected().sums.flowsOf(day);
      JsonObject flows = storedFlows(compared.storedDays().get(day), day);
      if (!flows.equals(expected)) differences.add(new Difference(DashboardTotals.DAYS, day, flows, expected));
    }
    return differences;
  }

  private static JsonObject storedFlows(JsonObject storedDay, String day) {
    FigureSums sums = new FigureSums();
    if (storedDay != null) sums.addFlows(day, storedDay, 1);
    return sums.flowsOf(day);
  }

  /** The totals first (readers tell a pass by them), then the days that differ. */
  private static Future<Void> rewrite(Unit unit, String tenantId, Compared compared) {
    FigureSums expected = compared.expected().sums;
    return DashboardTotals.write(unit, tenantId, compared.stored(), expected.worth(), expected.worthAt())
      .compose(written -> Steps.each(compared.expected().days, day -> {
        JsonObject storedDay = compared.storedDays().get(day);
        JsonObject flows = expected.flowsOf(day);
        if (storedFlows(storedDay, day).equals(flows)) return Future.succeededFuture();
        return DashboardTotals.writeDay(unit, tenantId, day, storedDay, DashboardTotals.Flows.of(flows));
      }));
  }

  /** The projection as the variants say it must be: their figures less their pending ones, added up page by page. */
  private static final class Expected {
    /** The days the variants keep (the tenant's last {@link VariantFigures#KEPT_DAYS}), oldest first. */
    private final List<String> days;
    private final FigureSums sums = new FigureSums();
    private long variants;

    Expected(List<String> days) {
      this.days = days;
    }

    void add(JsonObject variant) {
      variants++;
      sums.addWorth(variant.getJsonObject(VariantFigures.WORTH), 1).addWorthAt(variant.getJsonArray(VariantFigures.WORTH_AT), 1)
        .addPending(variant.getJsonObject(VariantFigures.PENDING), -1);
      JsonArray buckets = variant.getJsonArray(VariantFigures.DAYS);
      if (buckets != null) {
        buckets.forEach(o -> sums.addFlows(RecordCodec.fromDocument(Bucket.class, (JsonObject) o).d(), (JsonObject) o, 1));
      }
    }
  }
}
