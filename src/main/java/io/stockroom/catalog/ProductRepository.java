package io.stockroom.catalog;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Products: {_id, tenantId, name, description?, category?, variantCount, createdAt, updatedAt}. {@code variantCount}
 * changes inside the units that create and delete variants, and a product is deleted only by a write whose filter
 * requires it to be 0, so creating a variant and deleting its product at the same moment cannot both succeed.
 */
public class ProductRepository extends ScopedCollection {
  public static final String COLLECTION = "products";

  public ProductRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Product");
  }

  /** {@code delta} variants were created (or deleted, negative) under the product; 404 when it does not exist. */
  public Future<Void> variantsAdded(Unit unit, String tenantId, String productId, long delta) {
    return unit.updateShared(COLLECTION, Mongo.byId(tenantId, productId),
        new JsonObject().put("$inc", new JsonObject().put("variantCount", delta)),
        new JsonObject().put("$inc", new JsonObject().put("variantCount", -delta)), false)
      .compose(after -> after == null ? Future.failedFuture(ServiceError.notFound("Product")) : Future.succeededFuture());
  }

  /** Deletes the product unless it has variants (409) or does not exist (404). */
  public Future<Void> deleteUnlessVariants(String tenantId, String productId) {
    JsonObject guarded = Mongo.byId(tenantId, productId).put("variantCount", new JsonObject().put("$in", new JsonArray().add(0).addNull()));
    return mongo.removeDocument(COLLECTION, guarded).compose(res -> res != null && res.getRemovedCount() == 1
      ? Future.<Void>succeededFuture()
      : get(tenantId, productId).compose(exists -> ServiceError.<Void>fail(ErrorCode.CONFLICT,
          "Product still has variants; delete them first")));
  }
}
