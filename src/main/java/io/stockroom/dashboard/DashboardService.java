package io.stockroom.dashboard;

import io.stockroom.platform.money.Amounts;
import io.stockroom.auth.TenantRepository;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard, read from rollups kept inside the stock units of work, so its cost depends on the window lengths
 * and the size of the answer, never on how much history the ledger holds or how many variants the tenant has:
 * <ul>
 *   <li>inventory value and the low-stock count from the tenant's totals shards ({@link DashboardTotals}), one query by
 *       {@code _id}; the low-stock rows and the top sellers from the variants' own indexed fields, at most 100 and 5
 *       index entries;</li>
 *   <li>the movement trend from the tenant's daily rollups, one exact {@code _id} lookup per day.</li>
 * </ul>
 * A dashboard request only reads: the 30-day window and the candidate set are kept current by {@link DashboardSweep}.
 */
public class DashboardService {
  public static final int DEFAULT_TREND_DAYS = 7;
  public static final int MAX_LOW_STOCK_ROWS = 100;
  private static final int SINGLE_LOOKUPS_UP_TO = 10;

  private final MongoClient mongo;
  private final TenantRepository tenants;
  private final DashboardTotals totals;
  private final Locations locations;

  public DashboardService(MongoClient mongo, DashboardTotals totals) {
    this.mongo = mongo;
    this.locations = new Locations(mongo);
    this.tenants = new TenantRepository(mongo);
    this.totals = totals;
  }

  public Future<Reply> dashboard(BusRequest request) {
    String tenantId = request.tenantId();
    int trendDays = request.query().getInteger("trendDays", DEFAULT_TREND_DAYS);
    int topSellersDays = request.query().getInteger("topSellersDays", SalesWindow.DAYS);
    String locationId = request.query().getString("locationId");
    Future<?> located = locationId == null ? Future.succeededFuture() : locations.find(tenantId, locationId);
    return located.compose(found -> tenants.find(tenantId)).compose(tenant -> {
      if (tenant == null) return Future.failedFuture(ServiceError.notFound("Tenant"));
      ZoneId zone = ZoneId.of(tenant.getString("timezone", "UTC"));
      LocalDate today = LocalDate.ofInstant(Instant.now(), zone);
      return Future.all(snapshot(tenantId, today, topSellersDays), trend(tenantId, today, trendDays))
        .compose(parts -> assemble(tenantId, tenant, parts.resultAt(0), parts.resultAt(1), trendDays, topSellersDays, locationId));
    }).map(Reply::ok);
  }

  /** Units in and out per day and movement type: every shard of every day's rollup, in one query. */
  private Future<JsonArray> trend(String tenantId, LocalDate today, int days) {
    List<String> dates = new ArrayList<>();
    for (int i = days - 1; i >= 0; i--) dates.add(today.minusDays(i).toString());
    JsonObject filter = new JsonObject().put("tenantId", tenantId)
      .put("_id", new JsonObject().put("$in", new JsonArray(DashboardProjection.dailyIds(tenantId, dates))));
    return mongo.findWithOptions(DashboardProjection.DAILY, filter,
        new FindOptions().setFields(new JsonObject().put("day", 1).put("in", 1).put("out", 1)))
      .map(shards -> {
        Map<String, JsonObject[]> byDay = new HashMap<>();
        dates.forEach(day -> byDay.put(day, new JsonObject[] {byType(), byType()}));
        for (JsonObject shard : shards) {
          JsonObject[] sums = byDay.get(shard.getString("day"));
          if (sums == null) continue;
          add(sums[0], shard.getJsonObject("in"));
          add(sums[1], shard.getJsonObject("out"));
        }
        JsonArray trend = new JsonArray();
        dates.forEach(day -> trend.add(new JsonObject().put("date", day).put("in", byDay.get(day)[0]).put("out", byDay.get(day)[1])));
        return trend;
      });
  }

  private static JsonObject byType() {
    JsonObject zero = new JsonObject();
    for (MovementType type : MovementType.FLOWS) zero.put(type.name(), 0L);
    return zero;
  }

  private static void add(JsonObject sums, JsonObject counters) {
    if (counters == null) return;
    for (MovementType type : MovementType.FLOWS) sums.put(type.name(), sums.getLong(type.name()) + counters.getLong(type.name(), 0L));
  }

  /** The maintained 30-day top sellers, or a shorter window summed from the daily rollups. */
  private Future<DashboardTotals.Snapshot> snapshot(String tenantId, LocalDate today, int topSellersDays) {
    Future<DashboardTotals.Snapshot> current = totals.current(tenantId);
    if (topSellersDays == SalesWindow.DAYS) return current;
    return Future.all(current, totals.topSellersOver(tenantId, today, topSellersDays))
      .map(both -> new DashboardTotals.Snapshot(both.<DashboardTotals.Snapshot>resultAt(0).totals(), both.resultAt(1)));
  }

  /**
   * With {@code locationId}: the inventory value of the units at that location (the default location's is the total
   * minus the other locations') and the low-stock list of the variants with their own reorder level there; top
   * sellers and the movement trend stay the tenant's.
   */
  private Future<JsonObject> assemble(String tenantId, JsonObject tenant, DashboardTotals.Snapshot snapshot, JsonArray trend,
                                      int trendDays, int topSellersDays, String locationId) {
    JsonObject t = locationId == null ? snapshot.totals() : atLocation(tenantId, snapshot.totals(), locationId);
    long lowStockTotal = locationId == null ? t.getLong("lowCount", 0L)
      : snapshot.totals().getJsonObject("lowCountAt", new JsonObject()).getLong(locationId, 0L);
    return lowRows(tenantId, locationId).compose(lowRows -> {
      JsonObject inventoryValue = new JsonObject()
        .put("atPrice", Amounts.api(Amounts.of(t.getValue("atPrice"))))
        .put("atCost", t.getLong("costedVariants", 0L) == 0 ? null : Amounts.api(Amounts.of(t.getValue("atCost"))))
        .put("unitsWithoutCost", Amounts.api(Amounts.of(t.getValue("unitsWithoutCost"))))
        .put("currency", tenant.getString("currency"));
      List<JsonObject> top = snapshot.topSellers();
      Set<String> productIds = new LinkedHashSet<>();
      lowRows.forEach(r -> productIds.add(r.getString("productId")));
      top.forEach(r -> productIds.add(r.getString("productId")));
      return productNames(tenantId, productIds).map(names -> new JsonObject()
        .put("locationId", locationId)
        .put("inventoryValue", inventoryValue)
        .put("lowStock", withNames(lowRows, names))
        .put("lowStockTotal", lowStockTotal)
        .put("topSellers", withNames(top, names))
        .put("movementTrend", trend)
        .put("windows", new JsonObject().put("topSellersDays", topSellersDays).put("trendDays", trendDays))
        .put("timezone", tenant.getString("timezone"))
        .put("generatedAt", Mongo.now().getString("$date")));
    });
  }

  /**
   * The low-stock rows, read from the variants' own low-stock fields (written by the inventory package with each
   * variant, see {@code StockLevels.lowFields}); the dashboard only reads them. The tenant's: the first
   * {@link #MAX_LOW_STOCK_ROWS} of the index {@code {tenantId, low, shortfall: -1, sku}}, largest shortfall first, then
   * SKU. One location's: the first {@link #MAX_LOW_STOCK_ROWS} low there in creation order (index {@code {tenantId,
   * lowAt, _id}}), shown largest shortfall first.
   */
  private Future<List<JsonObject>> lowRows(String tenantId, String locationId) {
    JsonObject fields = new JsonObject().put("tenantId", 1).put("sku", 1).put("productId", 1).put("stock", 1).put("incoming", 1)
      .put("levels", 1).put("reorderLevel", 1).put("locationReorderLevels", 1);
    JsonObject filter = new JsonObject().put("tenantId", tenantId);
    FindOptions options = new FindOptions().setFields(fields).setLimit(MAX_LOW_STOCK_ROWS);
    if (locationId == null) {
      filter.put("low", true);
      options.setSort(new JsonObject().put("shortfall", -1).put("sku", 1));
    } else {
      filter.put("lowAt", locationId);
      options.setSort(new JsonObject().put("_id", 1));
    }
    return mongo.findWithOptions(Variants.COLLECTION, filter, options).map(variants -> {
      List<JsonObject> rows = new ArrayList<>();
      for (JsonObject v : variants) rows.add(locationId == null ? lowRow(v) : lowRowAt(v, locationId));
      rows.sort(Comparator.comparingLong((JsonObject r) -> -r.getLong("shortfall")).thenComparing(r -> r.getString("sku")));
      return rows;
    });
  }

  private static JsonObject lowRow(JsonObject v) {
    long available = StockLevels.totalAvailable(v);
    long incoming = v.getLong("incoming", 0L) + StockLevels.inTransit(v);
    long level = v.getLong("reorderLevel", 0L);
    return new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku")).put("productId", v.getString("productId"))
      .put("stock", v.getLong("stock", 0L)).put("available", available).put("incoming", incoming).put("reorderLevel", level)
      .put("shortfall", level - available - incoming);
  }

  private static JsonObject lowRowAt(JsonObject v, String locationId) {
    JsonObject at = StockLevels.at(v, locationId);
    long available = StockLevels.available(at);
    long incoming = at.getLong("incoming") + at.getLong("inTransit");
    long level = v.getJsonObject("locationReorderLevels", new JsonObject()).getLong(locationId, 0L);
    return new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku")).put("productId", v.getString("productId"))
      .put("stock", at.getLong("onHand")).put("available", available).put("incoming", incoming).put("reorderLevel", level)
      .put("shortfall", level - available - incoming);
  }

  /** The totals as one location sees them: its value counters. */
  private static JsonObject atLocation(String tenantId, JsonObject totals, String locationId) {
    String[] fields = {"atPrice", "atCost", "unitsWithoutCost"};
    JsonObject at = totals.getJsonObject("at", new JsonObject());
    JsonObject view = new JsonObject().put("costedVariants", totals.getLong("costedVariants", 0L));
    for (String field : fields) {
      BigInteger value;
      if (locationId.equals(Locations.defaultId(tenantId))) {
        value = Amounts.of(totals.getValue(field));
        for (String other : at.fieldNames()) value = value.subtract(Amounts.of(at.getJsonObject(other).getValue(field)));
      } else {
        value = Amounts.of(at.getJsonObject(locationId, new JsonObject()).getValue(field));
      }
      view.put(field, Amounts.stored(value));
    }
    return view;
  }

  /** A few exact lookups, or one query for many (the low-stock list can name up to 100 products). */
  private Future<Map<String, String>> productNames(String tenantId, Set<String> ids) {
    if (ids.size() > SINGLE_LOOKUPS_UP_TO) {
      JsonObject filter = new JsonObject().put("tenantId", tenantId).put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))));
      return mongo.findWithOptions(ProductRepository.COLLECTION, filter, new FindOptions().setFields(new JsonObject().put("name", 1)))
        .map(products -> {
          Map<String, String> names = new HashMap<>();
          products.forEach(p -> names.put(p.getString("_id"), p.getString("name")));
          return names;
        });
    }
    List<Future<JsonObject>> lookups = new ArrayList<>();
    for (String id : ids) {
      lookups.add(mongo.findOne(ProductRepository.COLLECTION, Mongo.byId(tenantId, id), new JsonObject().put("name", 1)));
    }
    return Future.all(lookups).map(all -> {
      Map<String, String> names = new HashMap<>();
      for (int i = 0; i < lookups.size(); i++) {
        JsonObject product = all.resultAt(i);
        if (product != null) names.put(product.getString("_id"), product.getString("name"));
      }
      return names;
    });
  }

  private static JsonArray withNames(List<JsonObject> rows, Map<String, String> names) {
    JsonArray out = new JsonArray();
    rows.forEach(r -> out.add(r.copy().put("productName", names.get(r.getString("productId")))));
    return out;
  }
}
