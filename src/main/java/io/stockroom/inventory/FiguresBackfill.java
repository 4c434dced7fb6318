package io.stockroom.inventory;

import io.stockroom.auth.TenantSettings;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upgrade step (run by {@code migrate}, before the new release serves): variants written before they kept their own
 * dashboard figures get them ({@link VariantFigures}: worth from the variant, day buckets from the movements of the
 * days a dashboard can show). Those movements carry no sales figures yet; the older release kept each day's sales per
 * variant in the {@code daily_stock} rollups, which are read for them here (and nowhere else). Each update applies
 * only while the variant still lacks its figures, so a second run finds nothing.
 */
public final class FiguresBackfill {
  static final String LEGACY_DAILY = "daily_stock";
  /** The day figures of an older release, replaced by the day buckets. */
  private static final String LEGACY_SALES = "sales30";
  private static final int LEGACY_SHARDS = 8;
  private static final int PAGE = 200;

  private final MongoClient mongo;
  private final Variants variants;
  private final MovementRepository movements;
  private final TenantSettings tenants;

  public FiguresBackfill(MongoClient mongo) {
    this.mongo = mongo;
    this.variants = new Variants(mongo);
    this.movements = new MovementRepository(mongo);
    this.tenants = new TenantSettings(mongo);
  }

  /** @return how many variants got their figures */
  public Future<Long> run() {
    return page(0L);
  }

  private Future<Long> page(long doneSoFar) {
    JsonObject pending = Ops.where(VariantFigures.WORTH, Ops.exists(false));
    return variants.find(pending, new FindOptions().setLimit(PAGE)).compose(variants -> {
      List<Long> updated = new ArrayList<>();
      return Steps.each(variants, variant -> backfill(variant).map(updated::add))
        .compose(v -> {
          long done = updated.stream().mapToLong(Long::longValue).sum();
          return variants.size() < PAGE || done == 0 ? Future.succeededFuture(doneSoFar + done) : page(doneSoFar + done);
        });
    });
  }

  private Future<Long> backfill(JsonObject stored) {
    Variant variant = Variant.of(stored);
    String tenantId = variant.tenantId();
    String variantId = variant.id();
    return tenants.today(tenantId).compose(today -> {
      String oldestShown = LocalDate.parse(today).minusDays(VariantFigures.KEPT_DAYS - 1L).toString();
      JsonObject recent = Ops.where(Fields.TENANT_ID, tenantId).put(Movement.VARIANT_ID, variantId)
        .put(Fields.CREATED_AT, Ops.gte(Mongo.date(LocalDate.parse(oldestShown).minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC))));
      return Future.all(movements.find(recent), legacySales(tenantId, variantId, oldestShown, today))
        .compose(both -> {
          Map<String, VariantFigures.Day> days = VariantFigures.daysOf(both.resultAt(0), oldestShown);
          both.<Map<String, Movement.Sold>>resultAt(1).forEach((day, sold) -> {
            VariantFigures.Day bucket = days.getOrDefault(day, VariantFigures.Day.empty(day));
            days.put(day, new VariantFigures.Day(day, bucket.i(), bucket.o(), sold.u(), sold.revenue()));
          });
          VariantFigures.DayFields dayFields = VariantFigures.dayFieldsOf(days.values());
          JsonObject set = variant.lowFields().toDocument().mergeIn(VariantFigures.worth(variant).toDocument())
            .mergeIn(dayFields.toDocument());
          Variant figured = Variant.of(stored.copy().mergeIn(set));
          set.mergeIn(VariantFigures.pendingFromScratch(figured, days.values()).toFields());
          JsonObject filter = Mongo.byId(tenantId, variantId).put(VariantFigures.WORTH, Ops.exists(false));
          return variants.backfillFigures(filter, Ops.merge(Ops.set(set), Ops.unset(LEGACY_SALES)))
            .map(result -> result.getDocModified());
        });
    });
  }

  /** The variant's sales per day as the older release's daily rollups kept them ({@code sales.<variantId>: {u, r}}). */
  private Future<Map<String, Movement.Sold>> legacySales(String tenantId, String variantId, String oldestShown, String today) {
    int shard = Math.floorMod(variantId.hashCode(), LEGACY_SHARDS);
    JsonArray ids = new JsonArray();
    for (LocalDate d = LocalDate.parse(oldestShown); !d.isAfter(LocalDate.parse(today)); d = d.plusDays(1)) {
      ids.add(tenantId + ":" + d + ":" + shard);
    }
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Fields.ID, Ops.in(ids));
    return mongo.findWithOptions(LEGACY_DAILY, filter, new FindOptions().setFields(Ops.only(LegacyRollup.DAY, LegacyRollup.SALES + "." + variantId)))
      .map(rollups -> {
        Map<String, Movement.Sold> byDay = new java.util.TreeMap<>();
        for (JsonObject stored : rollups) {
          LegacyRollup rollup = RecordCodec.fromDocument(LegacyRollup.class, stored);
          Movement.Sold sold = rollup.sales() == null ? null : rollup.sales().get(variantId);
          if (sold != null) byDay.put(rollup.day(), sold);
        }
        return byDay;
      });
  }

  /** An older release's daily rollup, as far as it is read here: the day, and units sold and revenue per variant. */
  private record LegacyRollup(String day, Map<String, Movement.Sold> sales) {
    static final String DAY = "day";
    static final String SALES = "sales";
  }
}
