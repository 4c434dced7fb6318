package io.stockroom.order;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What changing a placed order takes: its lock, then (after re-reading it) the locks of the variants it names, one
 * unit of work, a compare-and-set on the order and RETURN movements for the units that come back.
 */
final class OrderChanges {
  private final StockKernel kernel;
  private final OrderRepository orders;
  private final Variants variants;
  private final StockLedger ledger;
  private final TenantSettings tenants;

  OrderChanges(StockServiceKit kit) {
    MongoClient mongo = kit.mongo();
    this.kernel = kit.kernel();
    this.orders = new OrderRepository(mongo);
    this.variants = new Variants(mongo);
    this.ledger = new StockLedger(variants);
    this.tenants = new TenantSettings(mongo);
  }

  /** Runs {@code write} on the order and its variants, read under their locks (a missing order is a 404 first). */
  Future<Reply> run(Invocation by, String orderId, BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = by.tenantId();
    return orders.get(tenantId, orderId).compose(exists -> kernel.run(Work.<Locked>of(by)
      .locking(List.of(OrderRepository.LOCK.key(tenantId, orderId)))
      .readingWithin(deadline -> orders.get(tenantId, orderId, deadline)
        .compose(order -> variants.getAll(tenantId, Order.fromDocument(order).variantIds(), deadline).map(found -> new Locked(order, found))))
      .thenLocking(Locked::variantKeys)
      .writing(write)));
  }

  /** {@code after}'s {@code fields} over the order as read, if it is still the version read; the order as changed. */
  static Future<Order> save(Unit unit, JsonObject before, Order after, String... fields) {
    JsonObject document = after.toDocument();
    JsonObject changes = new JsonObject();
    for (String field : fields) changes.put(field, document.getValue(field));
    return OrderRepository.changed(unit, before, changes).map(Order::fromDocument);
  }

  /**
   * Units back from the customer: RETURN movements (one per line, location and state), and the sales they undo leave
   * the top-seller counts.
   */
  Future<List<JsonObject>> putBack(Unit unit, Invocation by, Locked locked, Restock restock, JsonObject source, String sourceKeyPrefix,
                                   String reason, StockEvents.Key event) {
    String tenantId = by.tenantId();
    Map<String, JsonObject> latest = new HashMap<>(locked.variants());
    return tenants.today(tenantId).compose(day -> Steps.map(restock.perMovement().entrySet(), entry -> {
      Restock.Back back = entry.getValue();
      String variantId = back.line().variantId();
      StockChange change = StockChange.of(tenantId, latest.get(variantId), MovementType.RETURN, back.quantity(),
          source, sourceKeyPrefix + ":" + entry.getKey(), by.userId(), reason, day)
        .at(back.locationId()).between(null, back.to())
        .sold(-back.quantity(), Amounts.times(back.line().unitPrice(), back.quantity()).negate())
        .partOf(event);
      return ledger.applyToLatest(unit, latest, change);
    }));
  }
}
