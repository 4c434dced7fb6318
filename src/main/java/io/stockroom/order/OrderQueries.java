package io.stockroom.order;

import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.platform.mongo.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Orders as the API shows them. */
public class OrderQueries {
  private final OrderRepository orders;

  public OrderQueries(StockServiceKit kit) {
    this.orders = new OrderRepository(kit.mongo());
  }

  /** One page of the tenant's orders the query's filters let through. */
  public Future<JsonObject> list(String tenantId, JsonObject query) {
    return orders.search(tenantId, query, Page.from(query));
  }

  public Future<JsonObject> get(String tenantId, String orderId) {
    return orders.get(tenantId, orderId).map(OrderRepository::toApi);
  }
}
