package io.stockroom.catalog;

import io.stockroom.platform.BusRequest;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Page;
import io.stockroom.platform.Reply;
import io.stockroom.platform.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

import io.stockroom.inventory.MovementRepository;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockLedger;
import io.stockroom.platform.unit.Unit;
import io.stockroom.platform.unit.UnitRunner;
import io.stockroom.platform.TenantZones;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.inventory.StockRollups;
import io.vertx.ext.mongo.MongoClient;

/** Products and their variants, scoped to the caller's tenant. Stock is never set here. */
public class CatalogService {
  private final ProductRepository products;
  private final VariantRepository variants;
  private final MovementRepository movements;
  private final UnitRunner units;
  private final TenantZones zones;
  private final LockManager locks;
  private final MongoClient mongo;

  public CatalogService(MongoClient mongo, MovementRepository movements, UnitRunner units, TenantZones zones, LockManager locks) {
    this.mongo = mongo;
    this.products = new ProductRepository(mongo);
    this.variants = new VariantRepository(mongo);
    this.movements = movements;
    this.units = units;
    this.zones = zones;
    this.locks = locks;
  }

  public Future<Reply> createProduct(BusRequest request) {
    JsonObject product = copyFields(request.body(), "name", "description", "category")
      .put("_id", Mongo.newId())
      .put("tenantId", request.tenantId())
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
    String tenantId = request.tenantId();
    String productId = request.pathParam("productId");
    return products.get(tenantId, productId)
      .compose(product -> variants.anyForProduct(tenantId, productId))
      .compose(hasVariants -> hasVariants
        ? ServiceError.<Void>fail(ErrorCode.CONFLICT, "Product still has variants; delete them first")
        : products.delete(tenantId, productId))
      .map(v -> Reply.noContent());
  }

  /**
   * One variant ({sku, attributes, price, reorderLevel, openingStock}) or a matrix; all created or none. Opening stock
   * is recorded as an ADJUSTMENT movement in the same unit of work, so the ledger adds up from the first moment.
   */
  public Future<Reply> createVariants(BusRequest request) {
    String tenantId = request.tenantId();
    String productId = request.pathParam("productId");
    JsonObject body = request.body();
    List<VariantMatrix.Combination> combinations = body.containsKey("matrix")
      ? VariantMatrix.expand(body.getJsonObject("matrix"), body.getString("skuPattern"))
      : List.of(single(body));
    long openingStock = body.getLong("openingStock", 0L);
    List<JsonObject> docs = combinations.stream().map(c -> new JsonObject()
        .put("_id", Mongo.newId())
        .put("tenantId", tenantId)
        .put("productId", productId)
        .put("sku", c.sku())
        .put("attributes", c.attributes())
        .put("price", body.getLong("price"))
        .put("reorderLevel", body.getInteger("reorderLevel", 0))
        .put("stock", openingStock)
        .put("incoming", 0L)
        .put("sales30", new JsonObject().put("u", 0L).put("r", 0L))
        .put("createdAt", Mongo.now()))
      .toList();
    List<String> skus = docs.stream().map(d -> d.getString("sku")).toList();
    return products.get(tenantId, productId)
      .compose(product -> variants.existingSkus(tenantId, skus))
      .compose(taken -> taken.isEmpty()
        ? zones.today(tenantId).compose(day -> units.run("catalog.createVariants", tenantId,
            unit -> insertWithOpeningStock(unit, request, docs, day)))
        : Future.failedFuture(new ServiceError(ErrorCode.DUPLICATE, "SKU already used in your tenant: " + String.join(", ", taken),
            new JsonObject().put("duplicateSkus", new JsonArray(taken)))))
      .map(created -> {
        JsonArray items = new JsonArray();
        created.forEach(d -> items.add(Mongo.toApi(d)));
        return Reply.created(new JsonObject().put("items", items).put("count", items.size()));
      });
  }

  public Future<Reply> listVariants(BusRequest request) {
    JsonObject query = request.query();
    JsonObject filter = new JsonObject();
    if (query.getString("productId") != null) filter.put("productId", query.getString("productId"));
    if (query.getString("sku") != null) filter.put("sku", query.getString("sku"));
    if (Boolean.TRUE.equals(query.getBoolean("lowStock"))) {
      filter.put("$expr", new JsonObject().put("$lte", new JsonArray().add("$stock").add("$reorderLevel")));
    }
    return variants.page(request.tenantId(), filter, Page.from(query)).map(Reply::ok);
  }

  public Future<Reply> getVariant(BusRequest request) {
    return variants.get(request.tenantId(), request.pathParam("variantId")).map(doc -> Reply.ok(Mongo.toApi(doc)));
  }

  /** Under the variant's lock, so price and reorder-level changes and the dashboard totals stay in step with stock. */
  public Future<Reply> updateVariant(BusRequest request) {
    String tenantId = request.tenantId();
    String variantId = request.pathParam("variantId");
    JsonObject changes = request.body();
    if (changes.getString("sku") != null) VariantMatrix.requireValidSku(changes.getString("sku"));
    return variants.get(tenantId, variantId).compose(exists -> locks.acquire(List.of(LockManager.variantKey(tenantId, variantId)))
      .compose(lease -> variants.get(tenantId, variantId).compose(before -> {
        JsonObject set = changes.copy().put("updatedAt", Mongo.now());
        JsonObject undoSet = new JsonObject();
        JsonObject undoUnset = new JsonObject();
        set.fieldNames().forEach(f -> {
          if (before.containsKey(f)) undoSet.put(f, before.getValue(f));
          else undoUnset.put(f, "");
        });
        JsonObject undo = new JsonObject();
        if (!undoSet.isEmpty()) undo.put("$set", undoSet);
        if (!undoUnset.isEmpty()) undo.put("$unset", undoUnset);
        return units.run("catalog.updateVariant", tenantId, unit -> unit.update(VariantRepository.COLLECTION,
              Mongo.byId(tenantId, variantId), new JsonObject().put("$set", set), undo)
            .recover(err -> Future.failedFuture(Mongo.isDuplicateKey(err)
              ? new ServiceError(ErrorCode.DUPLICATE, "SKU " + changes.getString("sku") + " is already used in your tenant")
              : err))
            .compose(after -> StockRollups.apply(unit, mongo, tenantId, before, after).map(after)));
      }).eventually(lease::release)))
      .map(doc -> Reply.ok(Mongo.toApi(doc)));
  }

  /** Only a variant that never moved stock can be deleted; one with history stays for the audit trail (409). */
  public Future<Reply> deleteVariant(BusRequest request) {
    String tenantId = request.tenantId();
    String variantId = request.pathParam("variantId");
    return variants.get(tenantId, variantId)
      .compose(variant -> movements.anyForVariant(tenantId, variantId))
      .compose(hasHistory -> hasHistory
        ? ServiceError.<Void>fail(ErrorCode.CONFLICT, "Variant has stock movements; it stays for the audit trail")
        : locks.acquire(List.of(LockManager.variantKey(tenantId, variantId))).compose(lease -> variants.get(tenantId, variantId)
            .compose(variant -> variant.getLong("stock", 0L) != 0
              ? ServiceError.<Void>fail(ErrorCode.CONFLICT, "Variant still holds stock; adjust it to 0 before deleting")
              : units.run("catalog.deleteVariant", tenantId, unit -> unit.delete(VariantRepository.COLLECTION, variant)
                  .compose(v -> StockRollups.apply(unit, mongo, tenantId, variant, null))))
            .eventually(lease::release)))
      .map(v -> Reply.noContent());
  }

  private Future<List<JsonObject>> insertWithOpeningStock(Unit unit, BusRequest request, List<JsonObject> docs, String day) {
    Future<Void> chain = Future.succeededFuture();
    for (JsonObject doc : docs) {
      chain = chain
        .compose(v -> unit.insert(VariantRepository.COLLECTION, doc))
        .recover(err -> Future.failedFuture(Mongo.isDuplicateKey(err)
          ? new ServiceError(ErrorCode.DUPLICATE, "SKU " + doc.getString("sku") + " is already used in your tenant")
          : err))
        .compose(v -> StockRollups.apply(unit, mongo, doc.getString("tenantId"), null, doc));
      long opening = doc.getLong("stock");
      if (opening > 0) {
        StockChange change = StockChange.of(doc.getString("tenantId"), doc.getString("_id"), doc.getString("sku"),
          MovementType.ADJUSTMENT, opening, new JsonObject().put("kind", "OPENING_STOCK").put("id", doc.getString("_id")),
          "opening:" + doc.getString("_id"), request.caller().userId(), "opening stock", day);
        chain = chain.compose(v -> StockLedger.record(unit, change, opening)).mapEmpty();
      }
    }
    return chain.map(v -> docs);
  }

  private static VariantMatrix.Combination single(JsonObject body) {
    String sku = body.getString("sku");
    if (sku == null) throw new ServiceError(ErrorCode.VALIDATION, "Give either sku (one variant) or matrix with skuPattern");
    VariantMatrix.requireValidSku(sku);
    return new VariantMatrix.Combination(sku, body.getJsonObject("attributes", new JsonObject()));
  }

  private static JsonObject copyFields(JsonObject source, String... fields) {
    JsonObject out = new JsonObject();
    for (String f : fields) if (source.getValue(f) != null) out.put(f, source.getValue(f));
    return out;
  }
}
