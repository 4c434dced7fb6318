package io.stockroom.purchasing;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.stockroom.purchasing.PurchaseOrder.Delivery;
import io.stockroom.purchasing.PurchasingCommands.ReceiveDelivery;
import io.stockroom.supplier.SupplierRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Receiving deliveries against a CONFIRMED purchase order, through the order's locks: {@link PurchaseOrder#receive}
 * decides on the order as read under them, then one unit of work compare-and-sets the order, adds stock with PURCHASE
 * movements (unique source key per receipt and variant) and inserts the receipt; a delivery that completes the order
 * also ends its open-order counts.
 */
public class ReceivingService {
  private final Vertx vertx;
  private final PurchaseOrderRepository purchaseOrders;
  private final ReceiptRepository receipts;
  private final PurchaseOrderLocks locks;
  private final OpenOrderCounts counts;
  private final StockLedger ledger;
  private final TenantSettings tenants;
  private final Locations locations;

  public ReceivingService(Vertx vertx, StockServiceKit kit) {
    Variants variants = new Variants(kit.mongo());
    this.vertx = vertx;
    this.purchaseOrders = new PurchaseOrderRepository(kit.mongo());
    this.receipts = new ReceiptRepository(kit.mongo());
    this.locks = new PurchaseOrderLocks(purchaseOrders, variants, kit.kernel());
    this.counts = new OpenOrderCounts(variants, new SupplierRepository(kit.mongo()));
    this.ledger = new StockLedger(variants);
    this.tenants = new TenantSettings(kit.mongo());
    this.locations = new Locations(kit.mongo());
  }

  /** One page of a purchase order's receipts, oldest first, as clients see them; NOT_FOUND for an unknown order. */
  public Future<JsonObject> receipts(String tenantId, String purchaseOrderId, Page page) {
    return purchaseOrders.find(tenantId, purchaseOrderId).compose(po -> receipts.forPurchaseOrder(tenantId, purchaseOrderId, page));
  }

  public Future<Reply> receive(ReceiveDelivery command) {
    String tenantId = command.by().tenantId();
    Future<?> located = command.locationId() == null ? Future.succeededFuture() : locations.find(tenantId, command.locationId());
    return located.compose(found -> tenants.today(tenantId))
      .compose(day -> locks.run(command.by(), command.purchaseOrderId(), List.of(), (unit, locked) -> {
        PurchaseOrder order = locked.order();
        Delivery delivery = order.receive(command.items(), PurchaseOrder.now());
        Receipt receipt = new Receipt(Mongo.newId(), tenantId, order.id(), order.supplierId(), delivery,
          command.locationId() == null ? order.locationId() : command.locationId(), command.note(), command.by().userId(),
          PurchaseOrder.now());
        return record(unit, locked, receipt, day);
      }))
      .onSuccess(received -> Meters.count("stockroom.receipts", "Deliveries received against purchase orders"));
  }

  /** The receipt's writes: the order, the stock it adds (on the variants as each write leaves them), the receipt. */
  private Future<Work.Done> record(Unit unit, PurchaseOrderLocks.Locked locked, Receipt receipt, String day) {
    Map<String, JsonObject> latest = new HashMap<>(locked.variants());
    Delivery delivery = receipt.delivery();
    return purchaseOrders.change(unit, locked.stored(), delivery.after())
      .compose(after -> Steps.map(delivery.lines(), line -> ledger.applyToLatest(unit, latest, purchase(receipt, line, latest, day)))
        .compose(movements -> (delivery.completes() ? counts.ended(unit, after, latest, Map.of()) : Future.<Void>succeededFuture())
          .compose(v -> receipts.insert(unit, receipt))
          .compose(v -> StockEvents.recorded(unit, vertx, Reply.created(RecordCodec.toApi(
            new Received(receipt.toApi(), after.toApi()))), receipt.tenantId(), StockEvents.Type.PO_RECEIVED, receipt.id(), movements))));
  }

  /** The answer to a delivery: the receipt and the purchase order after it, as clients see them. */
  private record Received(JsonObject receipt, JsonObject purchaseOrder) {
  }

  private static StockChange purchase(Receipt receipt, ReceiptLine line, Map<String, JsonObject> latest, String day) {
    PurchaseOrder order = receipt.delivery().after();
    return StockChange.of(receipt.tenantId(), latest.get(line.variantId()), MovementType.PURCHASE, line.quantity(),
        SourceKind.RECEIPT.source(receipt.id()).put(Receipt.PURCHASE_ORDER_ID, order.id()), "receipt:" + receipt.id() + ":" + line.variantId(),
        receipt.createdBy(), "purchase order receipt", day)
      .received(line.unitCost(), order.locationId())
      .at(receipt.locationId())
      .partOf(new StockEvents.Key(StockEvents.Type.PO_RECEIVED, receipt.id()));
  }
}
