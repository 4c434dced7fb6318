package io.stockroom.purchasing;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** A delivery received against a purchase order, where it arrived and who took it in. Stored in {@code receipts}. */
record Receipt(String id, String tenantId, String purchaseOrderId, String supplierId, PurchaseOrder.Delivery delivery, String locationId,
               String note, String createdBy, Instant createdAt) {

  JsonObject toDocument() {
    JsonArray lines = new JsonArray();
    delivery.lines().forEach(line -> lines.add(line.toDocument()));
    return new JsonObject().put("_id", id).put("tenantId", tenantId).put("purchaseOrderId", purchaseOrderId).put("supplierId", supplierId)
      .put("lines", lines).put("locationId", locationId).put("totalQuantity", delivery.totalQuantity())
      .put("totalValue", Amounts.stored(delivery.totalValue())).put("totalVariance", Amounts.stored(delivery.totalVariance()))
      .put("note", note).put("createdBy", createdBy).put("createdAt", Mongo.date(createdAt));
  }

  /** What clients see (the contract's {@code Receipt}): its document holds nothing else but the tenant. */
  JsonObject toApi() {
    return Mongo.toApi(toDocument());
  }
}
