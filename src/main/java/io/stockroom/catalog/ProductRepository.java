package io.stockroom.catalog;

import io.stockroom.platform.kernel.GuardedCounter;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

/**
 * Products: {_id, tenantId, name, description?, category?, variantCount, createdAt, updatedAt}. {@code variantCount}
 * changes inside the units that create and delete variants, and a product is deleted only by a write whose filter
 * requires it to be 0, so creating a variant and deleting its product at the same moment cannot both succeed.
 */
public class ProductRepository extends ScopedCollection {
  public static final String COLLECTION = "products";

  private final GuardedCounter dependants;

  public ProductRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Product");
    this.dependants = new GuardedCounter(mongo, this, "variantCount");
  }

  /** {@code delta} variants were created (or deleted, negative) under the product; 404 when it does not exist. */
  public Future<Void> variantsAdded(Unit unit, String tenantId, String productId, long delta) {
    return dependants.add(unit, tenantId, productId, delta);
  }

  /** Deletes the product unless it has variants (409) or does not exist (404). */
  public Future<Void> deleteUnlessVariants(String tenantId, String productId) {
    return dependants.deleteWhileZero(tenantId, productId, "Product still has variants; delete them first");
  }
}
