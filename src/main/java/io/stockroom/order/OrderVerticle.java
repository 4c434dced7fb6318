package io.stockroom.order;

import io.stockroom.platform.ServiceConsumers;
import io.stockroom.platform.Settings;
import io.stockroom.platform.StockServiceKit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns customer orders: placing, cancelling and returning, each one unit of work under per-variant locks. */
public class OrderVerticle extends VerticleBase {
  private StockServiceKit kit;

  @Override
  public Future<?> start() {
    return StockServiceKit.create(vertx, Settings.of(config())).compose(created -> {
      kit = created;
      OrderService orders = new OrderService(vertx, kit);
      return new ServiceConsumers(vertx.eventBus())
        .bind(OrderContract.PLACE, kit.idempotency().wrap("order.place", orders::place))
        .bind(OrderContract.LIST, orders::list)
        .bind(OrderContract.GET, orders::get)
        .bind(OrderContract.CANCEL, kit.idempotency().wrap("order.cancel", orders::cancel))
        .bind(OrderContract.RETURN, kit.idempotency().wrap("order.return", orders::returnItems))
        .ready();
    });
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.close();
  }
}
