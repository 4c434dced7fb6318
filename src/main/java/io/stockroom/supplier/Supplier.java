package io.stockroom.supplier;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A supplier of one tenant: its profile, and how many of its purchase orders are open (DRAFT, SENT or CONFIRMED;
 * purchasing counts them, and a supplier with any cannot be deleted). Stored in {@code suppliers}; only
 * {@link SupplierRepository} turns it into a document and back.
 */
public record Supplier(String id, String tenantId, SupplierProfile profile, long openPurchaseOrders, Instant createdAt,
                       Instant updatedAt) {

  /** A new supplier with no purchase orders yet. */
  static Supplier create(String tenantId, SupplierProfile profile) {
    return new Supplier(Mongo.newId(), tenantId, profile, 0, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null);
  }

  static final String OPEN_PURCHASE_ORDERS = "openPurchaseOrders";

  /** The supplier's own fields of its document; the profile's fields sit beside them, at top level. */
  private record Own(@Key("_id") String id, String tenantId, long openPurchaseOrders, Instant createdAt, Instant updatedAt) {
  }

  /** The supplier's own fields clients see, beside the profile's. */
  private record OwnView(String id, long openPurchaseOrders, Instant createdAt, Instant updatedAt) {
  }

  /** A stored document: its profile's fields, flat, and the supplier's own ({@link Own}). */
  static Supplier fromDocument(JsonObject doc) {
    Own own = RecordCodec.fromDocument(Own.class, doc);
    return new Supplier(own.id(), own.tenantId(), SupplierProfile.fromJson(doc), own.openPurchaseOrders(), own.createdAt(),
      own.updatedAt());
  }

  JsonObject toDocument() {
    return profile.toJson().mergeIn(RecordCodec.toDocument(new Own(id, tenantId, openPurchaseOrders, createdAt, updatedAt)));
  }

  /** What clients see: the profile, the open-order count and the dates; nothing else of the document. */
  public JsonObject toApi() {
    return profile.toJson().mergeIn(RecordCodec.toApi(new OwnView(id, openPurchaseOrders, createdAt, updatedAt)));
  }
}
