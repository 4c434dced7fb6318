package io.stockroom.catalog;

/** Event-bus addresses answered by {@link CatalogVerticle}. Messages are {@code BusRequest} envelopes. */
public final class CatalogContract {
  public static final String PRODUCTS_CREATE = "stockroom.products.create";
  public static final String PRODUCTS_LIST = "stockroom.products.list";
  public static final String PRODUCTS_GET = "stockroom.products.get";
  public static final String PRODUCTS_UPDATE = "stockroom.products.update";
  public static final String PRODUCTS_DELETE = "stockroom.products.delete";
  public static final String VARIANTS_CREATE = "stockroom.variants.create";
  public static final String VARIANTS_LIST = "stockroom.variants.list";
  public static final String VARIANTS_GET = "stockroom.variants.get";
  public static final String VARIANTS_UPDATE = "stockroom.variants.update";
  public static final String VARIANTS_DELETE = "stockroom.variants.delete";

  private CatalogContract() {
  }
}
