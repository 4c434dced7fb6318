package io.stockroom.dashboard;

import io.stockroom.auth.TenantRepository;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.location.Locations;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard, added up at read time from the variants' own figures ({@link DashboardFigures}): inventory value and
 * low-stock total over the tenant's variants, the low-stock rows and top sellers from the first entries of their
 * indexes, the movement trend from the variants that moved in its window. A dashboard request only reads; every
 * answer reflects every stock change committed before it.
 */
public class DashboardService {
  public static final int DEFAULT_TREND_DAYS = 7;
  public static final int DEFAULT_TOP_SELLERS_DAYS = 30;
  public static final int MAX_LOW_STOCK_ROWS = 100;
  private static final int SINGLE_LOOKUPS_UP_TO = 10;

  private final MongoClient mongo;
  private final TenantRepository tenants;
  private final DashboardFigures figures;
  private final Locations locations;

  public DashboardService(Vertx vertx, MongoClient mongo) {
    this.mongo = mongo;
    this.locations = new Locations(mongo);
    this.tenants = new TenantRepository(mongo);
    this.figures = new DashboardFigures(vertx, mongo);
  }

  public Future<JsonObject> dashboard(DashboardQuery query) {
    String tenantId = query.tenantId();
    int trendDays = query.trendDays();
    int topSellersDays = query.topSellersDays();
    String locationId = query.locationId();
    Future<?> located = locationId == null ? Future.succeededFuture() : locations.find(tenantId, locationId);
    return located.compose(found -> tenants.find(tenantId)).compose(tenant -> {
      if (tenant == null) return Future.failedFuture(ServiceError.notFound("Tenant"));
      LocalDate today = LocalDate.ofInstant(Instant.now(), tenant.zone());
      Future<DashboardFigures.Snapshot> snapshot = figures.snapshot(tenantId, today, trendDays);
      Future<List<JsonObject>> low = lowRows(tenantId, locationId);
      Future<Long> lowTotal = low.compose(rows -> figures.lowStockTotal(tenantId, locationId, rows, MAX_LOW_STOCK_ROWS));
      Future<List<JsonObject>> top = figures.topSellers(tenantId, today, topSellersDays);
      return Future.all(snapshot, lowTotal, low, top).compose(all -> {
        JsonObject value = DashboardFigures.inventoryValue(snapshot.result(), locationId);
        Set<String> productIds = new LinkedHashSet<>();
        low.result().forEach(r -> productIds.add(r.getString("productId")));
        top.result().forEach(r -> productIds.add(r.getString("productId")));
        JsonObject inventoryValue = value.copy().put("currency", tenant.currency());
        inventoryValue.remove("costedVariants");
        return productNames(tenantId, productIds).map(names -> new JsonObject()
          .put("locationId", locationId)
          .put("inventoryValue", inventoryValue)
          .put("lowStock", withNames(low.result(), names))
          .put("lowStockTotal", lowTotal.result())
          .put("topSellers", withNames(top.result(), names))
          .put("movementTrend", DashboardFigures.trend(snapshot.result()))
          .put("windows", new JsonObject().put("topSellersDays", topSellersDays).put("trendDays", trendDays))
          .put("timezone", tenant.timezone())
          .put("generatedAt", Mongo.apiInstant(Instant.now())));
      });
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
