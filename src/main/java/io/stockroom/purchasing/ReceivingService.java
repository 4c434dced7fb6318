package io.stockroom.purchasing;

import io.stockroom.platform.metrics.Meters;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.location.Locations;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.VariantLines;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.stockroom.purchasing.PurchasingCommands.DeliveredItem;
import io.stockroom.purchasing.PurchasingCommands.ReceiveDelivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Receiving deliveries against a CONFIRMED purchase order, through the purchase order's locks (order, then its
 * variants): one unit of work compare-and-sets the order ({@code received + qty <= ordered} was checked on exactly
 * that version), adds stock with PURCHASE movements (unique source key per receipt and variant) and inserts the
 * receipt. Partial deliveries accumulate; when every line is complete the order becomes RECEIVED and is no longer
 * open. Each line records ordered and actual unit cost and the variance.
 */
public class ReceivingService {
  private final Vertx vertx;
  private final PurchaseOrderRepository purchaseOrders;
  private final ReceiptRepository receipts;
  private final PurchaseOrderService orders;
  private final StockLedger ledger;
  private final TenantSettings tenants;
  private final Locations locations;

  public ReceivingService(Vertx vertx, StockServiceKit kit, PurchaseOrderService orders) {
    this.vertx = vertx;
    this.purchaseOrders = new PurchaseOrderRepository(kit.mongo());
    this.receipts = new ReceiptRepository(kit.mongo());
    this.orders = orders;
    this.ledger = new StockLedger(new Variants(kit.mongo()));
    this.tenants = new TenantSettings(kit.mongo());
    this.locations = new Locations(kit.mongo());
  }

  /** The receipts of a purchase order, oldest first, as clients see them. */
  public Future<JsonArray> receipts(String tenantId, String purchaseOrderId) {
    return purchaseOrders.get(tenantId, purchaseOrderId).compose(po -> receipts.forPurchaseOrder(tenantId, purchaseOrderId));
  }

  public Future<Reply> receive(ReceiveDelivery command) {
    String tenantId = command.by().tenantId();
    Future<?> located = command.locationId() == null ? Future.succeededFuture() : locations.find(tenantId, command.locationId());
    return located.compose(found -> tenants.today(tenantId))
      .compose(day -> orders.underPurchaseOrderLocks(command.by(), command.purchaseOrderId(), List.of(),
        (unit, locked) -> receiveUnderLock(unit, command, locked, day)))
      .onSuccess(received -> Meters.receiptRecorded());
  }

  private Future<Work.Done> receiveUnderLock(Unit unit, ReceiveDelivery command, PurchaseOrderService.Locked locked, String day) {
    JsonObject po = locked.po();
    String tenantId = command.by().tenantId();
    String userId = command.by().userId();
    if (PurchaseOrderStatus.of(po.getString("status")) != PurchaseOrderStatus.CONFIRMED) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Goods can be received only on a CONFIRMED purchase order; "
        + "it is " + po.getString("status"), new JsonObject().put("currentStatus", po.getString("status"))));
    }
    String receiptId = Mongo.newId();
    JsonArray lines = po.getJsonArray("lines").copy();
    JsonArray receiptLines = new JsonArray();
    JsonArray overReceived = new JsonArray();
    long totalQuantity = 0;
    BigInteger totalValue = BigInteger.ZERO;
    BigInteger totalVariance = BigInteger.ZERO;
    for (DeliveredItem item : command.items()) {
      JsonObject line = VariantLines.find(lines, item.variantId());
      if (line == null) {
        return ServiceError.fail(ErrorCode.CONFLICT, "Variant " + item.variantId() + " is not on this purchase order");
      }
      long quantity = item.quantity();
      long outstanding = line.getLong("quantity") - line.getLong("received");
      if (quantity > outstanding) {
        overReceived.add(new JsonObject().put("variantId", line.getString("variantId")).put("sku", line.getString("sku"))
          .put("ordered", line.getLong("quantity")).put("received", line.getLong("received")).put("outstanding", outstanding)
          .put("requested", quantity));
        continue;
      }
      long orderedUnitCost = line.getLong("unitCost");
      long unitCost = item.unitCost() == null ? orderedUnitCost : item.unitCost();
      long unitVariance = unitCost - orderedUnitCost;
      BigInteger value = Amounts.times(unitCost, quantity);
      BigInteger lineVariance = Amounts.times(unitVariance, quantity);
      receiptLines.add(new JsonObject().put("variantId", line.getString("variantId")).put("sku", line.getString("sku"))
        .put("quantity", quantity).put("orderedUnitCost", orderedUnitCost).put("unitCost", unitCost)
        .put("unitVariance", unitVariance).put("lineVariance", Amounts.stored(lineVariance)).put("value", Amounts.stored(value)));
      line.put("received", line.getLong("received") + quantity)
        .put("receivedValue", Amounts.stored(Amounts.of(line.getValue("receivedValue")).add(value)))
        .put("variance", Amounts.stored(Amounts.of(line.getValue("variance")).add(lineVariance)));
      totalQuantity += quantity;
      totalValue = totalValue.add(value);
      totalVariance = totalVariance.add(lineVariance);
    }
    if (!overReceived.isEmpty()) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Receipt exceeds the outstanding quantity; nothing was received",
        new JsonObject().put("lines", overReceived)));
    }
    boolean complete = lines.stream().allMatch(o -> ((JsonObject) o).getLong("received").equals(((JsonObject) o).getLong("quantity")));
    JsonObject receipt = new JsonObject()
      .put("_id", receiptId).put("tenantId", tenantId).put("purchaseOrderId", po.getString("_id"))
      .put("supplierId", po.getString("supplierId")).put("lines", receiptLines)
      .put("locationId", (command.locationId() == null ? PurchaseOrderService.locationOf(po) : command.locationId()))
      .put("totalQuantity", totalQuantity).put("totalValue", Amounts.stored(totalValue)).put("totalVariance", Amounts.stored(totalVariance))
      .put("note", command.note()).put("createdBy", userId).put("createdAt", Mongo.now());
    JsonObject changes = new JsonObject().put("lines", lines)
      .put("receivedUnits", po.getLong("receivedUnits") + totalQuantity)
      .put("receivedValue", Amounts.stored(Amounts.of(po.getValue("receivedValue")).add(totalValue)))
      .put("totalVariance", Amounts.stored(Amounts.of(po.getValue("totalVariance")).add(totalVariance)))
      .put("status", (complete ? PurchaseOrderStatus.RECEIVED : PurchaseOrderStatus.CONFIRMED).name());
    if (complete) changes.put("receivedAt", Mongo.now());
    Map<String, JsonObject> latest = new HashMap<>(locked.variants());
    String receivingLocation = (command.locationId() == null ? PurchaseOrderService.locationOf(po) : command.locationId());
    return PurchaseOrderService.casPurchaseOrder(unit, po, changes)
      .compose(after -> Steps.map(receiptLines, o -> {
          JsonObject line = (JsonObject) o;
          String variantId = line.getString("variantId");
          StockChange purchase = StockChange.of(tenantId, latest.get(variantId), MovementType.PURCHASE, line.getLong("quantity"),
              SourceKind.RECEIPT.source(receiptId).put("purchaseOrderId", po.getString("_id")),
              "receipt:" + receiptId + ":" + variantId, userId, "purchase order receipt", day)
            .received(line.getLong("unitCost"), PurchaseOrderService.locationOf(po))
            .at(receivingLocation)
            .partOf(new StockEvents.Key(StockEvents.Type.PO_RECEIVED, receiptId));
          return ledger.applyToLatest(unit, latest, purchase);
        })
        .compose(movements -> (complete
            ? orders.endOpenOrder(unit, new PurchaseOrderService.Locked(after, latest), Map.of())
            : Future.<Void>succeededFuture())
          .compose(v -> unit.insert(ReceiptRepository.COLLECTION, receipt))
          .compose(v -> StockEvents.recorded(unit, vertx, Reply.created(new JsonObject().put("receipt", Mongo.toApi(receipt))
              .put("purchaseOrder", PurchaseOrderRepository.toApi(after))), tenantId, StockEvents.Type.PO_RECEIVED, receiptId, movements))));
  }
}
