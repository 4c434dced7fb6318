package io.stockroom.dashboard;

import io.stockroom.platform.money.Amounts;
import io.stockroom.inventory.StockProjection;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps each variant's {@code sales30} counters equal to its sales net of returns over the tenant's last 30 days
 * (today included). Sales are added as they happen (in the stock unit of work); this background job expires whole
 * days as they leave the window: for each expired day, one unit of work under the tenant's dashboard lock and the
 * locks of that day's variants subtracts the day's per-variant sales (kept in the daily rollup) and advances the
 * tenant's {@code windowStart} by compare-and-set. Every instance may run it at once: the lock avoids wasted work and
 * the compare-and-set makes a second run of the same day a no-op. Reads never move the window.
 */
public final class SalesWindow {
  public static final String STATE = "dashboard_state";
  public static final int DAYS = 30;

  private final MongoClient mongo;
  private final Variants variants;
  private final StockKernel kernel;

  public SalesWindow(MongoClient mongo, StockKernel kernel, StockProjection projection) {
    this.mongo = mongo;
    this.variants = new Variants(mongo, projection);
    this.kernel = kernel;
  }

  /** Expires every day before {@code today - 29}, one day (one unit) at a time; a no-op when the window is current. */
  public Future<Void> advance(String tenantId, LocalDate today, LocalDate tenantCreated) {
    LocalDate target = today.minusDays(DAYS - 1);
    return state(tenantId, tenantCreated).compose(state -> {
      List<LocalDate> days = new ArrayList<>();
      for (LocalDate d = LocalDate.parse(state.getString("windowStart")); d.isBefore(target); d = d.plusDays(1)) days.add(d);
      return Steps.each(days, day -> expireDay(tenantId, day));
    });
  }

  private Future<JsonObject> state(String tenantId, LocalDate tenantCreated) {
    JsonObject byId = Mongo.byId(tenantId, tenantId);
    return mongo.findOne(STATE, byId, null).compose(state -> {
      if (state != null) return Future.succeededFuture(state);
      JsonObject initial = byId.copy().put("windowStart", tenantCreated.toString()).put("version", 0L);
      return mongo.insert(STATE, initial).map(initial)
        .recover(err -> Mongo.isDuplicateKey(err) ? mongo.findOne(STATE, byId, null) : Future.failedFuture(err));
    });
  }

  private record Expiry(JsonObject state, JsonObject sales, Map<String, JsonObject> variants) {
  }

  private Future<Void> expireDay(String tenantId, LocalDate day) {
    return kernel.run(Work.<Expiry>background("dashboard.expireDay", tenantId)
      .locking(List.of(LockKeys.dashboard(tenantId)))
      .reading(() -> Future.all(mongo.findOne(STATE, Mongo.byId(tenantId, tenantId), null),
          mongo.findWithOptions(DashboardProjection.DAILY, new JsonObject().put("tenantId", tenantId).put("_id", new JsonObject().put("$in",
            new JsonArray(DashboardProjection.dailyIds(tenantId, List.of(day.toString()))))), new FindOptions().setFields(new JsonObject().put("sales", 1))))
        .compose(both -> {
          JsonObject sales = new JsonObject();
          both.<List<JsonObject>>resultAt(1).forEach(shard -> sales.mergeIn(shard.getJsonObject("sales", new JsonObject())));
          return variants.getAll(tenantId, sales.fieldNames()).map(found -> new Expiry(both.resultAt(0), sales, found));
        }))
      .thenLocking(expiry -> expiry.sales().fieldNames().stream().map(id -> LockKeys.variant(tenantId, id)).toList())
      .writing((unit, expiry) -> {
        if (!day.toString().equals(expiry.state().getString("windowStart"))) {
          return Future.succeededFuture(Work.Done.of(null));
        }
        return Steps.each(expiry.variants().values(), variant -> {
            JsonObject sold = expiry.sales().getJsonObject(variant.getString("_id"));
            long units = sold.getLong("u", 0L);
            java.math.BigInteger revenue = Amounts.of(sold.getValue("r"));
            return units == 0 && revenue.signum() == 0 ? Future.succeededFuture() : variants.salesExpired(unit, variant, units, revenue);
          })
          .compose(v -> unit.compareAndSet(STATE, expiry.state(), null,
            new JsonObject().put("windowStart", day.plusDays(1).toString()), null))
          .compose(moved -> moved == null
            ? ServiceError.<Work.Done>fail(ErrorCode.CONFLICT, "The sales window moved concurrently")
            : Future.succeededFuture(Work.Done.of(null)));
      })).mapEmpty();
  }
}
