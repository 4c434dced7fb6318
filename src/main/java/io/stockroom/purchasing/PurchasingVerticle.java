package io.stockroom.purchasing;

import io.stockroom.platform.ServiceConsumers;
import io.stockroom.platform.Settings;
import io.stockroom.platform.StockServiceKit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns purchase orders and receipts. */
public class PurchasingVerticle extends VerticleBase {
  private StockServiceKit kit;

  @Override
  public Future<?> start() {
    return StockServiceKit.create(vertx, Settings.of(config())).compose(created -> {
      kit = created;
      PurchaseOrderService purchaseOrders = new PurchaseOrderService(kit.mongo(), kit.locks(), kit.units());
      ReceivingService receiving = new ReceivingService(vertx, kit);
      return new ServiceConsumers(vertx.eventBus())
        .bind(PurchasingContract.CREATE, kit.idempotency().wrap("po.create", purchaseOrders::create))
        .bind(PurchasingContract.LIST, purchaseOrders::list)
        .bind(PurchasingContract.GET, purchaseOrders::get)
        .bind(PurchasingContract.UPDATE, purchaseOrders::update)
        .bind(PurchasingContract.DELETE, purchaseOrders::delete)
        .bind(PurchasingContract.SEND, purchaseOrders::send)
        .bind(PurchasingContract.CONFIRM, purchaseOrders::confirm)
        .bind(PurchasingContract.CANCEL, purchaseOrders::cancel)
        .bind(PurchasingContract.CLOSE, purchaseOrders::close)
        .bind(PurchasingContract.RECEIVE, kit.idempotency().wrap("po.receive", receiving::receive))
        .bind(PurchasingContract.LIST_RECEIPTS, receiving::list)
        .ready();
    });
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.close();
  }
}
