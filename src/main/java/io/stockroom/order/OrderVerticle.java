package io.stockroom.order;

import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.order.OrderCommands.CancelOrder;
import io.stockroom.order.OrderCommands.CreateReservation;
import io.stockroom.order.OrderCommands.PlaceOrder;
import io.stockroom.order.OrderCommands.ReleaseReservation;
import io.stockroom.order.OrderCommands.ReturnItems;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.idempotency.IdempotencyStore;


/**
 * Owns customer orders and the reservations they consume: placing, cancelling, returning, holding and releasing, each
 * one unit of work under per-variant locks; gives back expired holds every {@link #EXPIRE_EVERY_MS}. The operations
 * taking an Idempotency-Key parse their commands inside the key's wrapper, so that they carry its claim.
 */
public class OrderVerticle extends StockServiceVerticle {
  /** Expired holds become available again within this period (plus the time to process a batch). */
  static final long EXPIRE_EVERY_MS = 2_000;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    PlaceOrders placing = new PlaceOrders(vertx, kit);
    OrderCancellations cancellations = new OrderCancellations(vertx, kit);
    OrderReturns returns = new OrderReturns(vertx, kit);
    OrderQueries orders = new OrderQueries(kit);
    ReservationService reservations = new ReservationService(vertx, kit);
    IdempotencyStore keys = kit.idempotency();
    everyTurn(OrderContract.EXPIRE_RESERVATIONS, EXPIRE_EVERY_MS, reservations::expireDue);
    return consumers
      .bind(OrderContract.PLACE, keys.wrap(request -> placing.place(PlaceOrder.from(request))))
      .bind(OrderContract.LIST, request -> orders.list(request.tenantId(), request.query()).map(Reply::ok))
      .bind(OrderContract.GET, request -> orders.get(request.tenantId(), request.pathParam(OrderCommands.ORDER_ID)).map(Reply::ok))
      .bind(OrderContract.CANCEL, keys.wrap(request -> cancellations.cancel(CancelOrder.from(request))))
      .bind(OrderContract.RETURN, keys.wrap(request -> returns.returnItems(ReturnItems.from(request))))
      .bind(OrderContract.RESERVE, keys.wrap(request -> reservations.create(CreateReservation.from(request))))
      .bind(OrderContract.RESERVATIONS_LIST, request -> reservations.list(request.tenantId(), request.query()).map(Reply::ok))
      .bind(OrderContract.RESERVATIONS_GET, request -> reservations.get(request.tenantId(),
        request.pathParam(OrderCommands.RESERVATION_ID)).map(Reply::ok))
      .bind(OrderContract.RELEASE, keys.wrap(request -> reservations.release(ReleaseReservation.from(request))));
  }
}
