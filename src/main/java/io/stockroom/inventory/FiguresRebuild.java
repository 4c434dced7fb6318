package io.stockroom.inventory;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recomputes every figure the dashboard reads from a tenant's variants ({@link VariantFigures}, the low-stock fields)
 * from the ledger and the variants themselves, page by page under the variants' locks, and reports each variant whose
 * stored figures differ; with {@code fix}, the same unit writes the recomputed ones. The day buckets are compared over
 * the days the dashboard can show (the tenant's last {@link VariantFigures#KEPT_DAYS} days), from the movements of
 * those days. Run from the management port: {@code POST /tenants/{tenantId}/figures/rebuild[?fix=true]}.
 */
public final class FiguresRebuild {
  static final int PAGE = 100;
  /** Differences listed in the answer; the count covers them all. */
  static final int LISTED = 1_000;
  private static final List<String> DERIVED = List.of(Variant.LOW, Variant.SHORTFALL, Variant.LOW_AT, VariantFigures.WORTH, VariantFigures.WORTH_AT);

  private final Variants variants;
  private final MovementRepository movements;
  private final StockKernel kernel;
  private final TenantSettings tenants;

  public FiguresRebuild(MongoClient mongo, StockKernel kernel) {
    this.variants = new Variants(mongo);
    this.movements = new MovementRepository(mongo);
    this.kernel = kernel;
    this.tenants = new TenantSettings(mongo);
  }

  private record Checked(Map<String, JsonObject> variants, List<JsonObject> movements) {
  }

  /** The management port's request: the tenant, and whether to write the recomputed figures ({@code fix}, false if absent). */
  record Command(String tenantId, boolean fix) {
    static Command of(JsonObject message) {
      return RecordCodec.api(Command.class).decode(message);
    }
  }

  /** What one variant's stored figures got wrong: the names of the fields that differ. */
  record Difference(String variantId, String sku, List<String> fields) {
  }

  /** One page's findings, the answer of its unit. */
  private record Found(int checked, List<Difference> differences, int fixed) {
  }

  /** {tenantId, checkedVariants, differing, differences: [{variantId, sku, fields}], fixed}. */
  private record Report(String tenantId, long checkedVariants, long differing, List<Difference> differences, long fixed) {
    Report plus(Found page) {
      List<Difference> listed = new ArrayList<>(differences);
      page.differences().forEach(found -> {
        if (listed.size() < LISTED) listed.add(found);
      });
      return new Report(tenantId, checkedVariants + page.checked(), differing + page.differences().size(), listed,
        fixed + page.fixed());
    }
  }

  /** {tenantId, checkedVariants, differing, differences: [{variantId, sku, fields}], fixed}. */
  public Future<JsonObject> run(String tenantId, boolean fix) {
    Report[] report = {new Report(tenantId, 0, 0, List.of(), 0)};
    return tenants.today(tenantId).compose(today -> nextPage(tenantId, LocalDate.parse(today), null, fix, report))
      .map(v -> RecordCodec.toApi(report[0]));
  }

  private Future<Void> nextPage(String tenantId, LocalDate today, String afterId, boolean fix, Report[] report) {
    JsonObject filter = new Page(PAGE, afterId).filter(Ops.where(Fields.TENANT_ID, tenantId));
    FindOptions ids = new FindOptions().setFields(Ops.only(Fields.ID)).setSort(Ops.sort(Fields.ID)).setLimit(PAGE);
    return variants.find(filter, ids).compose(page -> {
      if (page.isEmpty()) return Future.succeededFuture();
      List<String> pageIds = page.stream().map(v -> Variant.of(v).id()).toList();
      return check(tenantId, today, pageIds, fix, report).compose(v -> page.size() < PAGE ? Future.succeededFuture()
        : nextPage(tenantId, today, pageIds.get(pageIds.size() - 1), fix, report));
    });
  }

  private Future<Void> check(String tenantId, LocalDate today, List<String> ids, boolean fix, Report[] report) {
    String oldestShown = today.minusDays(VariantFigures.KEPT_DAYS - 1L).toString();
    return kernel.run(Work.<Checked>background("variants.rebuildFigures", tenantId)
      .locking(ids.stream().map(id -> Variants.LOCK.key(tenantId, id)).toList())
      .reading(() -> variants.findMany(tenantId, ids).compose(found -> movementsSince(tenantId, ids, oldestShown)
        .map(movements -> new Checked(found, movements))))
      .writing((unit, checked) -> {
        // the page's findings are the unit's answer, merged into the report once it committed: a rerun starts afresh
        Map<String, List<JsonObject>> byVariant = new TreeMap<>();
        checked.movements().forEach(m -> byVariant.computeIfAbsent(Movement.of(m).variantId(), v -> new ArrayList<>()).add(m));
        List<JsonObject> wrong = new ArrayList<>();
        List<Map<String, VariantFigures.Day>> expectedDays = new ArrayList<>();
        List<Difference> differences = new ArrayList<>();
        for (JsonObject variant : checked.variants().values()) {
          Variant typed = Variant.of(variant);
          Map<String, VariantFigures.Day> days = VariantFigures.daysOf(byVariant.getOrDefault(typed.id(), List.of()), oldestShown);
          List<String> fields = differences(variant, days, oldestShown);
          if (fields.isEmpty()) continue;
          wrong.add(variant);
          expectedDays.add(days);
          differences.add(new Difference(typed.id(), typed.sku(), fields));
        }
        JsonObject page = RecordCodec.toApi(new Found(checked.variants().size(), differences, fix ? wrong.size() : 0));
        if (!fix || wrong.isEmpty()) return Future.succeededFuture(Work.Done.of(Reply.ok(page)));
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < wrong.size(); i++) positions.add(i);
        return Steps.each(positions, i -> variants.figuresRebuilt(unit, wrong.get(i), expectedDays.get(i).values()))
          .map(v -> Work.Done.of(Reply.ok(page)));
      })).map(reply -> {
        report[0] = report[0].plus(RecordCodec.api(Found.class).decode((JsonObject) reply.body()));
        return null;
      });
  }

  /** The movements of these variants from the first day shown on (with a margin for time zones, filtered by day after). */
  private Future<List<JsonObject>> movementsSince(String tenantId, List<String> ids, String oldestShown) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Movement.VARIANT_ID, Ops.in(ids))
      .put(Fields.CREATED_AT, Ops.gte(Mongo.date(LocalDate.parse(oldestShown).minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC))));
    FindOptions fields = new FindOptions().setFields(Ops.only(Movement.VARIANT_ID, Movement.DAY, Movement.TYPE, Movement.QUANTITY,
      Movement.SOLD));
    return movements.find(filter, fields);
  }

  /** The names of the stored figures that differ from what the variant and its ledger say. */
  static List<String> differences(JsonObject variant, Map<String, VariantFigures.Day> ledgerDays, String oldestShown) {
    List<String> fields = new ArrayList<>();
    Variant typed = Variant.of(variant);
    JsonObject derived = typed.lowFields().toDocument().mergeIn(VariantFigures.worth(typed).toDocument());
    for (String field : DERIVED) {
      if (!canonical(derived.getValue(field)).equals(canonical(variant.getValue(field)))) fields.add(field);
    }
    Map<String, Object> stored = new TreeMap<>();
    long cap = 0;
    for (VariantFigures.Day day : typed.days()) {
      cap += Math.max(0, day.u());
      if (day.d().compareTo(oldestShown) >= 0) stored.put(day.d(), canonical(day.toDocument()));
    }
    Map<String, Object> expected = new TreeMap<>();
    ledgerDays.forEach((day, bucket) -> expected.put(day, canonical(bucket.toDocument())));
    if (!stored.equals(expected)) fields.add(VariantFigures.DAYS);
    if (cap != typed.salesCap()) fields.add(VariantFigures.SALES_CAP);
    return fields;
  }

  /** A value with its amounts as digits and zero counters left out, so equal figures compare equal. */
  private static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> sorted = new TreeMap<>();
      object.forEach(e -> {
        Object v = canonical(e.getValue());
        if (!(v instanceof Long n && n == 0L) && !"0".equals(v)) sorted.put(e.getKey(), v);
      });
      return sorted;
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(canonical(item)));
      return list;
    }
    if (value instanceof BigDecimal decimal) return decimal.toBigIntegerExact().toString();
    if (value instanceof Integer n) return n.longValue();
    return value;
  }
}
