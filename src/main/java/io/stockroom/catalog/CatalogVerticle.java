package io.stockroom.catalog;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import io.vertx.core.Future;


/** Owns the products collection; creates and changes variants through the inventory package. */
public class CatalogVerticle extends StockServiceVerticle {
  private final Future<ContractSchemas> shared;
  private ContractSchemas schemas;

  /** Reads the contract itself. */
  public CatalogVerticle() {
    this(null);
  }

  /** Uses the contract's schemas read once for every verticle. */
  public CatalogVerticle(Future<ContractSchemas> shared) {
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    return ContractSchemas.forVerticle(vertx, shared, CatalogService.SCHEMAS).compose(loaded -> {
      schemas = loaded;
      return super.start();
    });
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    CatalogService catalog = new CatalogService(vertx, kit, schemas);
    return consumers
      .bind(CatalogContract.PRODUCTS_CREATE, catalog::createProduct)
      .bind(CatalogContract.PRODUCTS_LIST, catalog::listProducts)
      .bind(CatalogContract.PRODUCTS_GET, catalog::getProduct)
      .bind(CatalogContract.PRODUCTS_UPDATE, catalog::updateProduct)
      .bind(CatalogContract.PRODUCTS_DELETE, catalog::deleteProduct)
      .bind(CatalogContract.VARIANTS_CREATE, catalog::createVariants)
      .bind(CatalogContract.VARIANTS_LIST, catalog::listVariants)
      .bind(CatalogContract.VARIANTS_GET, catalog::getVariant)
      .bind(CatalogContract.VARIANTS_UPDATE, catalog::updateVariant)
      .bind(CatalogContract.VARIANTS_DELETE, catalog::deleteVariant);
  }
}
