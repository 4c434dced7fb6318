package io.stockroom.purchasing;

import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.mongo.Page;
import io.stockroom.purchasing.PurchasingCommands.ChangePurchaseOrder;
import io.stockroom.purchasing.PurchasingCommands.CreatePurchaseOrder;
import io.stockroom.purchasing.PurchasingCommands.PurchaseOrderFilter;
import io.stockroom.purchasing.PurchasingCommands.ReceiveDelivery;

/**
 * Owns purchase orders and receipts. Creating an order, its transitions and receiving a delivery take an
 * Idempotency-Key: their commands are parsed inside the key's wrapper, so that they carry its claim.
 */
public class PurchasingVerticle extends StockServiceVerticle {
  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    PurchaseOrderService purchaseOrders = new PurchaseOrderService(kit);
    ReceivingService receiving = new ReceivingService(vertx, kit);
    IdempotencyStore keys = kit.idempotency();
    return consumers
      .bind(PurchasingContract.CREATE, keys.wrap(request -> purchaseOrders.create(CreatePurchaseOrder.from(request))))
      .bind(PurchasingContract.LIST, request -> purchaseOrders.list(request.tenantId(), PurchaseOrderFilter.from(request.query()),
        Page.from(request.query())).map(Reply::ok))
      .bind(PurchasingContract.GET, request -> purchaseOrders.get(request.tenantId(), purchaseOrderId(request))
        .map(po -> Reply.ok(po.toApi())))
      .bind(PurchasingContract.UPDATE, ChangePurchaseOrder::from, purchaseOrders::change)
      .bind(PurchasingContract.DELETE, request -> purchaseOrders.delete(request.invocation(), purchaseOrderId(request)))
      .bind(PurchasingContract.SEND, keys.wrap(request -> purchaseOrders.send(request.invocation(), purchaseOrderId(request))))
      .bind(PurchasingContract.CONFIRM, keys.wrap(request -> purchaseOrders.confirm(request.invocation(), purchaseOrderId(request))))
      .bind(PurchasingContract.CANCEL, keys.wrap(request -> purchaseOrders.cancel(request.invocation(), purchaseOrderId(request))))
      .bind(PurchasingContract.CLOSE, keys.wrap(request -> purchaseOrders.close(request.invocation(), purchaseOrderId(request))))
      .bind(PurchasingContract.RECEIVE, keys.wrap(request -> receiving.receive(ReceiveDelivery.from(request))))
      .bind(PurchasingContract.LIST_RECEIPTS, request -> receiving.receipts(request.tenantId(), purchaseOrderId(request),
        Page.from(request.query())).map(Reply::ok));
  }

  private static String purchaseOrderId(BusRequest request) {
    return request.pathParam(PurchasingCommands.PURCHASE_ORDER_ID);
  }
}
