package io.stockroom.inventory;

import io.stockroom.platform.bus.PullStream;
import io.stockroom.platform.mongo.DeadlineCalls;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.KeysetPages;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.stockroom.platform.unit.Unit;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

  /** Records a movement: queued with the unit's other writes (see {@link StockLedger}). */
  static Future<Void> record(Unit unit, JsonObject movement) {
    return unit.queueInsert(COLLECTION, movement);
  }

  /** Movements as a reader asks for them (its filter, fields, sort and limit): the ledger's followers and this package's reports. */
  public Future<List<JsonObject>> find(JsonObject filter, FindOptions options) {
    return mongo.findWithOptions(COLLECTION, filter, options);
  }

  /** Every movement matching {@code filter}, whole. */
  Future<List<JsonObject>> find(JsonObject filter) {
    return mongo.find(COLLECTION, filter);
  }

  /** The movements matching {@code filter} as a stream of lines (an export): {@link KeysetPages} of {@code pageRows}. */
  public PullStream.Source openExport(JsonObject filter, String header, Function<JsonObject, String> line, int pageRows) {
    return new KeysetPages(mongo, COLLECTION, filter, header, line, pageRows);
  }

  /** A page of the ledger, oldest first unless the query asks for {@code order=desc} (served by the same indexes, walked back). */
  public Future<JsonObject> page(String tenantId, JsonObject query, Page asked) {
    JsonObject filter = RecordCodec.toDocument(RecordCodec.api(Filter.class).decode(query));
    Page page = asked.newestFirst(ORDER_DESC.equals(RecordCodec.api(Order.class).decode(query).order()));
    Mongo.createdBetween(filter, query);
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put(Fields.TENANT_ID, tenantId)), page.findOptions())
      .map(docs -> page.result(docs, MovementRepository::toApi));
  }

  /** The movements a list asks for: of one variant, of one type (each optional); query parameters and fields have the same names. */
  private record Filter(String variantId, String type) {
  }

  /** The list's order: {@code asc} (oldest first, the default) or {@value #ORDER_DESC} (newest first). */
  private record Order(String order) {
  }

  private static final String ORDER_DESC = "desc";

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
  public Future<Map<String, LedgerLevels>> levelsByVariant(String tenantId, List<String> variantIds, long deadline) {
    if (variantIds.isEmpty()) return Future.succeededFuture(new HashMap<>());
    return levels(tenantId, Ops.where(Fields.TENANT_ID, tenantId).put(Movement.VARIANT_ID, Ops.in(variantIds)), deadline);
  }

  /** What the ledger says one variant holds. */
  public Future<LedgerLevels> levelsOf(String tenantId, String variantId, long deadline) {
    return levels(tenantId, Ops.where(Fields.TENANT_ID, tenantId).put(Movement.VARIANT_ID, variantId), deadline)
      .map(all -> all.getOrDefault(variantId, new LedgerLevels(tenantId)));
  }

  /**
   * One group per variant × location × (from, to): the sums of on-hand quantity and of units moved. The aggregation
   * runs on the server for no longer than is left until {@code deadline} (epoch ms): its cost grows with the ledger.
   */
  private Future<Map<String, LedgerLevels>> levels(String tenantId, JsonObject match, long deadline) {
    Group group = new Group(new GroupKey("$" + Movement.VARIANT_ID, "$" + Movement.LOCATION_ID, "$" + Movement.FROM, "$" + Movement.TO),
      new Sum("$" + Movement.QUANTITY), new Sum("$" + Movement.UNITS));
    JsonArray pipeline = new JsonArray().add(Ops.where("$match", match)).add(Ops.where("$group", RecordCodec.toDocument(group)));
    return DeadlineCalls.of(mongo).aggregate(deadline, COLLECTION, pipeline)
      .map(rows -> {
        Map<String, LedgerLevels> byVariant = new HashMap<>();
        for (JsonObject row : rows) {
          Summed summed = RecordCodec.fromDocument(Summed.class, row);
          GroupKey id = summed.id();
          byVariant.computeIfAbsent(id.v(), v -> new LedgerLevels(tenantId))
            .add(id.l(), id.f(), id.t(), summed.quantity(), summed.units());
        }
        return byVariant;
      });
  }

  /** The group's key: variant, location, from and to (as field paths in the stage, as values in its rows). */
  private record GroupKey(String v, String l, String f, String t) {
  }

  private record Sum(@Key("$sum") String field) {
  }

  /** The {@code $group} stage. */
  private record Group(@Key("_id") GroupKey id, Sum quantity, Sum units) {
  }

  /** One row the stage answers (a sum over no numbers is 0). */
  private record Summed(@Key("_id") GroupKey id, long quantity, long units) {
  }
}
