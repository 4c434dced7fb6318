package io.stockroom.inventory;

import io.stockroom.auth.TenantSettings;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
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
  private static final List<String> DERIVED = List.of("low", "shortfall", "lowAt", VariantFigures.WORTH, VariantFigures.WORTH_AT);

  private final MongoClient mongo;
  private final Variants variants;
  private final StockKernel kernel;
  private final TenantSettings tenants;

  public FiguresRebuild(MongoClient mongo, StockKernel kernel) {
    this.mongo = mongo;
    this.variants = new Variants(mongo);
    this.kernel = kernel;
    this.tenants = new TenantSettings(mongo);
  }

  private record Checked(Map<String, JsonObject> variants, List<JsonObject> movements) {
  }

  /** {tenantId, checkedVariants, differing, differences: [{variantId, sku, fields}], fixed}. */
  public Future<JsonObject> run(String tenantId, boolean fix) {
    JsonObject report = new JsonObject().put("tenantId", tenantId).put("checkedVariants", 0L).put("differing", 0L)
      .put("differences", new JsonArray()).put("fixed", 0L);
    return tenants.today(tenantId).compose(today -> nextPage(tenantId, LocalDate.parse(today), null, fix, report)).map(report);
  }

  private Future<Void> nextPage(String tenantId, LocalDate today, String afterId, boolean fix, JsonObject report) {
    JsonObject filter = new Page(PAGE, afterId).filter(new JsonObject().put("tenantId", tenantId));
    FindOptions ids = new FindOptions().setFields(new JsonObject().put("_id", 1)).setSort(new JsonObject().put("_id", 1)).setLimit(PAGE);
    return mongo.findWithOptions(Variants.COLLECTION, filter, ids).compose(page -> {
      if (page.isEmpty()) return Future.succeededFuture();
      List<String> pageIds = page.stream().map(v -> v.getString("_id")).toList();
      return check(tenantId, today, pageIds, fix, report).compose(v -> page.size() < PAGE ? Future.succeededFuture()
        : nextPage(tenantId, today, pageIds.get(pageIds.size() - 1), fix, report));
    });
  }

  private Future<Void> check(String tenantId, LocalDate today, List<String> ids, boolean fix, JsonObject report) {
    String oldestShown = today.minusDays(VariantFigures.KEPT_DAYS - 1L).toString();
    return kernel.run(Work.<Checked>background("variants.rebuildFigures", tenantId)
      .locking(ids.stream().map(id -> LockKeys.variant(tenantId, id)).toList())
      .reading(() -> variants.findMany(tenantId, ids).compose(found -> movementsSince(tenantId, ids, oldestShown)
        .map(movements -> new Checked(found, movements))))
      .writing((unit, checked) -> {
        // the page's findings are the unit's answer, merged into the report once it committed: a rerun starts afresh
        Map<String, List<JsonObject>> byVariant = new TreeMap<>();
        checked.movements().forEach(m -> byVariant.computeIfAbsent(m.getString("variantId"), v -> new ArrayList<>()).add(m));
        List<JsonObject> wrong = new ArrayList<>();
        List<Map<String, JsonObject>> expectedDays = new ArrayList<>();
        JsonArray differences = new JsonArray();
        for (JsonObject variant : checked.variants().values()) {
          Map<String, JsonObject> days = VariantFigures.bucketsOf(byVariant.getOrDefault(variant.getString("_id"), List.of()), oldestShown);
          JsonArray fields = differences(variant, days, oldestShown);
          if (fields.isEmpty()) continue;
          wrong.add(variant);
          expectedDays.add(days);
          differences.add(new JsonObject().put("variantId", variant.getString("_id")).put("sku", variant.getString("sku")).put("fields", fields));
        }
        JsonObject page = new JsonObject().put("checked", checked.variants().size()).put("differences", differences)
          .put("fixed", fix ? wrong.size() : 0);
        if (!fix || wrong.isEmpty()) return Future.succeededFuture(Work.Done.of(Reply.ok(page)));
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < wrong.size(); i++) positions.add(i);
        return Steps.each(positions, i -> variants.figuresRebuilt(unit, wrong.get(i), expectedDays.get(i).values()))
          .map(v -> Work.Done.of(Reply.ok(page)));
      })).map(reply -> {
        JsonObject page = (JsonObject) reply.body();
        JsonArray listed = report.getJsonArray("differences");
        page.getJsonArray("differences").forEach(found -> {
          if (listed.size() < LISTED) listed.add(found);
        });
        report.put("checkedVariants", report.getLong("checkedVariants") + page.getInteger("checked"))
          .put("differing", report.getLong("differing") + page.getJsonArray("differences").size())
          .put("fixed", report.getLong("fixed") + page.getInteger("fixed"));
        return null;
      });
  }

  /** The movements of these variants from the first day shown on (with a margin for time zones, filtered by day after). */
  private Future<List<JsonObject>> movementsSince(String tenantId, List<String> ids, String oldestShown) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put("variantId", new JsonObject().put("$in", new JsonArray(ids)))
      .put("createdAt", new JsonObject().put("$gte", Mongo.date(LocalDate.parse(oldestShown).minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC))));
    FindOptions fields = new FindOptions().setFields(new JsonObject().put("variantId", 1).put("day", 1).put("type", 1)
      .put("quantity", 1).put("sold", 1));
    return mongo.findWithOptions(MovementRepository.COLLECTION, filter, fields);
  }

  /** The names of the stored figures that differ from what the variant and its ledger say. */
  static JsonArray differences(JsonObject variant, Map<String, JsonObject> ledgerDays, String oldestShown) {
    JsonArray fields = new JsonArray();
    JsonObject derived = StockLevels.lowFields(variant).mergeIn(VariantFigures.worth(variant));
    for (String field : DERIVED) {
      if (!canonical(derived.getValue(field)).equals(canonical(variant.getValue(field)))) fields.add(field);
    }
    Map<String, Object> stored = new TreeMap<>();
    long cap = 0;
    for (Object o : variant.getJsonArray(VariantFigures.DAYS, new JsonArray())) {
      JsonObject day = (JsonObject) o;
      cap += Math.max(0, day.getLong("u", 0L));
      if (day.getString("d").compareTo(oldestShown) >= 0) stored.put(day.getString("d"), canonical(day));
    }
    Map<String, Object> expected = new TreeMap<>();
    ledgerDays.forEach((day, bucket) -> expected.put(day, canonical(bucket)));
    if (!stored.equals(expected)) fields.add(VariantFigures.DAYS);
    if (cap != variant.getLong(VariantFigures.SALES_CAP, 0L)) fields.add(VariantFigures.SALES_CAP);
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
