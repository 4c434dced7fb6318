package io.stockroom.order;

import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockState;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.order.OrderCommands.OrderLine;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orders that take a reservation's units: each line must fit what the reservation holds of its variant; the held
 * units leave {@code reserved} as sales, any the order does not take go back to {@code available}, and the
 * reservation becomes CONSUMED — once: a second order naming it, or one after it expired, gets a 409. Locks the
 * reservation, then the variants it and the order name.
 */
final class OrdersFromReservations {
  private final StockKernel kernel;
  private final ReservationRepository reservations;
  private final Variants variants;
  private final StockLedger ledger;
  private final Sales sales;

  OrdersFromReservations(StockKernel kernel, ReservationRepository reservations, Variants variants, StockLedger ledger, Sales sales) {
    this.kernel = kernel;
    this.reservations = reservations;
    this.variants = variants;
    this.ledger = ledger;
    this.sales = sales;
  }

  Future<Reply> place(NewOrder order) {
    String tenantId = order.tenantId();
    String reservationId = order.command().reservationId();
    return reservations.get(tenantId, reservationId).compose(exists -> kernel.run(Work.<Locked>of(order.by())
      .locking(List.of(ReservationRepository.LOCK.key(tenantId, reservationId)))
      .reading(() -> reservations.get(tenantId, reservationId).compose(reservation -> {
        Set<String> ids = new TreeSet<>(Reservation.fromDocument(reservation).variantIds());
        ids.addAll(OrderLine.variantIds(order.lines()));
        return variants.getAll(tenantId, ids).map(found -> new Locked(reservation, found));
      }))
      .thenLocking(Locked::variantKeys)
      .writing((unit, locked) -> consume(unit, order, locked))));
  }

  private Future<Work.Done> consume(Unit unit, NewOrder order, Locked locked) {
    Reservation reservation = locked.reservation();
    reservation.requireActive();
    Consumption consumption = reservation.consume(OrderLine.unitsByVariant(order.lines()), locked.variants());
    String tenantId = order.tenantId();
    String reservationId = reservation.id();
    String orderId = Mongo.newId();
    Map<String, JsonObject> latest = new HashMap<>(locked.variants());
    List<JsonObject> movements = new ArrayList<>();
    return sales.sell(unit, order, orderId, latest, consumption.sold(), StockState.RESERVED)
      .compose(sold -> {
        movements.addAll(sold);
        return Holds.release(unit, ledger, latest, consumption.released(), tenantId, "consume:" + reservationId,
          SourceKind.RESERVATION.source(reservationId).put(OrderCommands.ORDER_ID, orderId), order.by().userId(),
          "reservation consumed by order " + orderId, order.day(), new StockEvents.Key(StockEvents.Type.ORDER_PLACED, orderId));
      })
      .compose(released -> {
        movements.addAll(released);
        return reservations.settle(unit, locked.document(), ReservationStatus.CONSUMED, orderId);
      })
      .compose(settled -> sales.record(unit, order, orderId, locked.variants(), consumption.sold(), reservationId, movements));
  }
}
