package io.stockroom.catalog;

import io.stockroom.catalog.CatalogCommands.ChangeProduct;
import io.stockroom.catalog.CatalogCommands.ChangeVariant;
import io.stockroom.catalog.CatalogCommands.CreateProduct;
import io.stockroom.catalog.CatalogCommands.CreateVariants;
import io.stockroom.catalog.CatalogCommands.VariantFilter;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.mongo.ChangePage;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.mongo.Page;
import io.vertx.core.Future;


/**
 * Owns the products collection; creates and changes variants through the inventory package. Creating a product or
 * variants takes an Idempotency-Key (required with opening stock): the commands are parsed inside the key's wrapper.
 */
public class CatalogVerticle extends StockServiceVerticle {
  private static final String PRODUCT_ID = "productId";
  private static final String VARIANT_ID = "variantId";

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
    return ContractSchemas.forVerticle(vertx, shared, CatalogCommands.SCHEMAS).compose(loaded -> {
      if (loaded.text(CatalogCommands.KEY_REQUIRED) == null) {
        return Future.failedFuture(new IllegalStateException("openapi.yaml has no text at " + CatalogCommands.KEY_REQUIRED));
      }
      schemas = loaded;
      return super.start();
    });
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    CatalogService catalog = new CatalogService(vertx, kit);
    IdempotencyStore keys = kit.idempotency();
    return consumers
      .bind(CatalogContract.PRODUCTS_CREATE, keys.wrap(request -> catalog.createProduct(CreateProduct.from(request))
        .map(p -> Reply.created(p.toApi()))))
      .bind(CatalogContract.PRODUCTS_LIST, request -> catalog.listProducts(request.tenantId(), Page.from(request.query())).map(Reply::ok))
      .bind(CatalogContract.PRODUCTS_GET, request -> catalog.getProduct(request.tenantId(), request.pathParam(PRODUCT_ID))
        .map(p -> Reply.ok(p.toApi())))
      .bind(CatalogContract.PRODUCTS_UPDATE, ChangeProduct::from, command -> catalog.changeProduct(command).map(p -> Reply.ok(p.toApi())))
      .bind(CatalogContract.PRODUCTS_DELETE, request -> catalog.deleteProduct(request.tenantId(), request.pathParam(PRODUCT_ID))
        .map(v -> Reply.noContent()))
      .bind(CatalogContract.VARIANTS_CREATE, keys.wrap(request -> catalog.createVariants(CreateVariants.from(request, schemas))))
      .bind(CatalogContract.VARIANT_MATRIX_CREATE, keys.wrap(request -> catalog.createVariants(CreateVariants.from(request, schemas))))
      .bind(CatalogContract.VARIANTS_LIST, request -> {
        VariantFilter filter = VariantFilter.from(request.query());
        return (filter.updatedAfter() != null
          ? catalog.changedVariants(request.tenantId(), ChangePage.from(filter.updatedAfter(), request.query()))
          : catalog.listVariants(request.tenantId(), filter, Page.from(request.query()))).map(Reply::ok);
      })
      .bind(CatalogContract.VARIANTS_GET, request -> catalog.getVariant(request.tenantId(), request.pathParam(VARIANT_ID)).map(Reply::ok))
      .bind(CatalogContract.VARIANTS_UPDATE, ChangeVariant::from, catalog::changeVariant)
      .bind(CatalogContract.VARIANTS_DELETE, request -> catalog.deleteVariant(request.invocation(), request.pathParam(VARIANT_ID)));
  }
}
