package io.stockroom.purchasing;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.purchasing.PurchasingCommands.PurchaseOrderFilter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Purchase orders: {_id, tenantId, supplierId, status (DRAFT, SENT, CONFIRMED, RECEIVED, CLOSED, CANCELLED),
 * lines[{variantId, sku, quantity, unitCost, received, receivedValue, variance}], orderedValue, receivedUnits,
 * receivedValue, totalVariance, expectedAt?, note?, version, createdBy, createdAt, updatedAt, ...At}.
 * Written only inside units of work, by compare-and-set on {@code version} and status.
 */
public class PurchaseOrderRepository extends ScopedCollection {
  public static final String COLLECTION = "purchase_orders";

  public PurchaseOrderRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Purchase order");
  }

  public Future<JsonObject> search(String tenantId, PurchaseOrderFilter wanted, Page page) {
    JsonObject filter = new JsonObject();
    if (wanted.status() != null) filter.put("status", wanted.status().name());
    if (wanted.supplierId() != null) filter.put("supplierId", wanted.supplierId());
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put("tenantId", tenantId)), page.findOptions())
      .map(docs -> page.result(docs, PurchaseOrderRepository::toApi));
  }

  public static JsonObject toApi(JsonObject doc) {
    JsonObject api = Mongo.toApi(doc);
    api.remove("version");
    return api;
  }
}
