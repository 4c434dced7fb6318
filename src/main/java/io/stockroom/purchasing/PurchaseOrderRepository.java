package io.stockroom.purchasing;

import io.stockroom.platform.Mongo;
import io.stockroom.platform.Page;
import io.stockroom.platform.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

/**
 * Purchase orders: {_id, tenantId, supplierId, status (DRAFT, SENT, CONFIRMED, RECEIVED, CLOSED, CANCELLED),
 * lines[{variantId, sku, quantity, unitCost, received, receivedValue, variance}], orderedValue, receivedUnits,
 * receivedValue, totalVariance, expectedAt?, note?, version, createdBy, createdAt, updatedAt, ...At}.
 * Every change is a compare-and-set on status (and {@code version} for receipts).
 */
public class PurchaseOrderRepository extends ScopedCollection {
  public static final String COLLECTION = "purchase_orders";

  public PurchaseOrderRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Purchase order");
  }

  public Future<JsonObject> search(String tenantId, JsonObject query, Page page) {
    JsonObject filter = new JsonObject();
    if (query.getString("status") != null) filter.put("status", query.getString("status"));
    if (query.getString("supplierId") != null) filter.put("supplierId", query.getString("supplierId"));
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put("tenantId", tenantId)), page.findOptions())
      .map(docs -> page.result(docs, PurchaseOrderRepository::toApi));
  }

  /**
   * Sets {@code set} only while the status is one of {@code from} (and {@code extraGuard} holds).
   * @return the updated document, or null when the guard failed
   */
  public Future<JsonObject> transition(String tenantId, String id, JsonArray from, JsonObject extraGuard, JsonObject set) {
    JsonObject filter = Mongo.byId(tenantId, id).put("status", new JsonObject().put("$in", from));
    if (extraGuard != null) filter.mergeIn(extraGuard);
    JsonObject update = new JsonObject().put("$set", set.copy().put("updatedAt", Mongo.now()))
      .put("$inc", new JsonObject().put("version", 1));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  public Future<Boolean> deleteDraft(String tenantId, String id) {
    return mongo.removeDocument(COLLECTION, Mongo.byId(tenantId, id).put("status", "DRAFT"))
      .map(res -> res.getRemovedCount() == 1);
  }

  public static JsonObject toApi(JsonObject doc) {
    JsonObject api = Mongo.toApi(doc);
    api.remove("version");
    return api;
  }
}
