package io.stockroom.inventory;

import io.stockroom.auth.TenantSettings;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

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
  private static final int LEGACY_SHARDS = 8;
  private static final int PAGE = 200;

  private final MongoClient mongo;
  private final TenantSettings tenants;

  public FiguresBackfill(MongoClient mongo) {
    this.mongo = mongo;
    this.tenants = new TenantSettings(mongo);
  }

  /** @return how many variants got their figures */
  public Future<Long> run() {
    return page(0L);
  }

  private Future<Long> page(long doneSoFar) {
    JsonObject pending = new JsonObject().put(VariantFigures.WORTH, new JsonObject().put("$exists", false));
    return mongo.findWithOptions(Variants.COLLECTION, pending, new FindOptions().setLimit(PAGE)).compose(variants -> {
      List<Long> updated = new ArrayList<>();
      return Steps.each(variants, variant -> backfill(variant).map(updated::add))
        .compose(v -> {
          long done = updated.stream().mapToLong(Long::longValue).sum();
          return variants.size() < PAGE || done == 0 ? Future.succeededFuture(doneSoFar + done) : page(doneSoFar + done);
        });
    });
  }

  private Future<Long> backfill(JsonObject variant) {
    String tenantId = variant.getString("tenantId");
    String variantId = variant.getString("_id");
    return tenants.today(tenantId).compose(today -> {
      String oldestShown = LocalDate.parse(today).minusDays(VariantFigures.KEPT_DAYS - 1L).toString();
      JsonObject recent = new JsonObject().put("tenantId", tenantId).put("variantId", variantId)
        .put("createdAt", new JsonObject().put("$gte", Mongo.date(LocalDate.parse(oldestShown).minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC))));
      return Future.all(mongo.find(MovementRepository.COLLECTION, recent), legacySales(tenantId, variantId, oldestShown, today))
        .compose(both -> {
          Map<String, JsonObject> days = VariantFigures.bucketsOf(both.resultAt(0), oldestShown);
          both.<Map<String, JsonObject>>resultAt(1).forEach((day, sold) -> days.computeIfAbsent(day, VariantFigures::emptyDay)
            .put("u", sold.getLong("u", 0L)).put("r", Amounts.stored(Amounts.of(sold.getValue("r")))));
          JsonObject set = StockLevels.lowFields(variant).mergeIn(VariantFigures.worth(variant))
            .mergeIn(VariantFigures.dayFields(days.values()));
          set.mergeIn(VariantFigures.pendingFromScratch(variant.copy().mergeIn(set), days.values()));
          JsonObject filter = new JsonObject().put("_id", variantId).put("tenantId", tenantId)
            .put(VariantFigures.WORTH, new JsonObject().put("$exists", false));
          return mongo.updateCollectionWithOptions(Variants.COLLECTION, filter,
              new JsonObject().put("$set", set).put("$unset", new JsonObject().put("sales30", "")), new UpdateOptions())
            .map(result -> result.getDocModified());
        });
    });
  }

  /** The variant's sales per day as the older release's daily rollups kept them ({@code sales.<variantId>: {u, r}}). */
  private Future<Map<String, JsonObject>> legacySales(String tenantId, String variantId, String oldestShown, String today) {
    int shard = Math.floorMod(variantId.hashCode(), LEGACY_SHARDS);
    JsonArray ids = new JsonArray();
    for (LocalDate d = LocalDate.parse(oldestShown); !d.isAfter(LocalDate.parse(today)); d = d.plusDays(1)) {
      ids.add(tenantId + ":" + d + ":" + shard);
    }
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put("_id", new JsonObject().put("$in", ids));
    return mongo.findWithOptions(LEGACY_DAILY, filter, new FindOptions().setFields(new JsonObject().put("day", 1).put("sales." + variantId, 1)))
      .map(rollups -> {
        Map<String, JsonObject> byDay = new java.util.TreeMap<>();
        for (JsonObject rollup : rollups) {
          JsonObject sold = rollup.getJsonObject("sales", new JsonObject()).getJsonObject(variantId);
          if (sold != null) byDay.put(rollup.getString("day"), sold);
        }
        return byDay;
      });
  }
}
