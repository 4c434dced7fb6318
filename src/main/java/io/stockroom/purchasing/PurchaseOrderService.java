package io.stockroom.purchasing;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.location.Locations;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.BusRequest;
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

  public Future<Reply> create(BusRequest request) {
    String tenantId = request.tenantId();
    JsonObject body = request.body();
    JsonArray items = body.getJsonArray("items");
    List<String> ids = distinctVariants(items);
    String locationId = body.getString("locationId", Locations.defaultId(tenantId));
    return locations.find(tenantId, locationId).compose(location -> kernel.run(Work.<Map<String, JsonObject>>of(request)
      .locking(ids.stream().map(id -> LockKeys.variant(tenantId, id)).toList())
      .reading(() -> variants.getAll(tenantId, ids))
      .writing((unit, found) -> {
        JsonArray lines = lines(items, found);
        JsonObject po = new JsonObject()
          .put("_id", Mongo.newId()).put("tenantId", tenantId).put("supplierId", body.getString("supplierId"))
          .put("locationId", locationId).put("status", PurchaseOrderStatus.DRAFT.name()).put("lines", lines).put("orderedValue", orderedValue(lines))
          .put("receivedUnits", 0L).put("receivedValue", Amounts.stored(BigInteger.ZERO)).put("totalVariance", Amounts.stored(BigInteger.ZERO))
          .put("expectedAt", expectedAt(body))
          .put("note", body.getString("note"))
          .put("version", 0L).put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
        return suppliers.openOrdersChanged(unit, tenantId, po.getString("supplierId"), 1)
          .compose(v -> Steps.each(found.values(), variant -> variants.purchaseOrderChanged(unit, variant, 1, 0, locationId)))
          .compose(v -> unit.insert(PurchaseOrderRepository.COLLECTION, po))
          .map(v -> Work.Done.of(Reply.created(PurchaseOrderRepository.toApi(po))));
      })));
  }

  public Future<Reply> list(BusRequest request) {
    return purchaseOrders.search(request.tenantId(), request.query(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> get(BusRequest request) {
    return purchaseOrders.get(request.tenantId(), request.pathParam("purchaseOrderId"))
      .map(po -> Reply.ok(PurchaseOrderRepository.toApi(po)));
  }

  /** DRAFT only: new lines, supplier, note or expected date; the open-order counts follow the lines and supplier. */
  public Future<Reply> update(BusRequest request) {
    JsonObject body = request.body();
    JsonArray items = body.getJsonArray("items");
    List<String> added = items == null ? List.of() : distinctVariants(items);
    return underPurchaseOrderLocks(request, added, (unit, locked) -> {
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
      String newSupplier = body.getString("supplierId");
      if (newSupplier != null && !newSupplier.equals(po.getString("supplierId"))) {
        set.put("supplierId", newSupplier);
        counts = counts.compose(v -> suppliers.openOrdersChanged(unit, tenantId, newSupplier, 1))
          .compose(v -> suppliers.openOrdersChanged(unit, tenantId, po.getString("supplierId"), -1));
      }
      if (body.containsKey("note")) set.put("note", body.getValue("note"));
      if (body.containsKey("expectedAt")) set.put("expectedAt", expectedAt(body));
      return counts.compose(v -> casPurchaseOrder(unit, po, set))
        .map(updated -> Work.Done.of(Reply.ok(PurchaseOrderRepository.toApi(updated))));
    });
  }

  public Future<Reply> delete(BusRequest request) {
    return underPurchaseOrderLocks(request, List.of(), (unit, locked) -> {
      JsonObject po = locked.po();
      requireStatus(po, "deleted", List.of(PurchaseOrderStatus.DRAFT));
      return unit.delete(PurchaseOrderRepository.COLLECTION, po)
        .compose(deleted -> deleted ? Future.succeededFuture()
          : ServiceError.<Void>fail(ErrorCode.CONFLICT, "The purchase order changed concurrently; retry"))
        .compose(v -> endOpenOrder(unit, locked, Map.of()))
        .map(v -> Work.Done.of(Reply.noContent()));
    });
  }

  public Future<Reply> send(BusRequest request) { return transition(request, Transition.SEND); }
  public Future<Reply> confirm(BusRequest request) { return transition(request, Transition.CONFIRM); }
  public Future<Reply> cancel(BusRequest request) { return transition(request, Transition.CANCEL); }
  public Future<Reply> close(BusRequest request) { return transition(request, Transition.CLOSE); }

  private Future<Reply> transition(BusRequest request, Transition transition) {
    return underPurchaseOrderLocks(request, List.of(), (unit, locked) -> {
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
  Future<Reply> underPurchaseOrderLocks(BusRequest request, List<String> extraVariants,
                                        java.util.function.BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = request.tenantId();
    String id = request.pathParam("purchaseOrderId");
    return purchaseOrders.get(tenantId, id).compose(exists -> kernel.run(Work.<Locked>of(request)
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

  /** One line per variant (duplicates are a 400). */
  private static List<String> distinctVariants(JsonArray items) {
    Set<String> seen = new LinkedHashSet<>();
    for (Object o : items) {
      if (!seen.add(((JsonObject) o).getString("variantId"))) {
        throw new ServiceError(ErrorCode.VALIDATION, "Each variant may appear once per purchase order; merge the lines");
      }
    }
    return new ArrayList<>(seen);
  }

  private static JsonArray lines(JsonArray items, Map<String, JsonObject> variants) {
    JsonArray lines = new JsonArray();
    for (Object o : items) {
      JsonObject item = (JsonObject) o;
      lines.add(new JsonObject().put("variantId", item.getString("variantId"))
        .put("sku", variants.get(item.getString("variantId")).getString("sku"))
        .put("quantity", item.getLong("quantity")).put("unitCost", item.getLong("unitCost"))
        .put("received", 0L).put("receivedValue", Amounts.stored(BigInteger.ZERO)).put("variance", Amounts.stored(BigInteger.ZERO)));
    }
    return lines;
  }

  private static JsonObject expectedAt(JsonObject body) {
    return body.getString("expectedAt") == null ? null : Mongo.parseDate("expectedAt", body.getString("expectedAt"));
  }

  private static java.math.BigDecimal orderedValue(JsonArray lines) {
    BigInteger total = BigInteger.ZERO;
    for (Object o : lines) total = total.add(Amounts.times(((JsonObject) o).getLong("unitCost"), ((JsonObject) o).getLong("quantity")));
    return Amounts.stored(total);
  }
}
