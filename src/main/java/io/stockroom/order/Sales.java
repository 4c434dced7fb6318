package io.stockroom.order;

import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockState;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writes of a new order, inside its unit of work: a SALE movement for each part it takes and the order document,
 * each line recording where its units came from ({@code allocations: [{locationId, quantity, returned}]}).
 */
final class Sales {
  private final Vertx vertx;
  private final StockLedger ledger;

  Sales(Vertx vertx, StockLedger ledger) {
    this.vertx = vertx;
    this.ledger = ledger;
  }

  /**
   * A new order taking {@code parts} from available stock. {@code latest} is this unit's own copy of the variants
   * read, moved on by each sale (a rerun starts again from the read).
   */
  Future<Work.Done> sellAndRecord(Unit unit, NewOrder order, Map<String, JsonObject> latest, List<Allocation.Part> parts) {
    String orderId = Mongo.newId();
    return sell(unit, order, orderId, latest, parts, StockState.AVAILABLE)
      .compose(sold -> record(unit, order, orderId, latest, parts, null, sold));
  }

  /** SALE movements for each part, out of {@code from} (available, or reserved for a reservation's units). */
  Future<List<JsonObject>> sell(Unit unit, NewOrder order, String orderId, Map<String, JsonObject> latest,
                                List<Allocation.Part> parts, StockState from) {
    String tenantId = order.tenantId();
    return Steps.map(parts, part -> {
      JsonObject variant = latest.get(part.variantId());
      StockChange sale = StockChange.of(tenantId, variant, MovementType.SALE, -part.quantity(), SourceKind.ORDER.source(orderId),
          "order:" + orderId + ":" + part.variantId() + ":" + part.locationId(), order.by().userId(), "order", order.day())
        .at(part.locationId()).between(from, null)
        .sold(part.quantity(), Amounts.times(Sellable.of(variant).price(), part.quantity()))
        .partOf(new StockEvents.Key(StockEvents.Type.ORDER_PLACED, orderId));
      return ledger.applyToLatest(unit, latest, sale);
    });
  }

  /** The order document, priced from {@code variantsById}, and its ORDER_PLACED event with its {@code movements}. */
  Future<Work.Done> record(Unit unit, NewOrder placing, String orderId, Map<String, JsonObject> variantsById,
                           List<Allocation.Part> parts, String reservationId, List<JsonObject> movements) {
    String tenantId = placing.tenantId();
    Map<String, List<Order.Allocated>> taken = new TreeMap<>();
    parts.forEach(part -> taken.computeIfAbsent(part.variantId(), id -> new ArrayList<>())
      .add(new Order.Allocated(part.locationId(), part.quantity(), 0)));
    List<Order.Line> lines = new ArrayList<>();
    taken.forEach((variantId, allocations) -> {
      Sellable variant = Sellable.of(variantsById.get(variantId));
      lines.add(Order.sold(variantId, variant.sku(), variant.price(), List.copyOf(allocations)));
    });
    Order order = Order.placed(orderId, tenantId, List.copyOf(lines), placing.currency(), placing.command().customer(),
      placing.command().note(), reservationId, placing.by().userId(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return OrderRepository.placed(unit, order).compose(v -> StockEvents.recorded(unit, vertx,
      Reply.created(order.toApi()), tenantId, StockEvents.Type.ORDER_PLACED, orderId, movements));
  }
}
