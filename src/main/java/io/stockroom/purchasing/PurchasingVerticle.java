package io.stockroom.purchasing;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;


/** Owns purchase orders and receipts. */
public class PurchasingVerticle extends StockServiceVerticle {
  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    PurchaseOrderService purchaseOrders = new PurchaseOrderService(kit);
    ReceivingService receiving = new ReceivingService(vertx, kit, purchaseOrders);
    return consumers
      .bind(PurchasingContract.CREATE, kit.idempotency().wrap(purchaseOrders::create))
      .bind(PurchasingContract.LIST, purchaseOrders::list)
      .bind(PurchasingContract.GET, purchaseOrders::get)
      .bind(PurchasingContract.UPDATE, purchaseOrders::update)
      .bind(PurchasingContract.DELETE, purchaseOrders::delete)
      .bind(PurchasingContract.SEND, purchaseOrders::send)
      .bind(PurchasingContract.CONFIRM, purchaseOrders::confirm)
      .bind(PurchasingContract.CANCEL, purchaseOrders::cancel)
      .bind(PurchasingContract.CLOSE, purchaseOrders::close)
      .bind(PurchasingContract.RECEIVE, kit.idempotency().wrap(receiving::receive))
      .bind(PurchasingContract.LIST_RECEIPTS, receiving::list);
  }
}
