package io.stockroom.order;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.AllocationRules;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.OrderLine;
import io.stockroom.order.OrderCommands.PlaceOrder;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Placing customer orders. An order locks the variants it names (or the reservation it consumes, see
 * {@link OrdersFromReservations}) and runs one unit of work through the stock kernel: its SALE movements at their
 * locations and the order document, all or none. Orders of a single line are placed together with the other orders
 * of that variant waiting meanwhile ({@link OrderBatches}).
 */
public class PlaceOrders {
  static final String SHORT_STOCK = "Insufficient stock for {n} line(s); nothing was changed";

  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final AllocationRules rules;
  private final Variants variants;
  private final Locations locations;
  private final Sales sales;
  private final OrdersFromReservations fromReservations;
  private final OrderBatches batches;

  public PlaceOrders(Vertx vertx, StockServiceKit kit) {
    MongoClient mongo = kit.mongo();
    this.kernel = kit.kernel();
    this.tenants = new TenantSettings(mongo);
    this.rules = AllocationRules.cached(vertx, mongo);
    this.variants = new Variants(mongo);
    this.locations = new Locations(mongo);
    StockLedger ledger = new StockLedger(variants);
    this.sales = new Sales(vertx, ledger);
    this.fromReservations = new OrdersFromReservations(kernel, new ReservationRepository(mongo), variants, ledger, sales);
    this.batches = new OrderBatches(kernel, kit.locks(), variants, locations, sales, this::placeAlone);
  }

  public Future<Reply> place(PlaceOrder command) {
    String tenantId = command.by().tenantId();
    return Future.all(tenants.currency(tenantId), tenants.today(tenantId), rules.get(tenantId),
        locations.findAll(tenantId, OrderLine.namedLocations(command.lines())))
      .compose(context -> place(new NewOrder(command, context.resultAt(0), context.resultAt(1), context.resultAt(2))))
      .onSuccess(placed -> OrderMeters.placed())
      .onFailure(err -> {
        if (err instanceof ServiceError se && se.extensions().containsKey("shortages")) OrderMeters.refused();
      });
  }

  private Future<Reply> place(NewOrder order) {
    if (order.command().reservationId() != null) return fromReservations.place(order);
    return order.command().singleLine() ? batches.place(order) : placeAlone(order);
  }

  /** The order in a unit of its own, under the locks of every variant it names. */
  private Future<Reply> placeAlone(NewOrder order) {
    String tenantId = order.tenantId();
    Set<String> ids = OrderLine.variantIds(order.lines());
    return kernel.run(Work.<Map<String, JsonObject>>of(order.by())
      .locking(ids.stream().map(id -> Variants.LOCK.key(tenantId, id)).toList())
      .readingWithin(deadline -> variants.getAll(tenantId, ids, deadline))
      .writing((unit, found) -> Allocation.over(locations, tenantId, order.rule(), found.values())
        .compose(allocation -> sales.sellAndRecord(unit, order, new HashMap<>(found), allocation.takeAll(found, order.lines(), SHORT_STOCK)))));
  }
}
