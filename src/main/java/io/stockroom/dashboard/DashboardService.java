package io.stockroom.dashboard;

import io.stockroom.auth.TenantRepository;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.location.Locations;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigInteger;
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

  private final Variants variants;
  private final ProductRepository products;
  private final TenantRepository tenants;
  private final DashboardFigures figures;
  private final Locations locations;

  public DashboardService(Vertx vertx, MongoClient mongo) {
    this.variants = new Variants(mongo);
    this.products = new ProductRepository(mongo);
    this.locations = new Locations(mongo);
    this.tenants = new TenantRepository(mongo);
    this.figures = new DashboardFigures(vertx, mongo);
  }

  /** The dashboard as clients see it (the contract's {@code Dashboard}). */
  record Answer(@ExplicitNull String locationId, DashboardFigures.InventoryValue inventoryValue, List<LowRow> lowStock, long lowStockTotal,
                List<TopSeller> topSellers, List<DashboardFigures.TrendDay> movementTrend, Windows windows, @ExplicitNull String timezone,
                Instant generatedAt) {
  }

  /** A low variant, with its product's name (null: the product is gone). */
  record LowRow(String variantId, String sku, String productId, @ExplicitNull String productName, long stock, long available, long incoming,
                long reorderLevel, long shortfall) {
    LowRow named(Map<String, String> names) {
      return new LowRow(variantId, sku, productId, names.get(productId), stock, available, incoming, reorderLevel, shortfall);
    }
  }

  /** A best seller, with its product's name (null: the product is gone). */
  record TopSeller(String variantId, String sku, String productId, @ExplicitNull String productName, long unitsSold, BigInteger revenue) {
    static TopSeller named(DashboardFigures.Seller seller, Map<String, String> names) {
      return new TopSeller(seller.variantId(), seller.sku(), seller.productId(), names.get(seller.productId()), seller.unitsSold(),
        seller.revenue());
    }
  }

  record Windows(int topSellersDays, int trendDays) {
  }

  /** A product's name. */
  private record ProductName(@Key("_id") String id, String name) {
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
      Future<List<LowRow>> low = lowRows(tenantId, locationId);
      Future<Long> lowTotal = low.compose(rows -> figures.lowStockTotal(tenantId, locationId, rows, MAX_LOW_STOCK_ROWS));
      Future<List<DashboardFigures.Seller>> top = figures.topSellers(tenantId, today, topSellersDays);
      return Future.all(snapshot, lowTotal, low, top).compose(all -> {
        DashboardFigures.InventoryValue value = DashboardFigures.worth(snapshot.result(), locationId).value(tenant.currency());
        Set<String> productIds = new LinkedHashSet<>();
        low.result().forEach(r -> productIds.add(r.productId()));
        top.result().forEach(r -> productIds.add(r.productId()));
        return productNames(tenantId, productIds).map(names -> RecordCodec.toApi(new Answer(locationId, value,
          low.result().stream().map(r -> r.named(names)).toList(), lowTotal.result(),
          top.result().stream().map(r -> TopSeller.named(r, names)).toList(), DashboardFigures.trend(snapshot.result()),
          new Windows(topSellersDays, trendDays), tenant.timezone(), Instant.now())));
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
  private Future<List<LowRow>> lowRows(String tenantId, String locationId) {
    JsonObject fields = Ops.only(Fields.TENANT_ID, DashboardVariants.SKU, DashboardVariants.PRODUCT_ID, DashboardVariants.STOCK,
      DashboardVariants.INCOMING, DashboardVariants.LEVELS, DashboardVariants.REORDER_LEVEL, DashboardVariants.LOCATION_REORDER_LEVELS);
    FindOptions options = new FindOptions().setFields(fields).setLimit(MAX_LOW_STOCK_ROWS)
      .setSort(locationId == null ? Ops.sort("-" + DashboardVariants.SHORTFALL, DashboardVariants.SKU) : Ops.sort(Fields.ID));
    return variants.find(DashboardVariants.low(tenantId, locationId), options).map(variants -> {
      List<LowRow> rows = new ArrayList<>();
      for (JsonObject v : variants) rows.add(locationId == null ? lowRow(v) : lowRowAt(v, locationId));
      rows.sort(Comparator.comparingLong((LowRow r) -> -r.shortfall()).thenComparing(LowRow::sku));
      return rows;
    });
  }

  private static LowRow lowRow(JsonObject doc) {
    DashboardVariants.Low v = DashboardVariants.Low.of(doc);
    long available = StockLevels.totalAvailable(doc);
    long incoming = v.incoming() + StockLevels.inTransit(doc);
    long level = v.reorderLevel();
    return new LowRow(v.id(), v.sku(), v.productId(), null, v.stock(), available, incoming, level, level - available - incoming);
  }

  private static LowRow lowRowAt(JsonObject doc, String locationId) {
    DashboardVariants.Low v = DashboardVariants.Low.of(doc);
    JsonObject at = StockLevels.at(doc, locationId);
    DashboardVariants.Level level = DashboardVariants.Level.of(at);
    long available = StockLevels.available(at);
    long incoming = level.incoming() + level.inTransit();
    long reorderLevel = v.reorderLevelAt(locationId);
    return new LowRow(v.id(), v.sku(), v.productId(), null, level.onHand(), available, incoming, reorderLevel,
      reorderLevel - available - incoming);
  }

  /** A few exact lookups, or one query for many (the low-stock list can name up to 100 products). */
  private Future<Map<String, String>> productNames(String tenantId, Set<String> ids) {
    if (ids.size() > SINGLE_LOOKUPS_UP_TO) {
      return products.names(tenantId, ids)
        .map(products -> {
          Map<String, String> names = new HashMap<>();
          products.forEach(doc -> {
            ProductName p = RecordCodec.fromDocument(ProductName.class, doc);
            names.put(p.id(), p.name());
          });
          return names;
        });
    }
    List<Future<JsonObject>> lookups = new ArrayList<>();
    for (String id : ids) {
      lookups.add(products.name(tenantId, id));
    }
    return Future.all(lookups).map(all -> {
      Map<String, String> names = new HashMap<>();
      for (int i = 0; i < lookups.size(); i++) {
        JsonObject doc = all.resultAt(i);
        if (doc != null) {
          ProductName p = RecordCodec.fromDocument(ProductName.class, doc);
          names.put(p.id(), p.name());
        }
      }
      return names;
    });
  }
}
