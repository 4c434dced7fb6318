package io.stockroom.purchasing;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.mongo.FindOptions;
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

  Future<JsonArray> forPurchaseOrder(String tenantId, String purchaseOrderId) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(Receipt.PURCHASE_ORDER_ID, purchaseOrderId),
        new FindOptions().setSort(Ops.sort(Fields.ID)))
      .map(docs -> new JsonArray(docs.stream().map(doc -> RecordCodec.fromDocument(Receipt.Document.class, doc).toApi()).toList()));
  }
}
