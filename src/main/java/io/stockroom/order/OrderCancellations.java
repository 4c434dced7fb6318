package io.stockroom.order;

import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.order.OrderCommands.CancelOrder;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Cancelling an order: CANCELLED, and every unit not yet returned goes back to the location it left as a RETURN movement. */
public class OrderCancellations {
  private final Vertx vertx;
  private final OrderChanges changes;

  public OrderCancellations(Vertx vertx, StockServiceKit kit) {
    this.vertx = vertx;
    this.changes = new OrderChanges(kit);
  }

  public Future<Reply> cancel(CancelOrder command) {
    return changes.run(command.by(), command.orderId(), (unit, locked) -> cancel(unit, command, locked));
  }

  private Future<Work.Done> cancel(Unit unit, CancelOrder command, Locked locked) {
    Order order = locked.order();
    String orderId = command.orderId();
    Restock restock = order.cancel();
    Order cancelled = order.cancelled(restock, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    StockEvents.Key event = new StockEvents.Key(StockEvents.Type.ORDER_CANCELLED, orderId);
    return OrderChanges.save(unit, locked.document(), cancelled, Order.STATUS, Order.LINES, Order.CANCELLED_AT)
      .compose(after -> changes.putBack(unit, command.by(), locked, restock, SourceKind.ORDER_CANCELLATION.source(orderId),
          "cancel:" + orderId, "order cancelled", event)
        .compose(movements -> StockEvents.recorded(unit, vertx, Reply.ok(after.toApi()), order.tenantId(),
          StockEvents.Type.ORDER_CANCELLED, orderId, movements)));
  }
}
