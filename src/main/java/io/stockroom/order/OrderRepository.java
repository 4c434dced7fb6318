package io.stockroom.order;

import java.util.List;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Customer orders: {_id, tenantId, status (PLACED, RETURNED, CANCELLED), lines[{variantId, sku, quantity, unitPrice,
 * lineTotal, returned}], total, currency, customer?, note?, returns[{id, items, reason, createdBy, createdAt}],
 * version, createdBy, createdAt, updatedAt}. Orders are written only inside units of work, guarded by {@code version}.
 */
public class OrderRepository extends ScopedCollection {
  public static final String COLLECTION = "orders";

  public OrderRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Order");
  }

  public Future<JsonObject> search(String tenantId, JsonObject query, Page page) {
    JsonObject filter = new JsonObject();
    if (query.getString("status") != null) filter.put("status", query.getString("status"));
    Mongo.createdBetween(filter, query);
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
