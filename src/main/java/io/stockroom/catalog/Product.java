package io.stockroom.catalog;

import io.stockroom.inventory.SearchKeys;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A product of one tenant, under which its variants (SKUs) are. {@code variantCount} moves inside the units that
 * create and delete variants; a product with variants cannot be deleted. Stored in {@code products} by
 * {@link ProductRepository}.
 */
public record Product(@Key("_id") String id, String tenantId, String name, @Key(Product.NAME_KEYS) List<String> nameKeys,
                      String description, String category, long variantCount, Instant createdAt, Instant updatedAt) {
  static final String NAME = "name";
  /** Every prefix of the lowercased name and of its words ({@link SearchKeys#name}): what {@code q} finds variants by. */
  static final String NAME_KEYS = "nameKeys";
  static final String VARIANT_COUNT = "variantCount";

  /** A new product without variants; its name as given, without surrounding blanks. */
  static Product create(String tenantId, String name, String description, String category) {
    return new Product(Mongo.newId(), tenantId, name.trim(), SearchKeys.name(name), description, category, 0,
      Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
  }

  static Product fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Product.class, doc);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code Product}). */
  public JsonObject toApi() {
    return RecordCodec.toApi(new View(id, name, description, category, variantCount, createdAt, updatedAt));
  }

  private record View(String id, String name, String description, String category, long variantCount, Instant createdAt,
                      Instant updatedAt) {
  }
}
