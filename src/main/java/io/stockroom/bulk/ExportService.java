package io.stockroom.bulk;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.MovementRepository;
import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.PullStream;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.KeysetPages;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Exports of the caller's tenant, streamed from a database cursor in chunks (see {@link PullStream}): never the whole
 * result in memory. CSV with a header line, or JSON lines ({@code format=ndjson}). Rows come in id order.
 */
public class ExportService {
  static final int CHUNK_ROWS = 2_000;
  static final long IDLE_MS = 30_000;

  private final Vertx vertx;
  private final MongoClient mongo;

  public ExportService(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.mongo = mongo;
  }

  /** The answer to an export request: where to pull it from, and how to label it. */
  private static Reply streamed(String address, boolean ndjson, String name) {
    return Reply.ok(new JsonObject().put("stream", address)
      .put("contentType", ndjson ? "application/x-ndjson" : "text/csv; charset=utf-8")
      .put("filename", name + (ndjson ? ".ndjson" : ".csv")));
  }

  /**
   * product, productId, variantId, sku, price, reorderLevel, stock, available, incoming and one attr.&lt;name&gt;
   * column per attribute the tenant's variants use (the import's columns, so an export can be edited and imported).
   */
  public Future<Reply> variants(ExportRequest request) {
    String tenantId = request.tenantId();
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    boolean ndjson = request.ndjson();
    return Future.all(productNames(tenantId), attributeNames(scope)).map(both -> {
      Map<String, String> names = both.resultAt(0);
      List<String> attributes = both.resultAt(1);
      List<String> columns = new ArrayList<>(List.of("product", "productId", "variantId", "sku", "price", "reorderLevel", "stock",
        "available", "incoming"));
      attributes.forEach(a -> columns.add("attr." + a));
      Function<JsonObject, JsonObject> row = v -> new JsonObject().put("product", names.get(v.getString("productId")))
        .put("productId", v.getString("productId")).put("variantId", v.getString("_id")).put("sku", v.getString("sku"))
        .put("price", v.getLong("price")).put("reorderLevel", v.getLong("reorderLevel", 0L)).put("stock", v.getLong("stock", 0L))
        .put("available", StockLevels.totalAvailable(v)).put("incoming", v.getLong("incoming", 0L) + StockLevels.inTransit(v))
        .put("attributes", v.getJsonObject("attributes", new JsonObject()));
      Function<JsonObject, String> line = ndjson ? v -> row.apply(v).encode() : v -> {
        JsonObject r = row.apply(v);
        List<Object> values = new ArrayList<>();
        for (String column : columns) {
          values.add(column.startsWith("attr.") ? r.getJsonObject("attributes").getValue(column.substring(5)) : r.getValue(column));
        }
        return Csv.line(values);
      };
      return streamed(open(Variants.COLLECTION, scope, ndjson ? null : Csv.line(columns), line), ndjson, "variants");
    });
  }

  /** One row per variant and location where it holds anything: the stock levels. */
  public Future<Reply> stockLevels(ExportRequest request) {
    String tenantId = request.tenantId();
    boolean ndjson = request.ndjson();
    List<String> columns = List.of("variantId", "sku", "locationId", "onHand", "available", "reserved", "damaged", "qualityControl",
      "safetyStock", "inTransit", "incoming");
    Function<JsonObject, String> line = v -> {
      JsonObject levels = StockLevels.all(v);
      List<String> lines = new ArrayList<>();
      for (String location : StockLevels.locations(v)) {
        JsonObject api = StockLevels.toApi(location, levels.getJsonObject(location));
        JsonObject r = new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku")).put("locationId", location)
          .put("onHand", api.getLong("onHand")).put("available", api.getLong("available")).put("reserved", api.getLong("reserved"))
          .put("damaged", api.getJsonObject("unavailable").getLong("damaged"))
          .put("qualityControl", api.getJsonObject("unavailable").getLong("qualityControl"))
          .put("safetyStock", api.getJsonObject("unavailable").getLong("safetyStock"))
          .put("inTransit", api.getLong("inTransit")).put("incoming", api.getLong("incoming"));
        lines.add(ndjson ? r.encode() : Csv.line(columns.stream().map(r::getValue).toList()));
      }
      return lines.isEmpty() ? null : String.join("\n", lines);
    };
    // every variant of the tenant in _id order (the {tenantId, _id} index); one that holds nothing anywhere makes no line
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    return Future.succeededFuture(streamed(open(Variants.COLLECTION, scope, ndjson ? null : Csv.line(columns), line), ndjson, "stock-levels"));
  }

  /** The ledger between {@code from} and {@code to} (createdAt), oldest first. */
  public Future<Reply> movements(ExportRequest request) {
    boolean ndjson = request.ndjson();
    JsonObject scope = Mongo.createdBetween(new JsonObject(), request.createdRange()).put("tenantId", request.tenantId());
    List<String> columns = List.of("id", "createdAt", "variantId", "sku", "type", "locationId", "from", "to", "units", "quantity",
      "stockAfter", "sequence", "sourceKind", "sourceId", "actor", "reason");
    Function<JsonObject, JsonObject> row = m -> new JsonObject().put("id", m.getString("_id"))
      .put("createdAt", m.getJsonObject("createdAt", new JsonObject()).getString("$date")).put("variantId", m.getString("variantId"))
      .put("sku", m.getString("sku")).put("type", m.getString("type")).put("locationId", m.getString("locationId", request.tenantId()))
      .put("from", m.getString("from")).put("to", m.getString("to")).put("units", m.getLong("units", Math.abs(m.getLong("quantity", 0L))))
      .put("quantity", m.getLong("quantity")).put("stockAfter", m.getLong("stockAfter")).put("sequence", m.getLong("sequence"))
      .put("sourceKind", m.getJsonObject("source", new JsonObject()).getString("kind"))
      .put("sourceId", m.getJsonObject("source", new JsonObject()).getString("id")).put("actor", m.getString("actor"))
      .put("reason", m.getString("reason"));
    Function<JsonObject, String> line = ndjson ? m -> row.apply(m).encode()
      : m -> Csv.line(columns.stream().map(row.apply(m)::getValue).toList());
    return Future.succeededFuture(streamed(open(MovementRepository.COLLECTION, scope, ndjson ? null : Csv.line(columns), line), ndjson,
      "movements"));
  }

  /** Rows in _id order, one short query per chunk. */
  private String open(String collection, JsonObject filter, String header, Function<JsonObject, String> line) {
    return PullStream.open(vertx, new KeysetPages(mongo, collection, filter, header, line, CHUNK_ROWS), IDLE_MS);
  }

  private Future<Map<String, String>> productNames(String tenantId) {
    return mongo.findWithOptions(ProductRepository.COLLECTION, new JsonObject().put("tenantId", tenantId),
        new FindOptions().setFields(new JsonObject().put("name", 1)))
      .map(products -> {
        Map<String, String> names = new HashMap<>();
        products.forEach(p -> names.put(p.getString("_id"), p.getString("name")));
        return names;
      });
  }

  /** The attribute names the tenant's variants use, read page by page (only the names are kept). */
  private Future<List<String>> attributeNames(JsonObject scope) {
    return attributeNames(scope, null, new TreeSet<>()).map(ArrayList::new);
  }

  private Future<TreeSet<String>> attributeNames(JsonObject scope, String afterId, TreeSet<String> names) {
    JsonObject page = new Page(CHUNK_ROWS, afterId).filter(scope.copy());
    FindOptions options = new FindOptions().setFields(new JsonObject().put("attributes", 1)).setSort(new JsonObject().put("_id", 1))
      .setLimit(CHUNK_ROWS);
    return mongo.findWithOptions(Variants.COLLECTION, page, options).compose(variants -> {
      variants.forEach(variant -> names.addAll(variant.getJsonObject("attributes", new JsonObject()).fieldNames()));
      return variants.size() < CHUNK_ROWS ? Future.succeededFuture(names)
        : attributeNames(scope, variants.get(variants.size() - 1).getString("_id"), names);
    });
  }
}
