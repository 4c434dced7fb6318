package io.stockroom.supplier;

import io.stockroom.platform.lock.LockKind;
import io.stockroom.platform.mongo.RecordCollection;
import io.stockroom.platform.unit.GuardedCounter;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

/**
 * The {@code suppliers} collection: {@link Supplier}s, one document each (its profile's fields, openPurchaseOrders,
 * createdAt, updatedAt). Purchasing changes {@code openPurchaseOrders} inside its units, and a supplier is deleted only
 * by a write whose filter requires it to be 0, so a purchase order created at the same moment and the deletion cannot
 * both succeed.
 */
public class SupplierRepository extends RecordCollection<Supplier> {
  public static final String COLLECTION = "suppliers";
  /** The lock of a supplier (its rank in the lock order and the collection it guards). */
  public static final LockKind LOCK = LockKind.parent("supplier", COLLECTION);

  private final GuardedCounter dependants;

  public SupplierRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Supplier", Supplier::toDocument, Supplier::fromDocument, Supplier::toApi);
    this.dependants = new GuardedCounter(mongo, this, Supplier.OPEN_PURCHASE_ORDERS);
  }

  /** A purchase order of this supplier opened (+1) or ended (−1); 404 when the supplier does not exist. */
  public Future<Void> openOrdersChanged(Unit unit, String tenantId, String supplierId, long delta) {
    return dependants.add(unit, tenantId, supplierId, delta);
  }

  /** Deletes the supplier unless it has open purchase orders (409) or does not exist (404). */
  public Future<Void> deleteUnlessOpenOrders(String tenantId, String supplierId) {
    return dependants.deleteWhileZero(tenantId, supplierId, "Supplier has open purchase orders; close or cancel them first");
  }
}
