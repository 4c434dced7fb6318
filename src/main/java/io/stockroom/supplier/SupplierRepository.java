package io.stockroom.supplier;

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
 * Suppliers: {_id, tenantId, name, contactName?, email?, phone?, address?, leadTimeDays?, notes?,
 * openPurchaseOrders, createdAt, updatedAt}. {@code openPurchaseOrders} counts the supplier's DRAFT, SENT and
 * CONFIRMED purchase orders; purchasing changes it inside its units, and a supplier is deleted only by a write whose
 * filter requires it to be 0, so a purchase order created at the same moment and the deletion cannot both succeed.
 */
public class SupplierRepository extends ScopedCollection {
  public static final String COLLECTION = "suppliers";

  public SupplierRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Supplier");
  }

  /** A purchase order of this supplier opened (+1) or ended (−1); 404 when the supplier does not exist. */
  public Future<Void> openOrdersChanged(Unit unit, String tenantId, String supplierId, long delta) {
    return unit.updateShared(COLLECTION, Mongo.byId(tenantId, supplierId),
        new JsonObject().put("$inc", new JsonObject().put("openPurchaseOrders", delta)),
        new JsonObject().put("$inc", new JsonObject().put("openPurchaseOrders", -delta)), false)
      .compose(after -> after == null ? Future.failedFuture(ServiceError.notFound("Supplier")) : Future.succeededFuture());
  }

  /** Deletes the supplier unless it has open purchase orders (409) or does not exist (404). */
  public Future<Void> deleteUnlessOpenOrders(String tenantId, String supplierId) {
    JsonObject guarded = Mongo.byId(tenantId, supplierId)
      .put("openPurchaseOrders", new JsonObject().put("$in", new JsonArray().add(0).addNull()));
    return mongo.removeDocument(COLLECTION, guarded).compose(res -> res != null && res.getRemovedCount() == 1
      ? Future.<Void>succeededFuture()
      : get(tenantId, supplierId).compose(exists -> ServiceError.<Void>fail(ErrorCode.CONFLICT,
          "Supplier has open purchase orders; close or cancel them first")));
  }
}
