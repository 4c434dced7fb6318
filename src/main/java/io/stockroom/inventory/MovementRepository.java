package io.stockroom.inventory;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.AggregateOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The append-only stock ledger: {_id, tenantId, variantId, sku, type, quantity (signed), stockAfter, source{kind, id,
 * ...}, sourceKey, actor, reason, createdAt}. Movements are only ever inserted (inside a unit of work); a correction
 * is a new movement. Unique {tenantId, sourceKey} stops one source from moving a variant twice.
 */
public class MovementRepository {
  public static final String COLLECTION = "stock_movements";

  private final MongoClient mongo;

  public MovementRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  public static Future<Void> createIndexes(MongoClient mongo) {
    return Future.all(
      mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tenantId", 1).put("sourceKey", 1),
        new IndexOptions().name("tenant_source_unique").unique(true)),
      mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tenantId", 1).put("createdAt", 1),
        new IndexOptions().name("tenant_created")),
      mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tenantId", 1).put("variantId", 1).put("createdAt", 1),
        new IndexOptions().name("tenant_variant_created"))).mapEmpty();
  }

  public Future<JsonObject> page(String tenantId, JsonObject query, Page page) {
    JsonObject filter = new JsonObject();
    if (query.getString("variantId") != null) filter.put("variantId", query.getString("variantId"));
    if (query.getString("type") != null) filter.put("type", query.getString("type"));
    Mongo.createdBetween(filter, query);
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put("tenantId", tenantId)), page.findOptions())
      .map(docs -> page.result(docs, Mongo::toApi));
  }

  /** Sum of movement quantities per variant of the tenant. */
  public Future<Map<String, Long>> sumsByVariant(String tenantId) {
    JsonArray pipeline = new JsonArray()
      .add(new JsonObject().put("$match", new JsonObject().put("tenantId", tenantId)))
      .add(new JsonObject().put("$group", new JsonObject().put("_id", "$variantId").put("sum", new JsonObject().put("$sum", "$quantity"))));
    return mongo.aggregateWithOptions(COLLECTION, pipeline, new AggregateOptions().setBatchSize(5_000))
      .collect(Collectors.toList())
      .map(rows -> {
        Map<String, Long> sums = new HashMap<>();
        for (JsonObject row : (List<JsonObject>) rows) sums.put(row.getString("_id"), ((Number) row.getValue("sum")).longValue());
        return sums;
      });
  }

  /** Sum of one variant's movement quantities. */
  public Future<Long> sumForVariant(String tenantId, String variantId) {
    JsonArray pipeline = new JsonArray()
      .add(new JsonObject().put("$match", new JsonObject().put("tenantId", tenantId).put("variantId", variantId)))
      .add(new JsonObject().put("$group", new JsonObject().put("_id", "$variantId").put("sum", new JsonObject().put("$sum", "$quantity"))));
    return mongo.aggregate(COLLECTION, pipeline).collect(Collectors.toList())
      .map(rows -> rows.isEmpty() ? 0L : ((Number) ((JsonObject) rows.get(0)).getValue("sum")).longValue());
  }
}
