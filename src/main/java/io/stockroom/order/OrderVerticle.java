package io.stockroom.order;

import io.stockroom.inventory.StockProjection;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Function;

/** Owns customer orders: placing, cancelling and returning, each one unit of work under per-variant locks. */
public class OrderVerticle extends StockServiceVerticle {
  private final Function<MongoClient, StockProjection> projection;

  public OrderVerticle(Function<MongoClient, StockProjection> projection) {
    this.projection = projection;
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    OrderService orders = new OrderService(vertx, kit, projection.apply(kit.mongo()));
    return consumers
      .bind(OrderContract.PLACE, kit.idempotency().wrap(orders::place))
      .bind(OrderContract.LIST, orders::list)
      .bind(OrderContract.GET, orders::get)
      .bind(OrderContract.CANCEL, kit.idempotency().wrap(orders::cancel))
      .bind(OrderContract.RETURN, kit.idempotency().wrap(orders::returnItems));
  }
}
