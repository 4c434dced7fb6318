package io.stockroom.purchasing;

import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/** A delivery received against a purchase order, where it arrived and who took it in. Stored in {@code receipts}. */
record Receipt(String id, String tenantId, String purchaseOrderId, String supplierId, PurchaseOrder.Delivery delivery, String locationId,
               String note, String createdBy, Instant createdAt) {
  static final String PURCHASE_ORDER_ID = "purchaseOrderId";

  /** A receipt's document in {@code receipts}: the delivery's lines and their sums. */
  record Document(@Key("_id") String id, String tenantId, String purchaseOrderId, String supplierId, List<ReceiptLine.Entry> lines,
                  String locationId, long totalQuantity, BigInteger totalValue, BigInteger totalVariance, @ExplicitNull String note,
                  @ExplicitNull String createdBy, Instant createdAt) {

    /** What clients see (the contract's {@code Receipt}): the document but its tenant; a receipt without a note shows it as null. */
    JsonObject toApi() {
      return RecordCodec.toApi(new View(id, purchaseOrderId, supplierId, lines.stream().map(ReceiptLine.Entry::toApi).toList(), locationId,
        totalQuantity, totalValue, totalVariance, note, createdBy, createdAt));
    }
  }

  private record View(String id, String purchaseOrderId, String supplierId, List<ReceiptLine.Shown> lines, String locationId,
                      long totalQuantity, BigInteger totalValue, BigInteger totalVariance, @ExplicitNull String note,
                      @ExplicitNull String createdBy, Instant createdAt) {
  }

  Document document() {
    return new Document(id, tenantId, purchaseOrderId, supplierId, delivery.lines().stream().map(ReceiptLine::entry).toList(), locationId,
      delivery.totalQuantity(), delivery.totalValue(), delivery.totalVariance(), note, createdBy, createdAt);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(document());
  }

  JsonObject toApi() {
    return document().toApi();
  }
}
