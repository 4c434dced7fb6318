package io.stockroom.purchasing;

import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Page;
import io.stockroom.purchasing.PurchasingCommands.ChangePurchaseOrder;
import io.stockroom.purchasing.PurchasingCommands.CreatePurchaseOrder;
import io.stockroom.purchasing.PurchasingCommands.OrderedItem;
import io.stockroom.purchasing.PurchasingCommands.PurchaseOrderFilter;
import io.stockroom.supplier.SupplierRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Purchase orders and their lifecycle (the rules are {@link PurchaseOrder}'s). Every change runs through the stock
 * kernel ({@link PurchaseOrderLocks}) as one unit of work: a compare-and-set on the order, the variants' {@code incoming}
 * and {@code openPurchaseOrders}, and the supplier's open-order count ({@link OpenOrderCounts}).
 */
public class PurchaseOrderService {
  private final PurchaseOrderRepository purchaseOrders;
  private final Variants variants;
  private final Locations locations;
  private final StockKernel kernel;
  private final PurchaseOrderLocks locks;
  private final OpenOrderCounts counts;

  public PurchaseOrderService(StockServiceKit kit) {
    this.purchaseOrders = new PurchaseOrderRepository(kit.mongo());
    this.variants = new Variants(kit.mongo());
    this.locations = new Locations(kit.mongo());
    this.kernel = kit.kernel();
    this.locks = new PurchaseOrderLocks(purchaseOrders, variants, kernel);
    this.counts = new OpenOrderCounts(variants, new SupplierRepository(kit.mongo()));
  }

  /** A DRAFT at an existing location, of existing variants, counted by them and its supplier (404 if any is missing). */
  public Future<Reply> create(CreatePurchaseOrder command) {
    String tenantId = command.by().tenantId();
    List<String> ids = command.items().stream().map(OrderedItem::variantId).toList();
    return locations.find(tenantId, command.locationId()).compose(location -> kernel.run(Work.<Map<String, JsonObject>>of(command.by())
      .locking(ids.stream().map(id -> Variants.LOCK.key(tenantId, id)).toList())
      .reading(() -> variants.getAll(tenantId, ids))
      .writing((unit, found) -> {
        PurchaseOrder draft = PurchaseOrder.draft(tenantId, command.supplierId(), command.locationId(), lines(command.items(), found),
          command.expectedAt(), command.note(), command.by().userId());
        return counts.opened(unit, draft, found)
          .compose(v -> purchaseOrders.insert(unit, draft))
          .map(v -> Work.Done.of(Reply.created(draft.toApi())));
      })));
  }

  /** One page of the tenant's purchase orders, as clients see them. */
  public Future<JsonObject> list(String tenantId, PurchaseOrderFilter filter, Page page) {
    return purchaseOrders.search(tenantId, filter, page);
  }

  public Future<PurchaseOrder> get(String tenantId, String purchaseOrderId) {
    return purchaseOrders.find(tenantId, purchaseOrderId);
  }

  /** DRAFT only: new lines, supplier, note or expected date; the open-order counts follow the lines and supplier. */
  public Future<Reply> change(ChangePurchaseOrder command) {
    return locks.run(command.by(), command.purchaseOrderId(), command.variantIds(), (unit, locked) -> {
      PurchaseOrder before = locked.order();
      PurchaseOrder after = before.changed(
        command.supplierId() == null ? before.supplierId() : command.supplierId(),
        command.items() == null ? before.lines() : lines(command.items(), locked.variants()),
        command.expectedAt() == null ? before.expectedAt() : command.expectedAt().value(),
        command.note() == null ? before.note() : command.note().value());
      Future<Void> lines = command.items() == null ? Future.succeededFuture() : counts.linesChanged(unit, before, after, locked.variants());
      return lines.compose(v -> counts.supplierChanged(unit, before, after))
        .compose(v -> purchaseOrders.change(unit, locked.stored(), after))
        .map(changed -> Work.Done.of(Reply.ok(changed.toApi())));
    });
  }

  public Future<Reply> delete(Invocation by, String purchaseOrderId) {
    return locks.run(by, purchaseOrderId, List.of(), (unit, locked) -> {
      locked.order().requireDeletable();
      return purchaseOrders.delete(unit, locked.stored())
        .compose(v -> counts.ended(unit, locked.order(), locked.variants(), Map.of()))
        .map(v -> Work.Done.of(Reply.noContent()));
    });
  }

  public Future<Reply> send(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, order -> order.send(PurchaseOrder.now()));
  }

  public Future<Reply> confirm(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, order -> order.confirm(PurchaseOrder.now()));
  }

  public Future<Reply> cancel(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, order -> order.cancel(PurchaseOrder.now()));
  }

  public Future<Reply> close(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, order -> order.close(PurchaseOrder.now()));
  }

  /** {@code move} says the status after (or refuses); the variants' incoming units and the open-order counts follow. */
  private Future<Reply> transition(Invocation by, String purchaseOrderId, UnaryOperator<PurchaseOrder> move) {
    return locks.run(by, purchaseOrderId, List.of(), (unit, locked) -> {
      PurchaseOrder before = locked.order();
      PurchaseOrder after = move.apply(before);
      Map<String, Long> incoming = before.incomingChangeTo(after.status());
      return purchaseOrders.change(unit, locked.stored(), after).compose(changed -> (after.isOpen()
          ? counts.incomingChanged(unit, before, locked.variants(), incoming)
          : counts.ended(unit, before, locked.variants(), incoming))
        .map(v -> Work.Done.of(Reply.ok(changed.toApi()))));
    });
  }

  private static List<PurchaseOrderLine> lines(List<OrderedItem> items, Map<String, JsonObject> variants) {
    return items.stream().map(item -> PurchaseOrderLine.ordered(item.variantId(), variants.get(item.variantId()).getString("sku"),
      item.quantity(), item.unitCost())).toList();
  }
}
