package io.stockroom.inventory;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Background upkeep of the variants' day buckets ({@link VariantFigures}): a variant that stopped moving keeps its
 * last days, and with them a {@code salesCap} that the top-seller walk has to step over. Once its latest day has left
 * every dashboard window (in every time zone), its buckets go. Each pass takes at most {@link #BATCH} such variants,
 * over every tenant, and empties them in one unit per tenant under their locks: a bounded unit, whatever the size of
 * the tenant.
 */
public final class ExpiredDays {
  static final int BATCH = 100;

  private final Variants variants;
  private final StockKernel kernel;
  private final TenantSettings tenants;

  public ExpiredDays(MongoClient mongo, StockKernel kernel) {
    this.variants = new Variants(mongo);
    this.kernel = kernel;
    this.tenants = new TenantSettings(mongo);
  }

  /** @return how many variants had their buckets emptied */
  public Future<Integer> sweep() {
    // one day more than a window keeps, so that a tenant east of UTC never loses a day it still shows
    String cutoff = LocalDate.now(ZoneOffset.UTC).minusDays(VariantFigures.KEPT_DAYS).toString();
    JsonObject stale = Ops.where(VariantFigures.LAST_DAY, Ops.lt(cutoff)).put(VariantFigures.SALES_CAP, Ops.gt(0));
    FindOptions options = new FindOptions().setLimit(BATCH).setFields(Ops.only(Fields.TENANT_ID));
    return variants.find(stale, options).compose(found -> {
      Map<String, List<String>> byTenant = new TreeMap<>();
      found.stream().map(Variant::of).forEach(v -> byTenant.computeIfAbsent(v.tenantId(), t -> new ArrayList<>()).add(v.id()));
      List<Integer> emptied = new ArrayList<>();
      return Steps.each(byTenant.entrySet(), tenant -> expire(tenant.getKey(), tenant.getValue()).map(emptied::add))
        .map(v -> emptied.stream().mapToInt(Integer::intValue).sum());
    });
  }

  private Future<Integer> expire(String tenantId, List<String> ids) {
    return tenants.today(tenantId).compose(today -> kernel.run(Work.<Map<String, JsonObject>>background("variants.expireDays", tenantId)
        .locking(ids.stream().map(id -> Variants.LOCK.key(tenantId, id)).toList())
        .reading(() -> variants.findMany(tenantId, ids))
        .writing((unit, found) -> {
          String oldestShown = LocalDate.parse(today).minusDays(VariantFigures.KEPT_DAYS - 1L).toString();
          List<JsonObject> due = found.values().stream()
            .filter(v -> {
              String lastDay = Variant.of(v).lastDay();
              return lastDay != null && lastDay.compareTo(oldestShown) < 0;
            }).toList();
          return Steps.each(due, v -> variants.daysExpired(unit, v, oldestShown))
            .map(v -> new Work.Done(Reply.ok(due.size()), () -> { }));
        })))
      .map(reply -> (Integer) reply.body());
  }
}
