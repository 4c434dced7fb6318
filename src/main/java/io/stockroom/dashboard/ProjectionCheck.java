package io.stockroom.dashboard;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.outbox.UnitSettlement;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
  private static final List<String> WORTH = List.of("p", "c", "k", "n");
  private static final List<String> WORTH_AT = List.of("p", "c", "n");

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

  /** {@code {checkedVariants, differences: [{document, day?, stored, expected}], fixed}}. */
  public Future<JsonObject> run(String tenantId, boolean fix) {
    return tenants.today(tenantId).compose(today -> kernel.run(Work.<Compared>background("dashboard.check", tenantId)
        .locking(List.of(LockKeys.dashboard(tenantId)))
        .reading(() -> compared(tenantId, keptDays(LocalDate.parse(today))))
        .writing((unit, compared) -> {
          JsonArray differences = differences(compared);
          JsonObject report = new JsonObject().put("checkedVariants", compared.expected().variants)
            .put("differences", differences).put("fixed", fix && !differences.isEmpty());
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
   * undone), the kept days and every variant, page by page.
   */
  private Future<Compared> compared(String tenantId, List<String> days) {
    return totals.totals(tenantId).compose(stored -> {
      String pass = stored == null ? null : stored.getString("pass");
      return (pass == null ? Future.succeededFuture(true) : settlement.among(List.of(pass)).map(unsettled -> unsettled.settled(pass)))
        .compose(settled -> settled ? totals.days(tenantId, days)
          : ServiceError.fail(ErrorCode.UNAVAILABLE, "The dashboard's last projector pass has not finished yet; retry shortly"))
        .compose(storedDays -> sum(tenantId, new Expected(days), null).map(expected -> {
          Map<String, JsonObject> byDay = new TreeMap<>();
          storedDays.forEach(day -> byDay.put(day.getString("day"), day));
          return new Compared(stored, byDay, expected);
        }));
    });
  }

  private Future<Expected> sum(String tenantId, Expected expected, String afterId) {
    return variants.figuresPage(tenantId, afterId, PAGE).compose(page -> {
      page.forEach(expected::add);
      return page.size() < PAGE ? Future.succeededFuture(expected) : sum(tenantId, expected, page.get(page.size() - 1).getString("_id"));
    });
  }

  private static JsonArray differences(Compared compared) {
    JsonArray differences = new JsonArray();
    JsonObject stored = compared.stored() == null ? new JsonObject() : compared.stored();
    JsonObject storedTotals = new JsonObject().put("w", canonicalWorth(stored.getJsonObject("w", new JsonObject()), WORTH))
      .put("at", canonicalAt(stored.getJsonObject("at", new JsonObject())));
    JsonObject expectedTotals = new JsonObject().put("w", compared.expected().worth()).put("at", compared.expected().worthAt());
    if (!storedTotals.equals(expectedTotals)) {
      differences.add(new JsonObject().put("document", DashboardTotals.TOTALS).put("stored", storedTotals).put("expected", expectedTotals));
    }
    compared.expected().flows().forEach((day, expected) -> {
      JsonObject storedDay = compared.storedDays().get(day);
      JsonObject flows = storedDay == null ? Expected.noFlows()
        : new JsonObject().put("i", canonicalCounts(storedDay.getJsonObject("i", new JsonObject())))
          .put("o", canonicalCounts(storedDay.getJsonObject("o", new JsonObject())));
      if (!flows.equals(expected)) {
        differences.add(new JsonObject().put("document", DashboardTotals.DAYS).put("day", day).put("stored", flows).put("expected", expected));
      }
    });
    return differences;
  }

  /** The totals first (readers tell a pass by them), then the days that differ. */
  private static Future<Void> rewrite(Unit unit, String tenantId, Compared compared) {
    Expected expected = compared.expected();
    return DashboardTotals.write(unit, tenantId, compared.stored(), expected.worth(), expected.worthAt())
      .compose(written -> Steps.each(expected.flows().entrySet(), day -> {
        JsonObject storedDay = compared.storedDays().get(day.getKey());
        boolean same = storedDay == null ? day.getValue().equals(Expected.noFlows())
          : canonicalCounts(storedDay.getJsonObject("i", new JsonObject())).equals(day.getValue().getJsonObject("i"))
            && canonicalCounts(storedDay.getJsonObject("o", new JsonObject())).equals(day.getValue().getJsonObject("o"));
        if (same) return Future.succeededFuture();
        return DashboardTotals.writeDay(unit, tenantId, day.getKey(), storedDay, day.getValue().getJsonObject("i"), day.getValue().getJsonObject("o"));
      }));
  }

  private static JsonObject canonicalWorth(JsonObject sums, List<String> fields) {
    JsonObject canonical = new JsonObject();
    for (String field : fields) canonical.put(field, Amounts.stored(VariantFigures.amount(sums, field)));
    return canonical;
  }

  private static JsonObject canonicalAt(JsonObject at) {
    JsonObject canonical = new JsonObject();
    at.forEach(e -> {
      JsonObject sums = canonicalWorth((JsonObject) e.getValue(), WORTH_AT);
      if (!isZero(sums)) canonical.put(e.getKey(), sums);
    });
    return canonical;
  }

  private static JsonObject canonicalCounts(JsonObject counts) {
    JsonObject canonical = new JsonObject();
    for (MovementType type : MovementType.FLOWS) {
      long units = counts.getLong(type.name(), 0L);
      if (units != 0) canonical.put(type.name(), units);
    }
    return canonical;
  }

  private static boolean isZero(JsonObject sums) {
    return sums.stream().allMatch(e -> Amounts.of(e.getValue()).signum() == 0);
  }

  /** The projection as the variants say it must be, added up page by page. */
  private static final class Expected {
    private final List<String> days;
    private final Map<String, BigInteger> worth = new TreeMap<>();
    private final Map<String, Map<String, BigInteger>> worthAt = new TreeMap<>();
    /** day -> "i"/"o" -> type -> units */
    private final Map<String, Map<String, Map<String, Long>>> flows = new TreeMap<>();
    private long variants;

    Expected(List<String> days) {
      this.days = days;
    }

    static JsonObject noFlows() {
      return new JsonObject().put("i", new JsonObject()).put("o", new JsonObject());
    }

    /** Adds the variant's figures less its pending ones. */
    void add(JsonObject variant) {
      variants++;
      JsonObject pending = objectOf(variant, VariantFigures.PENDING);
      JsonObject own = objectOf(variant, VariantFigures.WORTH);
      JsonObject pendingWorth = objectOf(pending, "w");
      for (String field : WORTH) {
        worth.merge(field, VariantFigures.amount(own, field).subtract(VariantFigures.amount(pendingWorth, field)), BigInteger::add);
      }
      arrayOf(variant, VariantFigures.WORTH_AT).forEach(o -> addAt(((JsonObject) o).getString("l"), (JsonObject) o, 1));
      objectOf(pending, "at").forEach(e -> addAt(e.getKey(), (JsonObject) e.getValue(), -1));
      arrayOf(variant, VariantFigures.DAYS).forEach(o -> {
        JsonObject bucket = (JsonObject) o;
        addFlows(bucket.getString("d"), bucket, 1);
      });
      objectOf(pending, "f").forEach(e -> addFlows(e.getKey(), (JsonObject) e.getValue(), -1));
    }

    private static JsonArray arrayOf(JsonObject document, String field) {
      JsonArray value = document.getJsonArray(field);
      return value == null ? new JsonArray() : value;
    }

    /** The field's object; empty when it is absent or null (figures the variant does not have). */
    private static JsonObject objectOf(JsonObject document, String field) {
      JsonObject value = document.getJsonObject(field);
      return value == null ? new JsonObject() : value;
    }

    private void addAt(String location, JsonObject sums, int sign) {
      Map<String, BigInteger> at = worthAt.computeIfAbsent(location, l -> new TreeMap<>());
      for (String field : WORTH_AT) {
        BigInteger amount = VariantFigures.amount(sums, field);
        at.merge(field, sign > 0 ? amount : amount.negate(), BigInteger::add);
      }
    }

    private void addFlows(String day, JsonObject dayFlows, int sign) {
      if (!days.contains(day)) return;
      Map<String, Map<String, Long>> sides = flows.computeIfAbsent(day, d -> new TreeMap<>());
      for (String side : List.of("i", "o")) {
        JsonObject counts = dayFlows.getJsonObject(side, new JsonObject());
        for (MovementType type : MovementType.FLOWS) {
          long units = counts.getLong(type.name(), 0L);
          if (units != 0) sides.computeIfAbsent(side, s -> new TreeMap<>()).merge(type.name(), sign * units, Long::sum);
        }
      }
    }

    JsonObject worth() {
      JsonObject sums = new JsonObject();
      for (String field : WORTH) sums.put(field, Amounts.stored(worth.getOrDefault(field, BigInteger.ZERO)));
      return sums;
    }

    JsonObject worthAt() {
      JsonObject at = new JsonObject();
      worthAt.forEach((location, sums) -> {
        JsonObject fields = new JsonObject();
        for (String field : WORTH_AT) fields.put(field, Amounts.stored(sums.getOrDefault(field, BigInteger.ZERO)));
        if (!isZero(fields)) at.put(location, fields);
      });
      return at;
    }

    /** Every kept day, with its flows in and out (zero counts left out). */
    Map<String, JsonObject> flows() {
      Map<String, JsonObject> byDay = new TreeMap<>();
      for (String day : days) {
        Map<String, Map<String, Long>> sides = flows.getOrDefault(day, Map.of());
        JsonObject both = noFlows();
        sides.forEach((side, counts) -> counts.forEach((type, units) -> {
          if (units != 0) both.getJsonObject(side).put(type, units);
        }));
        byDay.put(day, both);
      }
      return byDay;
    }
  }
}
