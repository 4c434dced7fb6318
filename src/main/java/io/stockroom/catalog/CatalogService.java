package io.stockroom.catalog;

import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.auth.TenantSettings;
import io.stockroom.location.Locations;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Products and their variants, scoped to the caller's tenant. Stock is never set here: opening stock is an ADJUSTMENT
 * through the stock ledger. Variants are written through the inventory package's typed operations.
 */
public class CatalogService {
  /** What each variant of a matrix must be, as an import row and the body of a single create must. */
  private static final String VARIANT_CREATE = "/components/schemas/VariantCreate";
  /** The contract's schemas this service checks with. */
  static final List<String> SCHEMAS = List.of(VARIANT_CREATE);

  private final Vertx vertx;
  private final ContractSchemas schemas;
  private final ProductRepository products;
  private final Variants variants;
  private final StockLedger ledger;
  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final Locations locations;

  public CatalogService(Vertx vertx, StockServiceKit kit, ContractSchemas schemas) {
    this.vertx = vertx;
    this.schemas = schemas;
    this.products = new ProductRepository(kit.mongo());
    this.variants = new Variants(kit.mongo());
    this.ledger = new StockLedger(variants);
    this.kernel = kit.kernel();
    this.tenants = new TenantSettings(kit.mongo());
    this.locations = new Locations(kit.mongo());
  }

  public Future<Reply> createProduct(BusRequest request) {
    JsonObject product = copyFields(request.body(), "name", "description", "category")
      .put("_id", Mongo.newId())
      .put("tenantId", request.tenantId())
      .put("variantCount", 0L)
      .put("createdAt", Mongo.now());
    product.put("name", product.getString("name").trim());
    return products.insert(product).map(doc -> Reply.created(Mongo.toApi(doc)));
  }

  public Future<Reply> listProducts(BusRequest request) {
    return products.page(request.tenantId(), new JsonObject(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> getProduct(BusRequest request) {
    return products.get(request.tenantId(), request.pathParam("productId")).map(doc -> Reply.ok(Mongo.toApi(doc)));
  }

  public Future<Reply> updateProduct(BusRequest request) {
    return products.patch(request.tenantId(), request.pathParam("productId"), request.body())
      .map(doc -> Reply.ok(Mongo.toApi(doc)));
  }

  public Future<Reply> deleteProduct(BusRequest request) {
    return products.deleteUnlessVariants(request.tenantId(), request.pathParam("productId")).map(v -> Reply.noContent());
  }

  /**
   * One variant ({sku, attributes, price, reorderLevel, openingStock}) or a matrix; all created or none. Opening stock
   * is recorded as an ADJUSTMENT movement in the same unit of work, so the ledger adds up from the first moment, and
   * is one ADJUSTED stock event (sourceId: the product) for all the variants, each at sequence 1.
   */
  public Future<Reply> createVariants(BusRequest request) {
    String tenantId = request.tenantId();
    String productId = request.pathParam("productId");
    JsonObject body = request.body();
    List<VariantMatrix.Combination> combinations = body.containsKey("matrix")
      ? matrix(body)
      : List.of(single(body));
    long openingStock = body.getLong("openingStock", 0L);
    List<JsonObject> docs = combinations.stream().map(c -> Variants.newVariant(tenantId, productId, c.sku(), c.attributes(),
      body.getLong("price"), body.getLong("reorderLevel", 0L))).toList();
    List<String> skus = docs.stream().map(d -> d.getString("sku")).toList();
    return products.get(tenantId, productId)
      .compose(product -> variants.existingSkus(tenantId, skus))
      .compose(taken -> taken.isEmpty() ? tenants.today(tenantId)
        : Future.failedFuture(new ServiceError(ErrorCode.DUPLICATE, "SKU already used in your tenant: " + String.join(", ", taken),
            new JsonObject().put("duplicateSkus", new JsonArray(taken)))))
      .compose(day -> kernel.run(Work.<Void>of(request)
        .writing((unit, nothing) -> products.variantsAdded(unit, tenantId, productId, docs.size())
          .compose(v -> Steps.map(docs, doc -> create(unit, doc, openingStock, request.caller().userId(), day,
            new StockEvents.Key(StockEvents.Type.ADJUSTED, productId))))
          .compose(openings -> {
            JsonArray items = new JsonArray();
            docs.forEach(d -> items.add(Variants.toApi(d.copy().put("stock", openingStock))));
            Reply reply = Reply.created(new JsonObject().put("items", items).put("count", items.size()));
            return openingStock == 0 ? Future.succeededFuture(Work.Done.of(reply))
              : StockEvents.recorded(unit, vertx, reply, tenantId, StockEvents.Type.ADJUSTED, productId, openings);
          }))));
  }

  /** The variant, with its opening stock as its first movement: answers that movement (null without opening stock). */
  private Future<JsonObject> create(Unit unit, JsonObject variant, long openingStock, String userId, String day,
                                    StockEvents.Key event) {
    if (openingStock == 0) return variants.create(unit, variant).map(created -> null);
    String id = variant.getString("_id");
    return ledger.createWithOpeningStock(unit, variant, StockChange.of(variant.getString("tenantId"), variant, MovementType.ADJUSTMENT,
        openingStock, SourceKind.OPENING_STOCK.source(id), "opening:" + id, userId, "opening stock", day).partOf(event))
      .map(StockLedger.Applied::movement);
  }

  public Future<Reply> listVariants(BusRequest request) {
    JsonObject query = request.query();
    JsonObject filter = new JsonObject();
    if (query.getString("productId") != null) filter.put("productId", query.getString("productId"));
    if (query.getString("sku") != null) filter.put("sku", query.getString("sku"));
    if (Boolean.TRUE.equals(query.getBoolean("lowStock"))) {
      filter.put("low", true); // StockLevels.isLow, stored on the variant by each of its writes

    }
    return variants.page(request.tenantId(), filter, Page.from(query)).map(Reply::ok);
  }

  public Future<Reply> getVariant(BusRequest request) {
    return variants.get(request.tenantId(), request.pathParam("variantId")).map(doc -> Reply.ok(Variants.toApi(doc)));
  }

  /** Under the variant's lock, so price and reorder-level changes and the dashboard totals stay in step with stock. */
  public Future<Reply> updateVariant(BusRequest request) {
    JsonObject changes = request.body();
    JsonObject perLocation = changes.getJsonObject("locationReorderLevels");
    Future<?> located = perLocation == null ? Future.succeededFuture()
      : locations.findAll(request.tenantId(), perLocation.fieldNames());
    return located.compose(found -> underVariantLock(request, (unit, before) -> {
      JsonObject set = changes.copy();
      if (perLocation != null) {
        JsonObject levels = before.getJsonObject("locationReorderLevels", new JsonObject()).copy();
        perLocation.forEach(e -> {
          if (e.getValue() == null) levels.remove(e.getKey()); else levels.put(e.getKey(), e.getValue());
        });
        set.put("locationReorderLevels", levels);
      }
      return variants.updateCatalogFields(unit, before, set).map(after -> Work.Done.of(Reply.ok(Variants.toApi(after))));
    }));
  }

  /** Only a variant that never moved stock and is on no open purchase order can be deleted (409 otherwise). */
  public Future<Reply> deleteVariant(BusRequest request) {
    return underVariantLock(request, (unit, before) -> variants.delete(unit, before)
      .compose(v -> products.variantsAdded(unit, before.getString("tenantId"), before.getString("productId"), -1))
      .map(v -> Work.Done.of(Reply.noContent())));
  }

  private Future<Reply> underVariantLock(BusRequest request,
                                         java.util.function.BiFunction<Unit, JsonObject, Future<Work.Done>> write) {
    String tenantId = request.tenantId();
    String variantId = request.pathParam("variantId");
    return variants.get(tenantId, variantId).compose(exists -> kernel.run(Work.<JsonObject>of(request)
      .locking(List.of(LockKeys.variant(tenantId, variantId)))
      .reading(() -> variants.get(tenantId, variantId))
      .writing(write)));
  }

  private static VariantMatrix.Combination single(JsonObject body) {
    String sku = body.getString("sku");
    if (sku == null) throw new ServiceError(ErrorCode.VALIDATION, "Give either sku (one variant) or matrix with skuPattern");
    return new VariantMatrix.Combination(sku, body.getJsonObject("attributes", new JsonObject()));
  }

  /**
   * A matrix's variant is checked as a single create's body is (the router checked the matrix itself); what is wrong
   * is reported against what made it: its SKU against {@code skuPattern}, an attribute against its matrix entry.
   */
  private List<VariantMatrix.Combination> matrix(JsonObject body) {
    List<VariantMatrix.Combination> combinations = VariantMatrix.expand(body.getJsonObject("matrix"), body.getString("skuPattern"));
    combinations.forEach(combination -> requireValid(combination, body));
    return combinations;
  }

  private void requireValid(VariantMatrix.Combination combination, JsonObject body) {
    JsonObject variant = copyFields(body, "price", "reorderLevel", "openingStock").put("sku", combination.sku())
      .put("attributes", combination.attributes());
    JsonArray errors = new JsonArray();
    schemas.errors(VARIANT_CREATE, variant).forEach(error -> {
      JsonObject found = (JsonObject) error;
      errors.add(found.copy().put("pointer", found.getString("pointer").replaceFirst("^#/sku$", "#/skuPattern")
        .replaceFirst("^#/attributes/", "#/matrix/")));
    });
    if (errors.isEmpty()) return;
    JsonObject first = errors.getJsonObject(0);
    throw new ServiceError(ErrorCode.VALIDATION, "The matrix makes the variant " + combination.sku() + ", which is invalid: "
      + first.getString("pointer") + ": " + first.getString("message"), new JsonObject().put("errors", errors));
  }

  private static JsonObject copyFields(JsonObject source, String... fields) {
    JsonObject out = new JsonObject();
    for (String f : fields) if (source.getValue(f) != null) out.put(f, source.getValue(f));
    return out;
  }
}
