package io.stockroom;

import io.stockroom.auth.UserRepository;
import io.stockroom.catalog.ProductRepository;
import io.stockroom.catalog.VariantRepository;
import io.stockroom.platform.Settings;
import io.stockroom.platform.Storage;
import io.stockroom.supplier.SupplierRepository;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;

/** Deployed first: creates every collection's indexes, so services start against a ready schema. */
public class StorageVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    MongoClient mongo = Storage.mongo(vertx, Settings.of(config()));
    return Future.all(
      new UserRepository(mongo).createIndexes(),
      new ProductRepository(mongo).createScopedIdIndex(),
      new VariantRepository(mongo).createIndexes(),
      new SupplierRepository(mongo).createScopedIdIndex());
  }
}
