package io.stockroom.catalog;

import io.stockroom.auth.TenantSettings;
import io.stockroom.catalog.CatalogCommands.ChangeProduct;
import io.stockroom.catalog.CatalogCommands.ChangeVariant;
import io.stockroom.catalog.CatalogCommands.CreateProduct;
import io.stockroom.catalog.CatalogCommands.CreateVariants;
import io.stockroom.catalog.CatalogCommands.VariantFilter;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variant;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.ChangePage;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Products and their variants, scoped to the caller's tenant. Stock is never set here: opening stock is an ADJUSTMENT
 * through the stock ledger. Variants are written through the inventory package's typed operations.
 */
public class CatalogService {
  private final Vertx vertx;
  private final ProductRepository products;
  private final Variants variants;
  private final NewVariants newVariants;
  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final Locations locations;

  public CatalogService(Vertx vertx, StockServiceKit kit) {
    this.vertx = vertx;
    this.products = new ProductRepository(kit.mongo());
    this.variants = new Variants(kit.mongo());
    this.newVariants = new NewVariants(variants, new StockLedger(variants));
    this.kernel = kit.kernel();
    this.tenants = new TenantSettings(kit.mongo());
    this.locations = new Locations(kit.mongo());
  }

  public Future<Product> createProduct(CreateProduct command) {
    return products.insertRecord(Product.create(command.by().tenantId(), command.name(), command.description(), command.category()));
  }

  /** One page of the tenant's products, as clients see them. */
  public Future<JsonObject> listProducts(String tenantId, Page page) {
    return products.page(tenantId, new JsonObject(), page);
  }

  public Future<Product> getProduct(String tenantId, String productId) {
    return products.record(tenantId, productId);
  }

  public Future<Product> changeProduct(ChangeProduct command) {
    return products.change(command.by().tenantId(), command.productId(), command.changes());
  }

  public Future<Void> deleteProduct(String tenantId, String productId) {
    return products.deleteUnlessVariants(tenantId, productId);
  }

  /**
   * One variant (answered as itself) or a matrix (answered as a {@code VariantList}); all created or none. Opening
   * stock is recorded as an ADJUSTMENT movement in the same unit of work, so the ledger adds up from the first moment,
   * and is one ADJUSTED stock event (sourceId: the product) for all the variants, each at sequence 1.
   */
  public Future<Reply> createVariants(CreateVariants command) {
    String tenantId = command.by().tenantId();
    String productId = command.productId();
    long openingStock = command.openingStock();
    List<JsonObject> docs = command.variants().stream().map(c -> Variants.newVariant(tenantId, productId, c.sku(), c.attributes(),
      command.price(), command.reorderLevel())).toList();
    List<String> skus = command.variants().stream().map(VariantMatrix.Combination::sku).toList();
    return products.record(tenantId, productId)
      .compose(product -> variants.existingSkus(tenantId, skus))
      .compose(taken -> taken.isEmpty() ? tenants.today(tenantId)
        : Future.failedFuture(new ServiceError(ErrorCode.DUPLICATE, "SKU already used in your tenant: " + String.join(", ", taken),
            Ops.where("duplicateSkus", new JsonArray(taken)))))
      .compose(day -> kernel.run(Work.<Void>of(command.by())
        .writing((unit, nothing) -> products.variantsAdded(unit, tenantId, productId, docs.size())
          .compose(v -> Steps.map(docs, doc -> newVariants.create(unit, doc, NewVariants.Opening.of(Variant.of(doc).id(), openingStock,
            command.by().userId(), day, new StockEvents.Key(StockEvents.Type.ADJUSTED, productId)))))
          .compose(openings -> {
            List<JsonObject> items = docs.stream().map(d -> Variants.toApi(d.copy().put(Variant.STOCK, openingStock))).toList();
            Reply reply = Reply.created(command.matrix() ? RecordCodec.toApi(new Created(items, items.size())) : items.get(0));
            return openingStock == 0 ? Future.succeededFuture(Work.Done.of(reply))
              : StockEvents.recorded(unit, vertx, reply, tenantId, StockEvents.Type.ADJUSTED, productId, openings);
          }))));
  }

  /** The variants a matrix created, as clients see them (the contract's {@code VariantList}). */
  private record Created(List<JsonObject> items, int count) {
  }

  /** One page of the tenant's variants the filter lets through, as clients see them. */
  public Future<JsonObject> listVariants(String tenantId, VariantFilter filter, Page page) {
    if (filter.q() == null) return variants.page(tenantId, filter.toQuery(), page);
    return products.idsByNameKey(tenantId, filter.q(), SEARCHED_PRODUCTS)
      .compose(productIds -> variants.page(tenantId, filter.toSearch(productIds), page));
  }

  /** The most products a search takes by name: their variants are found beside those found by SKU. */
  static final int SEARCHED_PRODUCTS = 100;

  /** One page of the tenant's variants changed after an instant, oldest change first (incremental sync). */
  public Future<JsonObject> changedVariants(String tenantId, ChangePage page) {
    return variants.changedPage(tenantId, page);
  }

  /** The variant as clients see it. */
  public Future<JsonObject> getVariant(String tenantId, String variantId) {
    return variants.get(tenantId, variantId).map(Variants::toApi);
  }

  /** Under the variant's lock, so price and reorder-level changes and the dashboard totals stay in step with stock. */
  public Future<Reply> changeVariant(ChangeVariant command) {
    String tenantId = command.by().tenantId();
    JsonObject perLocation = command.locationReorderLevels();
    Future<?> located = perLocation == null ? Future.succeededFuture() : locations.findAll(tenantId, perLocation.fieldNames());
    return located.compose(found -> underVariantLock(command.by(), command.variantId(), (unit, before) -> {
      JsonObject set = command.changes().copy();
      if (perLocation != null) {
        Map<String, Long> stored = Variant.of(before).locationReorderLevels();
        JsonObject levels = new JsonObject(stored == null ? new LinkedHashMap<>() : new LinkedHashMap<>(stored));
        perLocation.forEach(e -> {
          if (e.getValue() == null) levels.remove(e.getKey()); else levels.put(e.getKey(), e.getValue());
        });
        set.put(Variant.LOCATION_REORDER_LEVELS, levels);
      }
      return variants.updateCatalogFields(unit, before, set).map(after -> Work.Done.of(Reply.ok(Variants.toApi(after))));
    }));
  }

  /** Only a variant that never moved stock and is on no open purchase order can be deleted (409 otherwise). */
  public Future<Reply> deleteVariant(Invocation by, String variantId) {
    return underVariantLock(by, variantId, (unit, before) -> variants.delete(unit, before)
      .compose(v -> products.variantsAdded(unit, Variant.of(before).tenantId(), Variant.of(before).productId(), -1))
      .map(v -> Work.Done.of(Reply.noContent())));
  }

  private Future<Reply> underVariantLock(Invocation by, String variantId, BiFunction<Unit, JsonObject, Future<Work.Done>> write) {
    String tenantId = by.tenantId();
    return variants.get(tenantId, variantId).compose(exists -> kernel.run(Work.<JsonObject>of(by)
      .locking(List.of(Variants.LOCK.key(tenantId, variantId)))
      .reading(() -> variants.get(tenantId, variantId))
      .writing(write)));
  }
}
