package io.stockroom.catalog;

import io.stockroom.platform.ScopedCollection;
import io.vertx.ext.mongo.MongoClient;

/** Products: {_id, tenantId, name, description?, category?, createdAt, updatedAt}. */
public class ProductRepository extends ScopedCollection {
  public static final String COLLECTION = "products";

  public ProductRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Product");
  }
}
