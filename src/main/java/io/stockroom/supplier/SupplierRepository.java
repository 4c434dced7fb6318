package io.stockroom.supplier;

import io.stockroom.platform.ScopedCollection;
import io.vertx.ext.mongo.MongoClient;

/** Suppliers: {_id, tenantId, name, contactName?, email?, phone?, address?, leadTimeDays?, notes?, createdAt, updatedAt}. */
public class SupplierRepository extends ScopedCollection {
  public static final String COLLECTION = "suppliers";

  public SupplierRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Supplier");
  }
}
