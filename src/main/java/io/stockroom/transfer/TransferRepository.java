package io.stockroom.transfer;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Stock transfers between two locations of a tenant: {_id, tenantId, fromLocationId, toLocationId, status,
 * lines[{variantId, sku, quantity, received}], receipts[{id, items, createdBy, createdAt}], note?, version, createdBy,
 * createdAt, shippedAt?, receivedAt?, cancelledAt?}. Changed only inside units of work, guarded by version and status.
 */
public class TransferRepository extends ScopedCollection {
  public static final String COLLECTION = "transfers";

  public TransferRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Transfer");
  }

  Future<JsonObject> search(String tenantId, TransferStatus status, Page page) {
    JsonObject filter = new JsonObject();
    if (status != null) filter.put("status", status.name());
    return page(tenantId, filter, page).map(result -> {
      result.getJsonArray("items").forEach(o -> ((JsonObject) o).remove("version"));
      return result;
    });
  }

  public static JsonObject toApi(JsonObject doc) {
    JsonObject api = Mongo.toApi(doc);
    api.remove("version");
    return api;
  }
}
