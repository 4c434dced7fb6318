package io.stockroom.catalog;

import io.stockroom.platform.ServiceConsumers;
import io.stockroom.platform.Settings;
import io.stockroom.platform.StockServiceKit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.stockroom.inventory.MovementRepository;

/** Owns the products and variants collections (variant creation with opening stock is a unit of work). */
public class CatalogVerticle extends VerticleBase {
  private StockServiceKit kit;

  @Override
  public Future<?> start() {
    return StockServiceKit.create(vertx, Settings.of(config())).compose(created -> {
      kit = created;
      CatalogService catalog = new CatalogService(kit.mongo(), new MovementRepository(kit.mongo()), kit.units(), kit.zones(),
        kit.locks());
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

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.close();
  }
}
