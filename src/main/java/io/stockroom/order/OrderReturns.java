package io.stockroom.order;

import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockEvents;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.ReturnItems;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Partial returns ({@link Restock#returning}): the order records each return and becomes RETURNED once every unit is
 * back; the units go back to stock as RETURN movements.
 */
public class OrderReturns {
  private final Vertx vertx;
  private final Locations locations;
  private final OrderChanges changes;

  public OrderReturns(Vertx vertx, StockServiceKit kit) {
    this.vertx = vertx;
    this.locations = new Locations(kit.mongo());
    this.changes = new OrderChanges(kit);
  }

  public Future<Reply> returnItems(ReturnItems command) {
    return locations.findAll(command.by().tenantId(), command.namedLocations())
      .compose(named -> changes.run(command.by(), command.orderId(), (unit, locked) -> returnItems(unit, command, locked)));
  }

  private Future<Work.Done> returnItems(Unit unit, ReturnItems command, Locked locked) {
    JsonObject order = locked.document();
    Restock restock = Restock.returning(order, command.items());
    String returnId = Mongo.newId();
    JsonObject record = new JsonObject().put("id", returnId).put("items", command.itemsJson())
      .put("reason", command.reason()).put("createdBy", command.by().userId()).put("createdAt", Mongo.now());
    JsonObject returned = new JsonObject().put("lines", restock.lines())
      .put("status", (restock.allReturned() ? OrderStatus.RETURNED : OrderStatus.PLACED).name())
      .put("returns", order.getJsonArray("returns", new JsonArray()).copy().add(record));
    JsonObject source = SourceKind.ORDER_RETURN.source(returnId).put("orderId", command.orderId());
    StockEvents.Key event = new StockEvents.Key(StockEvents.Type.RETURNED, returnId);
    return OrderChanges.save(unit, order, returned)
      .compose(after -> changes.putBack(unit, command.by(), locked, restock, source, "return:" + returnId, command.reason(), event)
        .compose(movements -> StockEvents.recorded(unit, vertx, Reply.created(new JsonObject()
            .put("return", Mongo.toApi(record.copy().put("_id", returnId))).put("order", OrderRepository.toApi(after))),
          order.getString("tenantId"), StockEvents.Type.RETURNED, returnId, movements)));
  }
}
