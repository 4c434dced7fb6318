package io.stockroom.purchasing;

import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StatusChange;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.unit.Unit;
import io.stockroom.purchasing.PurchasingCommands.PurchaseOrderFilter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code purchase_orders} collection: {@link PurchaseOrder}s, one document each {_id, tenantId, supplierId,
 * locationId, status, lines[{variantId, sku, quantity, unitCost, received, receivedValue, variance}], orderedValue,
 * receivedUnits, receivedValue, totalVariance (the sums of the lines, kept for queries), expectedAt, note, version,
 * createdBy, createdAt, updatedAt, sentAt?, confirmedAt?, receivedAt?, closedAt?, cancelledAt?}. Written only inside
 * units of work, by compare-and-set on the document as read under the lock.
 */
public class PurchaseOrderRepository extends ScopedCollection {
  public static final String COLLECTION = "purchase_orders";

  /** A purchase order with the document it was read from: what a compare-and-set on it is pinned to. */
  record Stored(PurchaseOrder order, JsonObject document) {
  }

  public PurchaseOrderRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Purchase order");
  }

  Future<PurchaseOrder> find(String tenantId, String id) {
    return get(tenantId, id).map(PurchaseOrderRepository::fromDocument);
  }

  Future<Stored> read(String tenantId, String id) {
    return get(tenantId, id).map(doc -> new Stored(fromDocument(doc), doc));
  }

  Future<JsonObject> search(String tenantId, PurchaseOrderFilter wanted, Page page) {
    JsonObject filter = new JsonObject();
    if (wanted.status() != null) filter.put("status", wanted.status().name());
    if (wanted.supplierId() != null) filter.put("supplierId", wanted.supplierId());
    return page(tenantId, filter, page);
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return fromDocument(doc).toApi();
  }

  Future<Void> insert(Unit unit, PurchaseOrder order) {
    return unit.insert(COLLECTION, toDocument(order).put("version", 0L));
  }

  /** Stores {@code after} over the order as read under the lock: 409 if it changed since. */
  Future<PurchaseOrder> change(Unit unit, Stored before, PurchaseOrder after) {
    JsonObject set = toDocument(after);
    List.of("_id", "tenantId", "createdBy", "createdAt", "updatedAt").forEach(set::remove);
    return StatusChange.apply(unit, COLLECTION, before.document(), set, "purchase order").map(PurchaseOrderRepository::fromDocument);
  }

  Future<Void> delete(Unit unit, Stored before) {
    return unit.delete(COLLECTION, before.document()).compose(deleted -> deleted ? Future.succeededFuture()
      : ServiceError.fail(ErrorCode.CONFLICT, "The purchase order changed concurrently; retry"));
  }

  /** Orders from before locations existed are expected at the default location. */
  static PurchaseOrder fromDocument(JsonObject doc) {
    String tenantId = doc.getString("tenantId");
    List<PurchaseOrderLine> lines = doc.getJsonArray("lines").stream().map(JsonObject.class::cast)
      .map(PurchaseOrderRepository::lineFromDocument).toList();
    Map<PurchaseOrderStatus, Instant> reachedAt = new EnumMap<>(PurchaseOrderStatus.class);
    for (PurchaseOrderStatus status : PurchaseOrderStatus.values()) {
      Instant at = Mongo.instant(doc.getValue(status.stampField()));
      if (at != null) reachedAt.put(status, at);
    }
    return new PurchaseOrder(doc.getString("_id"), tenantId, doc.getString("supplierId"),
      doc.getString("locationId", Locations.defaultId(tenantId)), PurchaseOrderStatus.of(doc.getString("status")), lines,
      Mongo.instant(doc.getValue("expectedAt")), doc.getString("note"), doc.getString("createdBy"),
      Mongo.instant(doc.getValue("createdAt")), Mongo.instant(doc.getValue("updatedAt")), reachedAt);
  }

  static JsonObject toDocument(PurchaseOrder order) {
    JsonArray lines = new JsonArray();
    order.lines().forEach(line -> lines.add(lineToDocument(line)));
    JsonObject doc = new JsonObject().put("_id", order.id()).put("tenantId", order.tenantId()).put("supplierId", order.supplierId())
      .put("locationId", order.locationId()).put("status", order.status().name()).put("lines", lines)
      .put("orderedValue", Amounts.stored(order.orderedValue())).put("receivedUnits", order.receivedUnits())
      .put("receivedValue", Amounts.stored(order.receivedValue())).put("totalVariance", Amounts.stored(order.totalVariance()))
      .put("expectedAt", order.expectedAt() == null ? null : Mongo.date(order.expectedAt())).put("note", order.note())
      .put("createdBy", order.createdBy()).put("createdAt", Mongo.date(order.createdAt()));
    if (order.updatedAt() != null) doc.put("updatedAt", Mongo.date(order.updatedAt()));
    order.reachedAt().forEach((status, at) -> doc.put(status.stampField(), Mongo.date(at)));
    return doc;
  }

  private static PurchaseOrderLine lineFromDocument(JsonObject doc) {
    return new PurchaseOrderLine(doc.getString("variantId"), doc.getString("sku"), doc.getLong("quantity"), doc.getLong("unitCost"),
      doc.getLong("received", 0L), Amounts.of(doc.getValue("receivedValue")), Amounts.of(doc.getValue("variance")));
  }

  private static JsonObject lineToDocument(PurchaseOrderLine line) {
    return new JsonObject().put("variantId", line.variantId()).put("sku", line.sku()).put("quantity", line.quantity())
      .put("unitCost", line.unitCost()).put("received", line.received()).put("receivedValue", Amounts.stored(line.receivedValue()))
      .put("variance", Amounts.stored(line.variance()));
  }
}
