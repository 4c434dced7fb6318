package io.stockroom.catalog;

import io.stockroom.platform.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * Variants (sellable SKUs): {_id, tenantId, productId, sku, attributes{}, price (minor units), reorderLevel, stock,
 * incoming (still to come on SENT/CONFIRMED purchase orders), sales30 {u, r} (units and revenue sold net of returns in
 * the tenant's last 30 days), lastUnitCost?, createdAt, updatedAt}. SKUs are unique per tenant (unique index {tenantId, sku}). {@code stock} is never written
 * through the catalog API.
 */
public class VariantRepository extends ScopedCollection {
  public static final String COLLECTION = "variants";

  public VariantRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Variant");
  }

  public Future<Void> createIndexes() {
    return createScopedIdIndex()
      .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tenantId", 1).put("sku", 1),
        new IndexOptions().name("tenant_sku_unique").unique(true)))
      .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tenantId", 1).put("productId", 1),
        new IndexOptions().name("tenant_product")));
  }

  /** SKUs among {@code skus} already used in the tenant. */
  public Future<List<String>> existingSkus(String tenantId, List<String> skus) {
    JsonObject filter = new JsonObject().put("tenantId", tenantId).put("sku", new JsonObject().put("$in", new JsonArray(skus)));
    return mongo.findWithOptions(COLLECTION, filter, new io.vertx.ext.mongo.FindOptions().setFields(new JsonObject().put("sku", 1)))
      .map(docs -> docs.stream().map(d -> d.getString("sku")).sorted().toList());
  }

  public Future<Boolean> anyForProduct(String tenantId, String productId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("tenantId", tenantId).put("productId", productId), new JsonObject().put("_id", 1))
      .map(doc -> doc != null);
  }

  @Override
  protected String duplicateHint(JsonObject doc) {
    return doc.containsKey("sku") ? ": SKU " + doc.getString("sku") + " is already used in your tenant" : "";
  }
}
