package io.stockroom.catalog;

import io.stockroom.platform.bus.ServiceOperation;

/**
 * Event-bus addresses answered by {@link CatalogVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class CatalogContract {
  public static final ServiceOperation PRODUCTS_CREATE = ServiceOperation.named("products.create");
  public static final ServiceOperation PRODUCTS_LIST = ServiceOperation.named("products.list");
  public static final ServiceOperation PRODUCTS_GET = ServiceOperation.named("products.get");
  public static final ServiceOperation PRODUCTS_UPDATE = ServiceOperation.named("products.update");
  public static final ServiceOperation PRODUCTS_DELETE = ServiceOperation.named("products.delete");
  public static final ServiceOperation VARIANTS_CREATE = ServiceOperation.named("variants.create");
  public static final ServiceOperation VARIANT_MATRIX_CREATE = ServiceOperation.named("variants.create-matrix");
  public static final ServiceOperation VARIANTS_LIST = ServiceOperation.named("variants.list");
  public static final ServiceOperation VARIANTS_GET = ServiceOperation.named("variants.get");
  public static final ServiceOperation VARIANTS_UPDATE = ServiceOperation.named("variants.update");
  public static final ServiceOperation VARIANTS_DELETE = ServiceOperation.named("variants.delete");

  private CatalogContract() {
  }
}
