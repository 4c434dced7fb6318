package io.stockroom.inventory;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.AggregateOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The append-only stock ledger: {_id, tenantId, variantId, sku, type, locationId, from, to, units, quantity (signed),
 * stockAfter, availableAfter, sequence, source{kind, id, ...}, sourceKey, actor, reason, day, sold?{u, r} (units sold,
 * negative when given back, and their revenue: what the day's sales figures add up), createdAt, unitId,
 * event?{type, sourceId}, lowStock?{type, data}} (the last three for webhooks, see {@link LedgerFeed}). Movements are
 * only ever inserted (inside a unit of work); a correction is a new movement. Unique {tenantId, sourceKey} stops one
 * source from moving a variant twice.
 */
public class MovementRepository {
  public static final String COLLECTION = "stock_movements";

  private final MongoClient mongo;

  public MovementRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<JsonObject> page(String tenantId, JsonObject query, Page page) {
    JsonObject filter = new JsonObject();
    if (query.getString("variantId") != null) filter.put("variantId", query.getString("variantId"));
    if (query.getString("type") != null) filter.put("type", query.getString("type"));
    Mongo.createdBetween(filter, query);
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put("tenantId", tenantId)), page.findOptions())
      .map(docs -> page.result(docs, MovementRepository::toApi));
  }

  /** What clients see of a movement: the fields the contract names (not the unit and event bookkeeping of webhooks). */
  static JsonObject toApi(JsonObject doc) {
    JsonObject all = Mongo.toApi(doc);
    JsonObject api = new JsonObject();
    for (String field : API_FIELDS) if (all.containsKey(field)) api.put(field, all.getValue(field));
    return api;
  }

  private static final List<String> API_FIELDS = List.of("id", "variantId", "sku", "type", "locationId", "from", "to", "units",
    "quantity", "stockAfter", "availableAfter", "sequence", "source", "sourceKey", "actor", "reason", "day", "createdAt");

  /**
   * What the ledger says each of these variants holds: see {@link LedgerLevels}. One aggregation over just their
   * movements ({@code $match {tenantId, variantId: {$in}}}, served by {tenantId, variantId, createdAt}); callers page
   * over a tenant's variants, never group a whole tenant's ledger at once.
   */
  public Future<Map<String, LedgerLevels>> levelsByVariant(String tenantId, List<String> variantIds) {
    if (variantIds.isEmpty()) return Future.succeededFuture(new HashMap<>());
    return levels(new JsonObject().put("tenantId", tenantId).put("variantId", new JsonObject().put("$in", new JsonArray(variantIds))));
  }

  /** What the ledger says one variant holds. */
  public Future<LedgerLevels> levelsOf(String tenantId, String variantId) {
    return levels(new JsonObject().put("tenantId", tenantId).put("variantId", variantId))
      .map(all -> all.getOrDefault(variantId, new LedgerLevels(tenantId)));
  }

  /** One group per variant × location × (from, to): the sums of on-hand quantity and of units moved. */
  private Future<Map<String, LedgerLevels>> levels(JsonObject match) {
    JsonObject key = new JsonObject().put("v", "$variantId").put("l", "$locationId").put("f", "$from").put("t", "$to");
    JsonArray pipeline = new JsonArray()
      .add(new JsonObject().put("$match", match))
      .add(new JsonObject().put("$group", new JsonObject().put("_id", key)
        .put("quantity", new JsonObject().put("$sum", "$quantity")).put("units", new JsonObject().put("$sum", "$units"))));
    String tenantId = match.getString("tenantId");
    return mongo.aggregateWithOptions(COLLECTION, pipeline, new AggregateOptions().setBatchSize(5_000))
      .collect(Collectors.toList())
      .map(rows -> {
        Map<String, LedgerLevels> byVariant = new HashMap<>();
        for (JsonObject row : (List<JsonObject>) rows) {
          JsonObject id = row.getJsonObject("_id");
          byVariant.computeIfAbsent(id.getString("v"), v -> new LedgerLevels(tenantId))
            .add(id.getString("l"), id.getString("f"), id.getString("t"), number(row.getValue("quantity")), number(row.getValue("units")));
        }
        return byVariant;
      });
  }

  private static long number(Object value) {
    return value == null ? 0L : ((Number) value).longValue();
  }
}
