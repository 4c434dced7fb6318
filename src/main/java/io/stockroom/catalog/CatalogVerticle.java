package io.stockroom.catalog;

import io.stockroom.platform.ServiceConsumers;
import io.stockroom.platform.Settings;
import io.stockroom.platform.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;
import io.stockroom.inventory.MovementRepository;
import io.stockroom.platform.unit.UnitRunners;

/** Owns the products and variants collections. */
public class CatalogVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    return UnitRunners.resolveMode(mongo, settings).compose(transactions -> {
      CatalogService catalog = new CatalogService(new ProductRepository(mongo), new VariantRepository(mongo),
        new MovementRepository(mongo), UnitRunners.create(vertx, settings, mongo, transactions));
      return new ServiceConsumers(vertx.eventBus())
      .bind(CatalogContract.PRODUCTS_CREATE, catalog::createProduct)
      .bind(CatalogContract.PRODUCTS_LIST, catalog::listProducts)
      .bind(CatalogContract.PRODUCTS_GET, catalog::getProduct)
      .bind(CatalogContract.PRODUCTS_UPDATE, catalog::updateProduct)
      .bind(CatalogContract.PRODUCTS_DELETE, catalog::deleteProduct)
      .bind(CatalogContract.VARIANTS_CREATE, catalog::createVariants)
      .bind(CatalogContract.VARIANTS_LIST, catalog::listVariants)
      .bind(CatalogContract.VARIANTS_GET, catalog::getVariant)
      .bind(CatalogContract.VARIANTS_UPDATE, catalog::updateVariant)
      .bind(CatalogContract.VARIANTS_DELETE, catalog::deleteVariant)
      .ready();
    });
  }
}
