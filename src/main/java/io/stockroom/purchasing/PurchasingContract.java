package io.stockroom.purchasing;

import io.stockroom.platform.bus.ServiceOperation;

/**
 * Event-bus addresses answered by {@link PurchasingVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class PurchasingContract {
  public static final ServiceOperation CREATE = ServiceOperation.named("purchaseOrders.create");
  public static final ServiceOperation LIST = ServiceOperation.named("purchaseOrders.list");
  public static final ServiceOperation GET = ServiceOperation.named("purchaseOrders.get");
  public static final ServiceOperation UPDATE = ServiceOperation.named("purchaseOrders.update");
  public static final ServiceOperation DELETE = ServiceOperation.named("purchaseOrders.delete");
  public static final ServiceOperation SEND = ServiceOperation.named("purchaseOrders.send");
  public static final ServiceOperation CONFIRM = ServiceOperation.named("purchaseOrders.confirm");
  public static final ServiceOperation CANCEL = ServiceOperation.named("purchaseOrders.cancel");
  public static final ServiceOperation CLOSE = ServiceOperation.named("purchaseOrders.close");
  public static final ServiceOperation RECEIVE = ServiceOperation.named("purchaseOrders.receive");
  public static final ServiceOperation LIST_RECEIPTS = ServiceOperation.named("purchaseOrders.receipts.list");

  private PurchasingContract() {
  }
}
