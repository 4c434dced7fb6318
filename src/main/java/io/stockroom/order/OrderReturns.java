package io.stockroom.order;

import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.ReturnItems;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
    Order order = locked.order();
    Restock restock = order.returning(command.items());
    String returnId = Mongo.newId();
    Order.Return record = new Order.Return(returnId, command.items(), command.reason(), command.by().userId(),
      Instant.now().truncatedTo(ChronoUnit.MILLIS));
    Order returned = order.returned(restock, record);
    JsonObject source = SourceKind.ORDER_RETURN.source(returnId).put(OrderCommands.ORDER_ID, command.orderId());
    StockEvents.Key event = new StockEvents.Key(StockEvents.Type.RETURNED, returnId);
    return OrderChanges.save(unit, locked.document(), returned, Order.LINES, Order.STATUS, Order.RETURNS)
      .compose(after -> changes.putBack(unit, command.by(), locked, restock, source, "return:" + returnId, command.reason(), event)
        .compose(movements -> StockEvents.recorded(unit, vertx, Reply.created(RecordCodec.toApi(
            new Returned(record.toApi(), after.toApi()))), order.tenantId(), StockEvents.Type.RETURNED, returnId, movements)));
  }

  /** The answer to a return: the return as recorded and the order after it, as clients see them. */
  private record Returned(@Key("return") JsonObject recorded, JsonObject order) {
  }
}
