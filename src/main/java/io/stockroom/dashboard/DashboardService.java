package io.stockroom.dashboard;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.catalog.VariantRepository;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockLedger;
import io.stockroom.platform.BusRequest;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Reply;
import io.stockroom.platform.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

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
 * The dashboard, computed from rollups kept inside the stock units of work, so its cost depends on the number of
 * variants and the window lengths, never on how much history the ledger holds:
 * <ul>
 *   <li>inventory value and low stock from one projection of the tenant's variants (stock, price, lastUnitCost,
 *       incoming, reorderLevel);</li>
 *   <li>top sellers from each variant's {@code sales30} counters (kept exact by {@link SalesWindow});</li>
 *   <li>the movement trend from the tenant's daily rollups, one exact {@code _id} lookup per day.</li>
 * </ul>
 */
public class DashboardService {
  public static final int DEFAULT_TREND_DAYS = 7;
  public static final int MAX_LOW_STOCK_ROWS = 100;
  private static final int TOP_SELLERS = 5;
  private static final int SINGLE_LOOKUPS_UP_TO = 10;

  private final MongoClient mongo;
  private final SalesWindow window;

  public DashboardService(MongoClient mongo, SalesWindow window) {
    this.mongo = mongo;
    this.window = window;
  }

  public Future<Reply> dashboard(BusRequest request) {
    String tenantId = request.tenantId();
    int trendDays = request.query().getInteger("trendDays", DEFAULT_TREND_DAYS);
    return mongo.findOne("tenants", new JsonObject().put("_id", tenantId), null).compose(tenant -> {
      if (tenant == null) return Future.failedFuture(ServiceError.notFound("Tenant"));
      ZoneId zone = ZoneId.of(tenant.getString("timezone", "UTC"));
      LocalDate today = LocalDate.ofInstant(Instant.now(), zone);
      LocalDate created = LocalDate.ofInstant(Instant.parse(tenant.getJsonObject("createdAt").getString("$date")), zone);
      return window.advance(tenantId, today, created)
        .compose(v -> Future.all(variants(tenantId), trend(tenantId, today, trendDays)))
        .compose(parts -> assemble(tenantId, tenant, parts.resultAt(0), parts.resultAt(1), trendDays));
    }).map(Reply::ok);
  }

  private Future<List<JsonObject>> variants(String tenantId) {
    JsonObject fields = new JsonObject().put("sku", 1).put("productId", 1).put("stock", 1).put("price", 1)
      .put("lastUnitCost", 1).put("incoming", 1).put("reorderLevel", 1).put("sales30", 1);
    return mongo.findWithOptions(VariantRepository.COLLECTION, new JsonObject().put("tenantId", tenantId), new FindOptions().setFields(fields));
  }

  private Future<JsonArray> trend(String tenantId, LocalDate today, int days) {
    List<Future<JsonObject>> lookups = new ArrayList<>();
    List<LocalDate> dates = new ArrayList<>();
    JsonObject fields = new JsonObject().put("in", 1).put("out", 1);
    for (int i = days - 1; i >= 0; i--) {
      LocalDate day = today.minusDays(i);
      dates.add(day);
      lookups.add(mongo.findOne(StockLedger.DAILY, new JsonObject().put("_id", StockLedger.dailyId(tenantId, day.toString())), fields));
    }
    return Future.all(lookups).map(all -> {
      JsonArray trend = new JsonArray();
      for (int i = 0; i < dates.size(); i++) {
        JsonObject daily = all.resultAt(i);
        trend.add(new JsonObject().put("date", dates.get(i).toString())
          .put("in", byType(daily == null ? null : daily.getJsonObject("in")))
          .put("out", byType(daily == null ? null : daily.getJsonObject("out"))));
      }
      return trend;
    });
  }

  private static JsonObject byType(JsonObject counters) {
    JsonObject out = new JsonObject();
    for (MovementType type : MovementType.values()) {
      out.put(type.name(), counters == null ? 0L : counters.getLong(type.name(), 0L));
    }
    return out;
  }

  private Future<JsonObject> assemble(String tenantId, JsonObject tenant, List<JsonObject> variants, JsonArray trend, int trendDays) {
    long atPrice = 0;
    long atCost = 0;
    long costedVariants = 0;
    long unitsWithoutCost = 0;
    List<JsonObject> low = new ArrayList<>();
    List<JsonObject> sellers = new ArrayList<>();
    for (JsonObject v : variants) {
      long stock = v.getLong("stock", 0L);
      atPrice += stock * v.getLong("price", 0L);
      Long cost = v.getLong("lastUnitCost");
      if (cost != null) {
        atCost += stock * cost;
        costedVariants++;
      } else {
        unitsWithoutCost += stock;
      }
      long incoming = v.getLong("incoming", 0L);
      long reorderLevel = v.getLong("reorderLevel", 0L);
      if (stock + incoming <= reorderLevel) {
        low.add(new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku"))
          .put("productId", v.getString("productId")).put("stock", stock).put("incoming", incoming)
          .put("reorderLevel", reorderLevel).put("shortfall", reorderLevel - stock - incoming));
      }
      JsonObject sales = v.getJsonObject("sales30", new JsonObject());
      if (sales.getLong("u", 0L) > 0) {
        sellers.add(new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku"))
          .put("productId", v.getString("productId")).put("unitsSold", sales.getLong("u")).put("revenue", sales.getLong("r", 0L)));
      }
    }
    low.sort(Comparator.comparingLong((JsonObject r) -> -r.getLong("shortfall")).thenComparing(r -> r.getString("sku")));
    sellers.sort(Comparator.comparingLong((JsonObject r) -> -r.getLong("unitsSold"))
      .thenComparingLong(r -> -r.getLong("revenue")).thenComparing(r -> r.getString("sku")));
    List<JsonObject> top = sellers.subList(0, Math.min(TOP_SELLERS, sellers.size()));
    int lowStockTotal = low.size();
    if (low.size() > MAX_LOW_STOCK_ROWS) low = low.subList(0, MAX_LOW_STOCK_ROWS);
    Set<String> productIds = new LinkedHashSet<>();
    low.forEach(r -> productIds.add(r.getString("productId")));
    top.forEach(r -> productIds.add(r.getString("productId")));
    JsonObject inventoryValue = new JsonObject()
      .put("atPrice", atPrice)
      .put("atCost", costedVariants == 0 ? null : atCost)
      .put("unitsWithoutCost", unitsWithoutCost)
      .put("currency", tenant.getString("currency"));
    List<JsonObject> lowRows = low;
    return productNames(tenantId, productIds).map(names -> new JsonObject()
      .put("inventoryValue", inventoryValue)
      .put("lowStock", withNames(lowRows, names))
      .put("lowStockTotal", lowStockTotal)
      .put("topSellers", withNames(top, names))
      .put("movementTrend", trend)
      .put("windows", new JsonObject().put("topSellersDays", SalesWindow.DAYS).put("trendDays", trendDays))
      .put("timezone", tenant.getString("timezone"))
      .put("generatedAt", Mongo.now().getString("$date")));
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
