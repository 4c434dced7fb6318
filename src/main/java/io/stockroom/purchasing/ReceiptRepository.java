package io.stockroom.purchasing;

import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Goods receipts against a purchase order: {_id, tenantId, purchaseOrderId, supplierId, lines[{variantId, sku,
 * quantity, orderedUnitCost, unitCost, unitVariance, lineVariance, value}], totalQuantity, totalValue, totalVariance,
 * note?, createdBy, createdAt}. Inserted only inside the receiving unit of work.
 */
public class ReceiptRepository extends ScopedCollection {
  public static final String COLLECTION = "receipts";

  public ReceiptRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Receipt");
  }

  Future<Void> insert(Unit unit, Receipt receipt) {
    return unit.insert(COLLECTION, receipt.toDocument());
  }

  /** One page of the order's receipts, oldest first (index {tenantId, purchaseOrderId, _id}). */
  Future<JsonObject> forPurchaseOrder(String tenantId, String purchaseOrderId, Page page) {
    return page(tenantId, Ops.where(Receipt.PURCHASE_ORDER_ID, purchaseOrderId), page);
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return RecordCodec.fromDocument(Receipt.Document.class, doc).toApi();
  }
}
