package io.stockroom.order;

import io.stockroom.inventory.kernel.StatusChange;
import io.stockroom.platform.lock.LockKind;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
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
  /** The lock of a order (its rank in the lock order and the collection it guards). */
  public static final LockKind LOCK = LockKind.document("order", COLLECTION);

  public OrderRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Order");
  }

  /** Inside a unit: a placed order, queued with the unit's other writes. */
  static Future<Void> placed(Unit unit, Order order) {
    return unit.queueInsert(COLLECTION, order.toDocument());
  }

  /** Inside a unit: {@code changes} over the order as read, if it is still the version read (see {@link StatusChange}). */
  static Future<JsonObject> changed(Unit unit, JsonObject before, JsonObject changes) {
    return StatusChange.apply(unit, COLLECTION, before, changes, "order");
  }

  /** One page of the tenant's orders, of one status if the query names it, created in its range if it gives one. */
  public Future<JsonObject> search(String tenantId, JsonObject query, Page page) {
    Listing listing = RecordCodec.api(Listing.class).decode(query);
    JsonObject filter = listing.status() == null ? new JsonObject() : Ops.where(Order.STATUS, listing.status());
    Mongo.createdBetween(filter, query);
    return page(tenantId, filter, page);
  }

  /** The filters of a list of orders (besides its creation range, which {@link Mongo#createdBetween} reads). */
  private record Listing(String status) {
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return Order.fromDocument(doc).toApi();
  }

  /** What clients see of a stored order. */
  public static JsonObject toApi(JsonObject doc) {
    return Order.fromDocument(doc).toApi();
  }
}
