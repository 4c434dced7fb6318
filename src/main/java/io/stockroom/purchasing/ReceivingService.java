package io.stockroom.purchasing;

import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.platform.BusRequest;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Reply;
import io.stockroom.platform.VariantLines;
import io.stockroom.platform.StockServiceKit;
import io.stockroom.platform.TenantZones;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.Unit;
import io.stockroom.platform.unit.UnitRunner;
import io.stockroom.catalog.VariantRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Receiving deliveries against a CONFIRMED purchase order. Under the PO's and the variants' locks, one unit of work
 * compare-and-sets the PO (version guard: {@code received + qty <= ordered} was checked on exactly that version),
 * adds stock with PURCHASE movements (unique source key per receipt and variant) and inserts the receipt. Partial
 * deliveries accumulate; when every line is complete the PO becomes RECEIVED. Each line records ordered and actual
 * unit cost and the variance.
 */
public class ReceivingService {
  private final Vertx vertx;
  private final MongoClient mongo;
  private final PurchaseOrderRepository purchaseOrders;
  private final ReceiptRepository receipts;
  private final VariantRepository variants;
  private final LockManager locks;
  private final UnitRunner units;
  private final TenantZones zones;

  public ReceivingService(Vertx vertx, StockServiceKit kit) {
    this.vertx = vertx;
    this.mongo = kit.mongo();
    this.purchaseOrders = new PurchaseOrderRepository(mongo);
    this.receipts = new ReceiptRepository(mongo);
    this.variants = new VariantRepository(mongo);
    this.locks = kit.locks();
    this.units = kit.units();
    this.zones = kit.zones();
  }

  public Future<Reply> list(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("purchaseOrderId");
    return purchaseOrders.get(tenantId, id).compose(po -> receipts.forPurchaseOrder(tenantId, id))
      .map(items -> Reply.ok(new JsonObject().put("items", items)));
  }

  public Future<Reply> receive(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("purchaseOrderId");
    JsonArray items = request.body().getJsonArray("items");
    Set<String> seen = new HashSet<>();
    for (Object o : items) {
      if (!seen.add(((JsonObject) o).getString("variantId"))) {
        return ServiceError.fail(ErrorCode.VALIDATION, "Each variant may appear once per receipt; merge the lines");
      }
    }
    List<String> keys = new ArrayList<>();
    keys.add(LockManager.purchaseOrderKey(tenantId, id));
    seen.forEach(variantId -> keys.add(LockManager.variantKey(tenantId, variantId)));
    return purchaseOrders.get(tenantId, id)
      .compose(exists -> locks.acquire(keys))
      .compose(lease -> purchaseOrders.get(tenantId, id)
        .compose(po -> receiveUnderLock(request, po, items))
        .eventually(lease::release));
  }

  private Future<Reply> receiveUnderLock(BusRequest request, JsonObject po, JsonArray items) {
    String tenantId = request.tenantId();
    if (!"CONFIRMED".equals(po.getString("status"))) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Goods can be received only on a CONFIRMED purchase order; "
        + "it is " + po.getString("status"), new JsonObject().put("currentStatus", po.getString("status"))));
    }
    String receiptId = Mongo.newId();
    JsonArray lines = po.getJsonArray("lines").copy();
    JsonArray receiptLines = new JsonArray();
    JsonArray overReceived = new JsonArray();
    long totalQuantity = 0;
    long totalValue = 0;
    long totalVariance = 0;
    for (Object o : items) {
      JsonObject item = (JsonObject) o;
      JsonObject line = VariantLines.find(lines, item.getString("variantId"));
      if (line == null) {
        return ServiceError.fail(ErrorCode.CONFLICT, "Variant " + item.getString("variantId") + " is not on this purchase order");
      }
      long quantity = item.getLong("quantity");
      long outstanding = line.getLong("quantity") - line.getLong("received");
      if (quantity > outstanding) {
        overReceived.add(new JsonObject().put("variantId", line.getString("variantId")).put("sku", line.getString("sku"))
          .put("ordered", line.getLong("quantity")).put("received", line.getLong("received")).put("outstanding", outstanding)
          .put("requested", quantity));
        continue;
      }
      long orderedUnitCost = line.getLong("unitCost");
      long unitCost = item.getLong("unitCost", orderedUnitCost);
      long unitVariance = unitCost - orderedUnitCost;
      receiptLines.add(new JsonObject().put("variantId", line.getString("variantId")).put("sku", line.getString("sku"))
        .put("quantity", quantity).put("orderedUnitCost", orderedUnitCost).put("unitCost", unitCost)
        .put("unitVariance", unitVariance).put("lineVariance", unitVariance * quantity).put("value", unitCost * quantity));
      line.put("received", line.getLong("received") + quantity)
        .put("receivedValue", line.getLong("receivedValue") + unitCost * quantity)
        .put("variance", line.getLong("variance") + unitVariance * quantity);
      totalQuantity += quantity;
      totalValue += unitCost * quantity;
      totalVariance += unitVariance * quantity;
    }
    if (!overReceived.isEmpty()) {
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Receipt exceeds the outstanding quantity; nothing was received",
        new JsonObject().put("lines", overReceived)));
    }
    boolean complete = true;
    for (Object o : lines) complete &= ((JsonObject) o).getLong("received").equals(((JsonObject) o).getLong("quantity"));
    JsonObject receipt = new JsonObject()
      .put("_id", receiptId).put("tenantId", tenantId).put("purchaseOrderId", po.getString("_id"))
      .put("supplierId", po.getString("supplierId")).put("lines", receiptLines)
      .put("totalQuantity", totalQuantity).put("totalValue", totalValue).put("totalVariance", totalVariance)
      .put("note", request.body().getString("note")).put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
    JsonObject changes = new JsonObject().put("lines", lines)
      .put("receivedUnits", po.getLong("receivedUnits") + totalQuantity)
      .put("receivedValue", po.getLong("receivedValue") + totalValue)
      .put("totalVariance", po.getLong("totalVariance") + totalVariance)
      .put("status", complete ? "RECEIVED" : "CONFIRMED");
    if (complete) changes.put("receivedAt", Mongo.now());
    return zones.today(tenantId).compose(day -> units.run("purchasing.receive", tenantId, unit -> casPurchaseOrder(unit, po, changes)
        .compose(v -> addStock(unit, request, po, receipt, day))
        .compose(movements -> unit.insert(ReceiptRepository.COLLECTION, receipt).map(movements))))
      .map(movements -> {
        StockEvents.publish(vertx, tenantId, StockEvents.Type.PO_RECEIVED, receiptId, movements);
        JsonObject after = po.copy().mergeIn(changes);
        return Reply.created(new JsonObject().put("receipt", Mongo.toApi(receipt))
          .put("purchaseOrder", PurchaseOrderRepository.toApi(after)));
      });
  }

  private static Future<Void> casPurchaseOrder(Unit unit, JsonObject po, JsonObject changes) {
    long version = po.getLong("version");
    JsonObject filter = Mongo.byId(po.getString("tenantId"), po.getString("_id")).put("version", version).put("status", "CONFIRMED");
    JsonObject update = new JsonObject().put("$set", changes.copy().put("version", version + 1).put("updatedAt", Mongo.now()));
    JsonObject undoSet = new JsonObject().put("version", version);
    for (String field : List.of("lines", "receivedUnits", "receivedValue", "totalVariance", "status")) undoSet.put(field, po.getValue(field));
    JsonObject undoUnset = new JsonObject();
    if (po.containsKey("updatedAt")) undoSet.put("updatedAt", po.getValue("updatedAt"));
    else undoUnset.put("updatedAt", "");
    if (changes.containsKey("receivedAt")) undoUnset.put("receivedAt", "");
    JsonObject undo = new JsonObject().put("$set", undoSet);
    if (!undoUnset.isEmpty()) undo.put("$unset", undoUnset);
    return unit.update(PurchaseOrderRepository.COLLECTION, filter, update, undo).compose(after -> after == null
      ? ServiceError.fail(ErrorCode.CONFLICT, "The purchase order changed concurrently; nothing was received, retry")
      : Future.succeededFuture());
  }

  private Future<List<JsonObject>> addStock(Unit unit, BusRequest request, JsonObject po, JsonObject receipt, String day) {
    List<JsonObject> movements = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Object o : receipt.getJsonArray("lines")) {
      JsonObject line = (JsonObject) o;
      String variantId = line.getString("variantId");
      chain = chain.compose(v -> variants.get(request.tenantId(), variantId)).compose(variant -> {
        JsonObject undoCost = variant.containsKey("lastUnitCost")
          ? new JsonObject().put("$set", new JsonObject().put("lastUnitCost", variant.getLong("lastUnitCost")))
          : new JsonObject().put("$unset", new JsonObject().put("lastUnitCost", ""));
        StockChange purchase = StockChange.of(request.tenantId(), variantId, line.getString("sku"), MovementType.PURCHASE,
            line.getLong("quantity"), new JsonObject().put("kind", "RECEIPT").put("id", receipt.getString("_id"))
              .put("purchaseOrderId", po.getString("_id")),
            "receipt:" + receipt.getString("_id") + ":" + variantId, request.caller().userId(), "purchase order receipt", day)
          .alsoIncrementing(new JsonObject().put("incoming", -line.getLong("quantity")))
          .alsoSetting(new JsonObject().put("lastUnitCost", line.getLong("unitCost")), undoCost);
        return StockLedger.apply(unit, mongo, purchase).map(movements::add).mapEmpty();
      });
    }
    return chain.map(v -> movements);
  }
}
