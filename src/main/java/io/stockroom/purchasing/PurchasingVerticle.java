package io.stockroom.purchasing;

import io.stockroom.inventory.StockProjection;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Function;

/** Owns purchase orders and receipts. */
public class PurchasingVerticle extends StockServiceVerticle {
  private final Function<MongoClient, StockProjection> projection;

  public PurchasingVerticle(Function<MongoClient, StockProjection> projection) {
    this.projection = projection;
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    StockProjection stockProjection = projection.apply(kit.mongo());
    PurchaseOrderService purchaseOrders = new PurchaseOrderService(kit, stockProjection);
    ReceivingService receiving = new ReceivingService(vertx, kit, stockProjection, purchaseOrders);
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
