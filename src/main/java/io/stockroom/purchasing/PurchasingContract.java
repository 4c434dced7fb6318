package io.stockroom.purchasing;

/** Event-bus addresses answered by {@link PurchasingVerticle}. Messages are {@code BusRequest} envelopes. */
public final class PurchasingContract {
  public static final String CREATE = "stockroom.purchaseOrders.create";
  public static final String LIST = "stockroom.purchaseOrders.list";
  public static final String GET = "stockroom.purchaseOrders.get";
  public static final String UPDATE = "stockroom.purchaseOrders.update";
  public static final String DELETE = "stockroom.purchaseOrders.delete";
  public static final String SEND = "stockroom.purchaseOrders.send";
  public static final String CONFIRM = "stockroom.purchaseOrders.confirm";
  public static final String CANCEL = "stockroom.purchaseOrders.cancel";
  public static final String CLOSE = "stockroom.purchaseOrders.close";
  public static final String RECEIVE = "stockroom.purchaseOrders.receive";
  public static final String LIST_RECEIPTS = "stockroom.purchaseOrders.receipts.list";

  private PurchasingContract() {
  }
}
