package io.stockroom.purchasing;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.location.Locations;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StatusChange;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.stockroom.supplier.SupplierRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.stockroom.purchasing.PurchasingCommands.ChangePurchaseOrder;
import io.stockroom.purchasing.PurchasingCommands.CreatePurchaseOrder;
import io.stockroom.purchasing.PurchasingCommands.OrderedItem;
import io.stockroom.purchasing.PurchasingCommands.PurchaseOrderFilter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Purchase orders and their lifecycle DRAFT → SENT → CONFIRMED → RECEIVED (or CLOSED short, or CANCELLED before
 * anything arrived). Content changes only while DRAFT. Every change runs through the stock kernel: lock the purchase
 * order, re-read it, lock the variants it names (and any the request adds), re-check, then one unit of work: a
 * compare-and-set on the order, the variants' {@code incoming} and {@code openPurchaseOrders}, and the supplier's
 * open-order count. A variant or supplier with open purchase orders cannot be deleted.
 */
public class PurchaseOrderService {

  private final PurchaseOrderRepository purchaseOrders;
  private final SupplierRepository suppliers;
  private final Variants variants;
  private final StockKernel kernel;
  private final Locations locations;

  public PurchaseOrderService(StockServiceKit kit) {
    this.locations = new Locations(kit.mongo());
    this.purchaseOrders = new PurchaseOrderRepository(kit.mongo());
    this.suppliers = new SupplierRepository(kit.mongo());
    this.variants = new Variants(kit.mongo());
    this.kernel = kit.kernel();
  }

  /** CANCEL also requires that nothing was received, CLOSE that something was. */
  private enum Transition {
    SEND(PurchaseOrderStatus.SENT, "sentAt", List.of(PurchaseOrderStatus.DRAFT)),
    CONFIRM(PurchaseOrderStatus.CONFIRMED, "confirmedAt", List.of(PurchaseOrderStatus.SENT)),
    CANCEL(PurchaseOrderStatus.CANCELLED, "cancelledAt", List.copyOf(PurchaseOrderStatus.OPEN)),
    CLOSE(PurchaseOrderStatus.CLOSED, "closedAt", List.of(PurchaseOrderStatus.CONFIRMED));

    final PurchaseOrderStatus to;
    final String stamp;
    final List<PurchaseOrderStatus> from;

    Transition(PurchaseOrderStatus to, String stamp, List<PurchaseOrderStatus> from) {
      this.to = to;
      this.stamp = stamp;
      this.from = from;
    }
  }

  /** A purchase order and the variants involved, as read under their locks. */
  record Locked(JsonObject po, Map<String, JsonObject> variants) {
  }

  public Future<Reply> create(CreatePurchaseOrder command) {
    String tenantId = command.by().tenantId();
    List<String> ids = command.items().stream().map(OrderedItem::variantId).toList();
    String locationId = command.locationId();
    return locations.find(tenantId, locationId).compose(location -> kernel.run(Work.<Map<String, JsonObject>>of(command.by())
      .locking(ids.stream().map(id -> LockKeys.variant(tenantId, id)).toList())
      .reading(() -> variants.getAll(tenantId, ids))
      .writing((unit, found) -> {
        JsonArray lines = lines(command.items(), found);
        JsonObject po = new JsonObject()
          .put("_id", Mongo.newId()).put("tenantId", tenantId).put("supplierId", command.supplierId())
          .put("locationId", locationId).put("status", PurchaseOrderStatus.DRAFT.name()).put("lines", lines).put("orderedValue", orderedValue(lines))
          .put("receivedUnits", 0L).put("receivedValue", Amounts.stored(BigInteger.ZERO)).put("totalVariance", Amounts.stored(BigInteger.ZERO))
          .put("expectedAt", date(command.expectedAt()))
          .put("note", command.note())
          .put("version", 0L).put("createdBy", command.by().userId()).put("createdAt", Mongo.now());
        return suppliers.openOrdersChanged(unit, tenantId, po.getString("supplierId"), 1)
          .compose(v -> Steps.each(found.values(), variant -> variants.purchaseOrderChanged(unit, variant, 1, 0, locationId)))
          .compose(v -> unit.insert(PurchaseOrderRepository.COLLECTION, po))
          .map(v -> Work.Done.of(Reply.created(PurchaseOrderRepository.toApi(po))));
      })));
  }

  /** One page of the tenant's purchase orders, as clients see them. */
  public Future<JsonObject> list(String tenantId, PurchaseOrderFilter filter, Page page) {
    return purchaseOrders.search(tenantId, filter, page);
  }

  public Future<JsonObject> get(String tenantId, String purchaseOrderId) {
    return purchaseOrders.get(tenantId, purchaseOrderId).map(PurchaseOrderRepository::toApi);
  }

  /** DRAFT only: new lines, supplier, note or expected date; the open-order counts follow the lines and supplier. */
  public Future<Reply> change(ChangePurchaseOrder command) {
    List<OrderedItem> items = command.items();
    List<String> added = command.variantIds();
    return underPurchaseOrderLocks(command.by(), command.purchaseOrderId(), added, (unit, locked) -> {
      JsonObject po = locked.po();
      requireStatus(po, "changed", List.of(PurchaseOrderStatus.DRAFT));
      String tenantId = po.getString("tenantId");
      JsonObject set = new JsonObject();
      Future<Void> counts = Future.succeededFuture();
      if (items != null) {
        JsonArray lines = lines(items, locked.variants());
        set.put("lines", lines).put("orderedValue", orderedValue(lines));
        Set<String> before = new HashSet<>(lineVariantIds(po));
        Set<String> after = new HashSet<>(added);
        counts = Steps.each(locked.variants().values(), variant -> {
          String id = variant.getString("_id");
          long delta = (after.contains(id) ? 1 : 0) - (before.contains(id) ? 1 : 0);
          return delta == 0 ? Future.succeededFuture() : variants.purchaseOrderChanged(unit, variant, delta, 0, locationOf(po));
        });
      }
      String newSupplier = command.supplierId();
      if (newSupplier != null && !newSupplier.equals(po.getString("supplierId"))) {
        set.put("supplierId", newSupplier);
        counts = counts.compose(v -> suppliers.openOrdersChanged(unit, tenantId, newSupplier, 1))
          .compose(v -> suppliers.openOrdersChanged(unit, tenantId, po.getString("supplierId"), -1));
      }
      if (command.note() != null) set.put("note", command.note().value());
      if (command.expectedAt() != null) set.put("expectedAt", date(command.expectedAt().value()));
      return counts.compose(v -> casPurchaseOrder(unit, po, set))
        .map(updated -> Work.Done.of(Reply.ok(PurchaseOrderRepository.toApi(updated))));
    });
  }

  public Future<Reply> delete(Invocation by, String purchaseOrderId) {
    return underPurchaseOrderLocks(by, purchaseOrderId, List.of(), (unit, locked) -> {
      JsonObject po = locked.po();
      requireStatus(po, "deleted", List.of(PurchaseOrderStatus.DRAFT));
      return unit.delete(PurchaseOrderRepository.COLLECTION, po)
        .compose(deleted -> deleted ? Future.succeededFuture()
          : ServiceError.<Void>fail(ErrorCode.CONFLICT, "The purchase order changed concurrently; retry"))
        .compose(v -> endOpenOrder(unit, locked, Map.of()))
        .map(v -> Work.Done.of(Reply.noContent()));
    });
  }

  public Future<Reply> send(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, Transition.SEND);
  }

  public Future<Reply> confirm(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, Transition.CONFIRM);
  }

  public Future<Reply> cancel(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, Transition.CANCEL);
  }

  public Future<Reply> close(Invocation by, String purchaseOrderId) {
    return transition(by, purchaseOrderId, Transition.CLOSE);
  }

  private Future<Reply> transition(Invocation by, String purchaseOrderId, Transition transition) {
    return underPurchaseOrderLocks(by, purchaseOrderId, List.of(), (unit, locked) -> {
      JsonObject po = locked.po();
      PurchaseOrderStatus status = PurchaseOrderStatus.of(po.getString("status"));
      long received = po.getLong("receivedUnits", 0L);
      requireStatus(po, "moved to " + transition.to, transition.from);
      if (transition == Transition.CANCEL && received > 0) throw refusal(po, "moved to " + transition.to, "goods were already received");
      if (transition == Transition.CLOSE && received == 0) throw refusal(po, "moved to " + transition.to, "nothing was received yet");
      boolean wasIncoming = PurchaseOrderStatus.INCOMING.contains(status);
      boolean isIncoming = PurchaseOrderStatus.INCOMING.contains(transition.to);
      boolean ends = !PurchaseOrderStatus.OPEN.contains(transition.to);
      Map<String, Long> incoming = new java.util.HashMap<>();
      if (wasIncoming != isIncoming) {
        for (Object o : po.getJsonArray("lines")) {
          JsonObject line = (JsonObject) o;
          long outstanding = line.getLong("quantity") - line.getLong("received");
          incoming.put(line.getString("variantId"), isIncoming ? outstanding : -outstanding);
        }
      }
      JsonObject set = new JsonObject().put("status", transition.to.name()).put(transition.stamp, Mongo.now());
      return casPurchaseOrder(unit, po, set).compose(updated -> (ends
          ? endOpenOrder(unit, locked, incoming)
          : Steps.each(locked.variants().values(), variant -> {
              long delta = incoming.getOrDefault(variant.getString("_id"), 0L);
              return delta == 0 ? Future.succeededFuture() : variants.purchaseOrderChanged(unit, variant, 0, delta, locationOf(po));
            }))
        .map(v -> Work.Done.of(Reply.ok(PurchaseOrderRepository.toApi(updated)))));
    });
  }

  /** The order is no longer open: its variants and supplier count one open order less (and lose what it brought). */
  Future<Void> endOpenOrder(Unit unit, Locked locked, Map<String, Long> incomingDelta) {
    JsonObject po = locked.po();
    return Steps.each(lineVariantIds(po), id -> variants.purchaseOrderChanged(unit, locked.variants().get(id), -1,
        incomingDelta.getOrDefault(id, 0L), locationOf(po)))
      .compose(v -> suppliers.openOrdersChanged(unit, po.getString("tenantId"), po.getString("supplierId"), -1));
  }

  /** Lock the purchase order, re-read it, lock its variants and those the request adds, re-read and re-check. */
  Future<Reply> underPurchaseOrderLocks(Invocation by, String id, List<String> extraVariants,
                                        java.util.function.BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = by.tenantId();
    return purchaseOrders.get(tenantId, id).compose(exists -> kernel.run(Work.<Locked>of(by)
      .locking(List.of(LockKeys.purchaseOrder(tenantId, id)))
      .reading(() -> purchaseOrders.get(tenantId, id).compose(po -> {
        Set<String> ids = new LinkedHashSet<>(lineVariantIds(po));
        ids.addAll(extraVariants);
        return variants.getAll(tenantId, ids).map(found -> new Locked(po, found));
      }))
      .thenLocking(locked -> locked.variants().keySet().stream().map(v -> LockKeys.variant(tenantId, v)).toList())
      .writing(write)));
  }

  static Future<JsonObject> casPurchaseOrder(Unit unit, JsonObject po, JsonObject set) {
    return StatusChange.apply(unit, PurchaseOrderRepository.COLLECTION, po, set, "purchase order");
  }

  private static void requireStatus(JsonObject po, String action, List<PurchaseOrderStatus> allowed) {
    PurchaseOrderStatus status = PurchaseOrderStatus.of(po.getString("status"));
    if (!allowed.contains(status)) {
      throw refusal(po, action, "it is " + status + " (allowed from " + String.join(", ", allowed.stream().map(Enum::name).toList()) + ")");
    }
  }

  private static ServiceError refusal(JsonObject po, String action, String why) {
    return new ServiceError(ErrorCode.CONFLICT, "Purchase order cannot be " + action + ": " + why,
      new JsonObject().put("currentStatus", po.getString("status")));
  }

  /** Where the order's goods are expected (orders from before locations existed: the default location). */
  static String locationOf(JsonObject po) {
    return po.getString("locationId", Locations.defaultId(po.getString("tenantId")));
  }

  static List<String> lineVariantIds(JsonObject po) {
    return po.getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("variantId")).toList();
  }

  private static JsonArray lines(List<OrderedItem> items, Map<String, JsonObject> variants) {
    JsonArray lines = new JsonArray();
    for (OrderedItem item : items) {
      lines.add(new JsonObject().put("variantId", item.variantId())
        .put("sku", variants.get(item.variantId()).getString("sku"))
        .put("quantity", item.quantity()).put("unitCost", item.unitCost())
        .put("received", 0L).put("receivedValue", Amounts.stored(BigInteger.ZERO)).put("variance", Amounts.stored(BigInteger.ZERO)));
    }
    return lines;
  }

  private static JsonObject date(java.time.Instant instant) {
    return instant == null ? null : Mongo.date(instant);
  }

  private static java.math.BigDecimal orderedValue(JsonArray lines) {
    BigInteger total = BigInteger.ZERO;
    for (Object o : lines) total = total.add(Amounts.times(((JsonObject) o).getLong("unitCost"), ((JsonObject) o).getLong("quantity")));
    return Amounts.stored(total);
  }
}
