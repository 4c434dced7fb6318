package io.stockroom.dashboard;

import io.stockroom.catalog.VariantRepository;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockRollups;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.UnitRunner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.LocalDate;
import java.util.List;

/**
 * Keeps each variant's {@code sales30} counters equal to its sales net of returns over the tenant's last 30 days
 * (today included). Sales are added as they happen (in the stock unit of work); this class expires whole days as they
 * leave the window: for each expired day it subtracts that day's per-variant sales (kept in the daily rollup) and
 * advances the tenant's {@code windowStart}, as one unit of work under the tenant's dashboard lock. The work per day
 * is bounded by that day's activity, never by history.
 */
public final class SalesWindow {
  public static final String STATE = "dashboard_state";
  public static final int DAYS = 30;

  private final MongoClient mongo;
  private final LockManager locks;
  private final UnitRunner units;

  public SalesWindow(MongoClient mongo, LockManager locks, UnitRunner units) {
    this.mongo = mongo;
    this.locks = locks;
    this.units = units;
  }

  /** Expires every day before {@code today - 29}; a no-op (one lookup) when the window is current. */
  public Future<Void> advance(String tenantId, LocalDate today, LocalDate tenantCreated) {
    LocalDate target = today.minusDays(DAYS - 1);
    return windowStart(tenantId, tenantCreated).compose(start -> !start.isBefore(target)
      ? Future.succeededFuture()
      : locks.acquire(List.of("lock:dashboard:" + tenantId)).compose(lease ->
          windowStart(tenantId, tenantCreated).compose(current -> expireUntil(tenantId, current, target))
            .eventually(lease::release)));
  }

  private Future<LocalDate> windowStart(String tenantId, LocalDate tenantCreated) {
    return mongo.findOne(STATE, new JsonObject().put("_id", tenantId), null).compose(state -> {
      if (state != null) return Future.succeededFuture(LocalDate.parse(state.getString("windowStart")));
      JsonObject initial = new JsonObject().put("_id", tenantId).put("tenantId", tenantId).put("windowStart", tenantCreated.toString());
      return mongo.insert(STATE, initial).map(tenantCreated)
        .recover(err -> Mongo.isDuplicateKey(err) ? windowStart(tenantId, tenantCreated) : Future.failedFuture(err));
    });
  }

  private Future<Void> expireUntil(String tenantId, LocalDate day, LocalDate target) {
    if (!day.isBefore(target)) return Future.succeededFuture();
    return expireDay(tenantId, day).compose(v -> expireUntil(tenantId, day.plusDays(1), target));
  }

  /**
   * Subtracts one day's per-variant sales as one unit of work, holding those variants' locks so the top-seller
   * candidates in the dashboard totals are written in the same order as the sales themselves.
   */
  private Future<Void> expireDay(String tenantId, LocalDate day) {
    JsonObject fields = new JsonObject().put("sales", 1);
    return mongo.findOne(StockLedger.DAILY, new JsonObject().put("_id", StockLedger.dailyId(tenantId, day.toString())), fields)
      .compose(daily -> {
        JsonObject sales = daily == null ? new JsonObject() : daily.getJsonObject("sales", new JsonObject());
        List<String> keys = sales.fieldNames().stream().map(id -> LockManager.variantKey(tenantId, id)).toList();
        return locks.acquire(keys).compose(lease -> units.run("dashboard.expireDay", tenantId, unit -> {
          Future<Void> chain = Future.succeededFuture();
          for (String variantId : sales.fieldNames()) {
            JsonObject sold = sales.getJsonObject(variantId);
            long units = sold.getLong("u", 0L);
            long revenue = sold.getLong("r", 0L);
            if (units == 0 && revenue == 0) continue;
            JsonObject dec = new JsonObject().put("sales30.u", -units).put("sales30.r", -revenue);
            JsonObject inc = new JsonObject().put("sales30.u", units).put("sales30.r", revenue);
            chain = chain.compose(v -> unit.update(VariantRepository.COLLECTION, Mongo.byId(tenantId, variantId),
                new JsonObject().put("$inc", dec), new JsonObject().put("$inc", inc))
              .compose(after -> after == null ? Future.<Void>succeededFuture() : StockRollups.apply(unit, mongo, tenantId,
                withSales(after, units, revenue), after)));
          }
          String next = day.plusDays(1).toString();
          return chain.compose(v -> unit.update(STATE, new JsonObject().put("_id", tenantId).put("windowStart", day.toString()),
              new JsonObject().put("$set", new JsonObject().put("windowStart", next)),
              new JsonObject().put("$set", new JsonObject().put("windowStart", day.toString()))))
            .compose(state -> state == null
              ? ServiceError.<Void>fail(ErrorCode.CONFLICT, "The sales window moved concurrently; retry")
              : Future.<Void>succeededFuture());
        }).eventually(lease::release));
      });
  }

  /** The variant as it was before {@code units}/{@code revenue} were subtracted from its 30-day sales. */
  private static JsonObject withSales(JsonObject after, long units, long revenue) {
    JsonObject sales = after.getJsonObject("sales30", new JsonObject());
    return after.copy().put("sales30", new JsonObject().put("u", sales.getLong("u", 0L) + units).put("r", sales.getLong("r", 0L) + revenue));
  }
}
