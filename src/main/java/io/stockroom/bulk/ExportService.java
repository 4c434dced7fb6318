package io.stockroom.bulk;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.MovementRepository;
import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.PullStream;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
  private final Variants variants;
  private final MovementRepository movements;
  private final ProductRepository products;

  public ExportService(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.variants = new Variants(mongo);
    this.movements = new MovementRepository(mongo);
    this.products = new ProductRepository(mongo);
  }

  /** The answer to an export request: where to pull it from, and how to label it. */
  private record Streamed(String stream, String contentType, String filename) {
  }

  private static Reply streamed(String address, boolean ndjson, String name) {
    return Reply.ok(RecordCodec.toApi(new Streamed(address, ndjson ? "application/x-ndjson" : "text/csv; charset=utf-8",
      name + (ndjson ? ".ndjson" : ".csv"))));
  }

  /**
   * product, productId, variantId, sku, price, reorderLevel, stock, available, incoming and one attr.&lt;name&gt;
   * column per attribute the tenant's variants use (the import's columns, so an export can be edited and imported).
   */
  public Future<Reply> variants(ExportRequest request) {
    String tenantId = request.tenantId();
    JsonObject scope = Ops.where(Fields.TENANT_ID, tenantId);
    boolean ndjson = request.ndjson();
    return Future.all(productNames(tenantId), attributeNames(scope)).map(both -> {
      Map<String, String> names = both.resultAt(0);
      List<String> attributes = both.resultAt(1);
      Function<JsonObject, ExportRow.Variant> row = doc -> {
        ExportRow.StoredVariant v = RecordCodec.fromDocument(ExportRow.StoredVariant.class, doc);
        return new ExportRow.Variant(names.get(v.productId()), v.productId(), v.id(), v.sku(), v.price(), v.reorderLevel(), v.stock(),
          StockLevels.totalAvailable(doc), v.incoming() + StockLevels.inTransit(doc), v.attributes());
      };
      Function<JsonObject, String> line = ndjson ? v -> row.apply(v).ndjson() : v -> row.apply(v).csv(attributes);
      return streamed(open(variants.stream(scope, ndjson ? null : Csv.line(ExportRow.Variant.columns(attributes)), line, CHUNK_ROWS)),
        ndjson, "variants");
    });
  }

  /** One row per variant and location where it holds anything: the stock levels. */
  public Future<Reply> stockLevels(ExportRequest request) {
    String tenantId = request.tenantId();
    boolean ndjson = request.ndjson();
    Function<JsonObject, String> line = doc -> {
      ExportRow.StoredVariant v = RecordCodec.fromDocument(ExportRow.StoredVariant.class, doc);
      JsonObject levels = StockLevels.all(doc);
      List<String> lines = new ArrayList<>();
      for (String location : StockLevels.locations(doc)) {
        ExportRow.StockLevel r = RecordCodec.fromDocument(ExportRow.LevelView.class, StockLevels.toApi(location, levels.getJsonObject(location)))
          .row(v.id(), v.sku(), location);
        lines.add(ndjson ? r.ndjson() : r.csv());
      }
      return lines.isEmpty() ? null : String.join("\n", lines);
    };
    // every variant of the tenant in _id order (the {tenantId, _id} index); one that holds nothing anywhere makes no line
    JsonObject scope = Ops.where(Fields.TENANT_ID, tenantId);
    return Future.succeededFuture(streamed(open(variants.stream(scope,
      ndjson ? null : Csv.line(ExportRow.columns(ExportRow.StockLevel.class)), line, CHUNK_ROWS)), ndjson, "stock-levels"));
  }

  /** The ledger between {@code from} and {@code to} (createdAt), oldest first. */
  public Future<Reply> movements(ExportRequest request) {
    boolean ndjson = request.ndjson();
    String tenantId = request.tenantId();
    JsonObject scope = Mongo.createdBetween(new JsonObject(), request.createdRange()).put(Fields.TENANT_ID, tenantId);
    Function<JsonObject, ExportRow.Movement> row = m -> RecordCodec.fromDocument(ExportRow.StoredMovement.class, m).row(tenantId);
    Function<JsonObject, String> line = ndjson ? m -> row.apply(m).ndjson() : m -> row.apply(m).csv();
    return Future.succeededFuture(streamed(open(movements.openExport(scope,
      ndjson ? null : Csv.line(ExportRow.columns(ExportRow.Movement.class)), line, CHUNK_ROWS)), ndjson, "movements"));
  }

  /** Rows in _id order, one short query per chunk (the owning repository's {@code KeysetPages}). */
  private String open(PullStream.Source rows) {
    return PullStream.open(vertx, rows, IDLE_MS);
  }

  private Future<Map<String, String>> productNames(String tenantId) {
    return products.names(tenantId)
      .map(products -> {
        Map<String, String> names = new HashMap<>();
        products.forEach(doc -> {
          ExportRow.ProductName p = RecordCodec.fromDocument(ExportRow.ProductName.class, doc);
          names.put(p.id(), p.name());
        });
        return names;
      });
  }

  /** The attribute names the tenant's variants use, read page by page (only the names are kept). */
  private Future<List<String>> attributeNames(JsonObject scope) {
    return attributeNames(scope, null, new TreeSet<>()).map(ArrayList::new);
  }

  private Future<TreeSet<String>> attributeNames(JsonObject scope, String afterId, TreeSet<String> names) {
    JsonObject page = new Page(CHUNK_ROWS, afterId).filter(scope.copy());
    FindOptions options = new FindOptions().setFields(Ops.only(ExportRow.StoredVariant.ATTRIBUTES)).setSort(Ops.sort(Fields.ID))
      .setLimit(CHUNK_ROWS);
    return variants.find(page, options).compose(docs -> {
      List<ExportRow.StoredVariant> variants = docs.stream().map(d -> RecordCodec.fromDocument(ExportRow.StoredVariant.class, d)).toList();
      variants.forEach(variant -> names.addAll(variant.attributes().fieldNames()));
      return variants.size() < CHUNK_ROWS ? Future.succeededFuture(names)
        : attributeNames(scope, variants.get(variants.size() - 1).id(), names);
    });
  }
}
