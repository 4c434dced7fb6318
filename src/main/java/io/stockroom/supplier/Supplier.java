package io.stockroom.supplier;

import io.stockroom.platform.mongo.Mongo;
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

  static Supplier fromDocument(JsonObject doc) {
    return new Supplier(doc.getString("_id"), doc.getString("tenantId"), SupplierProfile.fromJson(doc),
      doc.getLong("openPurchaseOrders", 0L), Mongo.instant(doc.getValue("createdAt")), Mongo.instant(doc.getValue("updatedAt")));
  }

  JsonObject toDocument() {
    JsonObject doc = profile.toJson().put("_id", id).put("tenantId", tenantId).put("openPurchaseOrders", openPurchaseOrders)
      .put("createdAt", Mongo.date(createdAt));
    if (updatedAt != null) doc.put("updatedAt", Mongo.date(updatedAt));
    return doc;
  }

  /** What clients see: the profile, the open-order count and the dates; nothing else of the document. */
  public JsonObject toApi() {
    JsonObject api = profile.toJson().put("id", id).put("openPurchaseOrders", openPurchaseOrders)
      .put("createdAt", Mongo.apiInstant(createdAt));
    if (updatedAt != null) api.put("updatedAt", Mongo.apiInstant(updatedAt));
    return api;
  }
}
