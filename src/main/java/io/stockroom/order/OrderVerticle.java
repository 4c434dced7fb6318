package io.stockroom.order;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;


/**
 * Owns customer orders and the reservations they consume: placing, cancelling, returning, holding and releasing, each
 * one unit of work under per-variant locks; gives back expired holds every {@link #EXPIRE_EVERY_MS}.
 */
public class OrderVerticle extends StockServiceVerticle {
  /** Expired holds become available again within this period (plus the time to process a batch). */
  static final long EXPIRE_EVERY_MS = 2_000;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    OrderService orders = new OrderService(vertx, kit);
    ReservationService reservations = new ReservationService(vertx, kit);
    everyTurn("reservation-expiry", EXPIRE_EVERY_MS, reservations::expireDue);
    return consumers
      .bind(OrderContract.PLACE, kit.idempotency().wrap(orders::place))
      .bind(OrderContract.LIST, orders::list)
      .bind(OrderContract.GET, orders::get)
      .bind(OrderContract.CANCEL, kit.idempotency().wrap(orders::cancel))
      .bind(OrderContract.RETURN, kit.idempotency().wrap(orders::returnItems))
      .bind(OrderContract.RESERVE, kit.idempotency().wrap(reservations::create))
      .bind(OrderContract.RESERVATIONS_LIST, reservations::list)
      .bind(OrderContract.RESERVATIONS_GET, reservations::get)
      .bind(OrderContract.RELEASE, kit.idempotency().wrap(reservations::release));
  }
}
