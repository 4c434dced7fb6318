package io.stockroom.catalog;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A product of one tenant, under which its variants (SKUs) are. {@code variantCount} moves inside the units that
 * create and delete variants; a product with variants cannot be deleted. Stored in {@code products} by
 * {@link ProductRepository}.
 */
public record Product(String id, String tenantId, String name, String description, String category, long variantCount,
                      Instant createdAt, Instant updatedAt) {

  /** A new product without variants; its name as given, without surrounding blanks. */
  static Product create(String tenantId, String name, String description, String category) {
    return new Product(Mongo.newId(), tenantId, name.trim(), description, category, 0, Instant.now().truncatedTo(ChronoUnit.MILLIS),
      null);
  }

  static Product fromDocument(JsonObject doc) {
    return new Product(doc.getString("_id"), doc.getString("tenantId"), doc.getString("name"), doc.getString("description"),
      doc.getString("category"), doc.getLong("variantCount", 0L), Mongo.instant(doc.getValue("createdAt")),
      Mongo.instant(doc.getValue("updatedAt")));
  }

  JsonObject toDocument() {
    JsonObject doc = new JsonObject().put("_id", id).put("tenantId", tenantId).put("name", name).put("variantCount", variantCount)
      .put("createdAt", Mongo.date(createdAt));
    if (description != null) doc.put("description", description);
    if (category != null) doc.put("category", category);
    if (updatedAt != null) doc.put("updatedAt", Mongo.date(updatedAt));
    return doc;
  }

  /** What clients see (the contract's {@code Product}). */
  public JsonObject toApi() {
    JsonObject api = new JsonObject().put("id", id).put("name", name).put("variantCount", variantCount)
      .put("createdAt", Mongo.apiInstant(createdAt));
    if (description != null) api.put("description", description);
    if (category != null) api.put("category", category);
    if (updatedAt != null) api.put("updatedAt", Mongo.apiInstant(updatedAt));
    return api;
  }
}
