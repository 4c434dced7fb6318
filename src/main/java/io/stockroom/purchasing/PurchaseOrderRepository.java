package io.stockroom.purchasing;

import io.stockroom.inventory.kernel.StatusChange;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.lock.LockKind;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
import io.stockroom.purchasing.PurchasingCommands.PurchaseOrderFilter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigInteger;
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
  /** The lock of a purchaseOrder (its rank in the lock order and the collection it guards). */
  public static final LockKind LOCK = LockKind.document("purchaseOrder", COLLECTION);
  static final String STATUS = "status";
  static final String SUPPLIER_ID = "supplierId";
  static final String CREATED_BY = "createdBy";
  /** What a change never rewrites: set when the order was created (its update stamp is the change's own). */
  private static final List<String> FIXED = List.of(Fields.ID, Fields.TENANT_ID, CREATED_BY, Fields.CREATED_AT, Fields.UPDATED_AT);

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
    if (wanted.status() != null) filter.mergeIn(Ops.where(STATUS, wanted.status().name()));
    if (wanted.supplierId() != null) filter.mergeIn(Ops.where(SUPPLIER_ID, wanted.supplierId()));
    return page(tenantId, filter, page);
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return fromDocument(doc).toApi();
  }

  Future<Void> insert(Unit unit, PurchaseOrder order) {
    return unit.insert(COLLECTION, toDocument(order).put(Fields.VERSION, 0L));
  }

  /** Stores {@code after} over the order as read under the lock: 409 if it changed since. */
  Future<PurchaseOrder> change(Unit unit, Stored before, PurchaseOrder after) {
    JsonObject set = toDocument(after);
    FIXED.forEach(set::remove);
    return StatusChange.apply(unit, COLLECTION, before.document(), set, "purchase order").map(PurchaseOrderRepository::fromDocument);
  }

  Future<Void> delete(Unit unit, Stored before) {
    return unit.delete(COLLECTION, before.document()).compose(deleted -> deleted ? Future.succeededFuture()
      : ServiceError.fail(ErrorCode.CONFLICT, "The purchase order changed concurrently; retry"));
  }

  /** Orders from before locations existed are expected at the default location. */
  static PurchaseOrder fromDocument(JsonObject doc) {
    Document stored = RecordCodec.fromDocument(Document.class, doc);
    Map<PurchaseOrderStatus, Instant> reachedAt = new EnumMap<>(PurchaseOrderStatus.class);
    stored.stamps().forEach((status, at) -> {
      if (at != null) reachedAt.put(status, at);
    });
    return new PurchaseOrder(stored.id(), stored.tenantId(), stored.supplierId(),
      stored.locationId() == null ? Locations.defaultId(stored.tenantId()) : stored.locationId(), stored.status(), stored.lines(),
      stored.expectedAt(), stored.note(), stored.createdBy(), stored.createdAt(), stored.updatedAt(), reachedAt);
  }

  /** The stored document: the order, its sums (kept for queries) and when it reached each status; no note or date is null. */
  static JsonObject toDocument(PurchaseOrder order) {
    Map<PurchaseOrderStatus, Instant> at = order.reachedAt();
    return RecordCodec.toDocument(new Document(order.id(), order.tenantId(), order.supplierId(), order.locationId(),
      order.status(), order.lines(), order.orderedValue(), order.receivedUnits(), order.receivedValue(), order.totalVariance(),
      order.expectedAt(), order.note(), order.createdBy(), order.createdAt(), order.updatedAt(), at.get(PurchaseOrderStatus.SENT),
      at.get(PurchaseOrderStatus.CONFIRMED), at.get(PurchaseOrderStatus.RECEIVED), at.get(PurchaseOrderStatus.CLOSED),
      at.get(PurchaseOrderStatus.CANCELLED)));
  }

  /** A purchase order's document in {@code purchase_orders}, as stored. */
  private record Document(@Key("_id") String id, String tenantId, String supplierId, String locationId, PurchaseOrderStatus status,
                          List<PurchaseOrderLine> lines, BigInteger orderedValue, long receivedUnits, BigInteger receivedValue,
                          BigInteger totalVariance, @ExplicitNull Instant expectedAt, @ExplicitNull String note,
                          @ExplicitNull String createdBy, Instant createdAt, Instant updatedAt, Instant sentAt, Instant confirmedAt,
                          Instant receivedAt, Instant closedAt, Instant cancelledAt) {
    Map<PurchaseOrderStatus, Instant> stamps() {
      Map<PurchaseOrderStatus, Instant> stamps = new EnumMap<>(PurchaseOrderStatus.class);
      stamps.put(PurchaseOrderStatus.SENT, sentAt);
      stamps.put(PurchaseOrderStatus.CONFIRMED, confirmedAt);
      stamps.put(PurchaseOrderStatus.RECEIVED, receivedAt);
      stamps.put(PurchaseOrderStatus.CLOSED, closedAt);
      stamps.put(PurchaseOrderStatus.CANCELLED, cancelledAt);
      return stamps;
    }
  }
}
