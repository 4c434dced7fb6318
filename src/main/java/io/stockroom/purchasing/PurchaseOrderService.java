package io.stockroom.purchasing;

import io.stockroom.catalog.VariantRepository;
import io.stockroom.platform.BusRequest;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Page;
import io.stockroom.platform.Reply;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.UnitRunner;
import io.stockroom.inventory.StockRollups;
import io.stockroom.supplier.SupplierRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Purchase orders and their lifecycle DRAFT → SENT → CONFIRMED → RECEIVED (or CLOSED short, or CANCELLED before
 * anything arrived). Content changes only while DRAFT. Every transition is a unit of work under the purchase order's
 * and its variants' locks: a compare-and-set on status and version, plus the variants' {@code incoming} quantities
 * (what SENT and CONFIRMED orders still bring), which the dashboard's low-stock list counts.
 */
public class PurchaseOrderService {
  private final PurchaseOrderRepository purchaseOrders;
  private final SupplierRepository suppliers;
  private final VariantRepository variants;
  private final LockManager locks;
  private final UnitRunner units;
  private final MongoClient mongo;

  public PurchaseOrderService(MongoClient mongo, LockManager locks, UnitRunner units) {
    this.mongo = mongo;
    this.purchaseOrders = new PurchaseOrderRepository(mongo);
    this.suppliers = new SupplierRepository(mongo);
    this.variants = new VariantRepository(mongo);
    this.locks = locks;
    this.units = units;
  }

  /** CANCEL also requires that nothing was received, CLOSE that something was. */
  private enum Transition {
    SEND("SENT", "sentAt", List.of("DRAFT")),
    CONFIRM("CONFIRMED", "confirmedAt", List.of("SENT")),
    CANCEL("CANCELLED", "cancelledAt", List.of("DRAFT", "SENT", "CONFIRMED")),
    CLOSE("CLOSED", "closedAt", List.of("CONFIRMED"));

    final String to;
    final String stamp;
    final List<String> from;

    Transition(String to, String stamp, List<String> from) {
      this.to = to;
      this.stamp = stamp;
      this.from = from;
    }
  }

  public Future<Reply> create(BusRequest request) {
    String tenantId = request.tenantId();
    JsonObject body = request.body();
    return buildLines(tenantId, body.getJsonArray("items"))
      .compose(lines -> suppliers.get(tenantId, body.getString("supplierId")).map(supplier -> lines))
      .compose(lines -> {
        JsonObject po = new JsonObject()
          .put("_id", Mongo.newId()).put("tenantId", tenantId).put("supplierId", body.getString("supplierId"))
          .put("status", "DRAFT").put("lines", lines).put("orderedValue", orderedValue(lines))
          .put("receivedUnits", 0L).put("receivedValue", 0L).put("totalVariance", 0L)
          .put("expectedAt", body.getString("expectedAt") == null ? null : Mongo.parseDate("expectedAt", body.getString("expectedAt")))
          .put("note", body.getString("note"))
          .put("version", 0L).put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
        return purchaseOrders.insert(po);
      })
      .map(po -> Reply.created(PurchaseOrderRepository.toApi(po)));
  }

  public Future<Reply> list(BusRequest request) {
    return purchaseOrders.search(request.tenantId(), request.query(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> get(BusRequest request) {
    return purchaseOrders.get(request.tenantId(), request.pathParam("purchaseOrderId"))
      .map(po -> Reply.ok(PurchaseOrderRepository.toApi(po)));
  }

  public Future<Reply> update(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("purchaseOrderId");
    JsonObject body = request.body();
    Future<JsonObject> set = Future.succeededFuture(new JsonObject());
    if (body.containsKey("items")) {
      set = buildLines(tenantId, body.getJsonArray("items"))
        .map(lines -> new JsonObject().put("lines", lines).put("orderedValue", orderedValue(lines)));
    }
    if (body.containsKey("supplierId")) {
      set = set.compose(s -> suppliers.get(tenantId, body.getString("supplierId")).map(supplier -> s.put("supplierId", body.getString("supplierId"))));
    }
    return set.compose(changes -> {
      if (body.containsKey("note")) changes.put("note", body.getValue("note"));
      if (body.containsKey("expectedAt")) {
        changes.put("expectedAt", body.getString("expectedAt") == null ? null : Mongo.parseDate("expectedAt", body.getString("expectedAt")));
      }
      return underLock(tenantId, id, () -> purchaseOrders.transition(tenantId, id, new JsonArray().add("DRAFT"), null, changes)
        .compose(updated -> updated != null ? Future.succeededFuture(updated) : explainRefusal(tenantId, id, "changed", List.of("DRAFT"))));
    }).map(po -> Reply.ok(PurchaseOrderRepository.toApi(po)));
  }

  public Future<Reply> delete(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("purchaseOrderId");
    return underLock(tenantId, id, () -> purchaseOrders.deleteDraft(tenantId, id)
      .compose(deleted -> deleted ? Future.<JsonObject>succeededFuture() : explainRefusal(tenantId, id, "deleted", List.of("DRAFT"))))
      .map(v -> Reply.noContent());
  }

  public Future<Reply> send(BusRequest request) { return transition(request, Transition.SEND); }
  public Future<Reply> confirm(BusRequest request) { return transition(request, Transition.CONFIRM); }
  public Future<Reply> cancel(BusRequest request) { return transition(request, Transition.CANCEL); }
  public Future<Reply> close(BusRequest request) { return transition(request, Transition.CLOSE); }

  private Future<Reply> transition(BusRequest request, Transition transition) {
    String tenantId = request.tenantId();
    String id = request.pathParam("purchaseOrderId");
    return purchaseOrders.get(tenantId, id).compose(po -> {
      List<String> keys = new java.util.ArrayList<>();
      keys.add(LockManager.purchaseOrderKey(tenantId, id));
      po.getJsonArray("lines").forEach(l -> keys.add(LockManager.variantKey(tenantId, ((JsonObject) l).getString("variantId"))));
      return locks.acquire(keys).compose(lease -> purchaseOrders.get(tenantId, id)
        .compose(current -> applyTransition(current, transition))
        .eventually(lease::release));
    }).map(po -> Reply.ok(PurchaseOrderRepository.toApi(po)));
  }

  private Future<JsonObject> applyTransition(JsonObject po, Transition transition) {
    String status = po.getString("status");
    long received = po.getLong("receivedUnits", 0L);
    boolean guardHolds = transition != Transition.CANCEL && transition != Transition.CLOSE
      || (transition == Transition.CANCEL ? received == 0 : received > 0);
    if (!transition.from.contains(status) || !guardHolds) {
      String why = transition.from.contains(status)
        ? (received > 0 ? "goods were already received" : "nothing was received yet")
        : "it is " + status + " (allowed from " + String.join(", ", transition.from) + ")";
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Purchase order cannot be moved to " + transition.to + ": " + why,
        new JsonObject().put("currentStatus", status)));
    }
    boolean wasIncoming = status.equals("SENT") || status.equals("CONFIRMED");
    boolean isIncoming = transition.to.equals("SENT") || transition.to.equals("CONFIRMED");
    long version = po.getLong("version");
    JsonObject filter = Mongo.byId(po.getString("tenantId"), po.getString("_id")).put("status", status).put("version", version);
    JsonObject set = new JsonObject().put("status", transition.to).put(transition.stamp, Mongo.now()).put("updatedAt", Mongo.now());
    JsonObject undo = new JsonObject().put("$set", new JsonObject().put("status", status).put("version", version))
      .put("$unset", new JsonObject().put(transition.stamp, ""));
    if (po.containsKey("updatedAt")) undo.getJsonObject("$set").put("updatedAt", po.getValue("updatedAt"));
    else undo.getJsonObject("$unset").put("updatedAt", "");
    JsonObject update = new JsonObject().put("$set", set).put("$inc", new JsonObject().put("version", 1));
    return units.run("purchasing." + transition.name().toLowerCase(), po.getString("tenantId"), unit ->
      unit.update(PurchaseOrderRepository.COLLECTION, filter, update, undo).compose(updated -> {
        if (updated == null) return ServiceError.<JsonObject>fail(ErrorCode.CONFLICT, "The purchase order changed concurrently; retry");
        Future<Void> chain = Future.succeededFuture();
        if (wasIncoming != isIncoming) {
          for (Object o : po.getJsonArray("lines")) {
            JsonObject line = (JsonObject) o;
            long outstanding = line.getLong("quantity") - line.getLong("received");
            long delta = isIncoming ? outstanding : -outstanding;
            if (delta == 0) continue;
            chain = chain.compose(v -> unit.update(VariantRepository.COLLECTION, Mongo.byId(po.getString("tenantId"), line.getString("variantId")),
                new JsonObject().put("$inc", new JsonObject().put("incoming", delta)),
                new JsonObject().put("$inc", new JsonObject().put("incoming", -delta)))
              .compose(variant -> variant == null
                ? ServiceError.<Void>fail(ErrorCode.CONFLICT, "Variant " + line.getString("sku") + " no longer exists")
                : StockRollups.apply(unit, mongo, po.getString("tenantId"),
                    variant.copy().put("incoming", variant.getLong("incoming", 0L) - delta), variant)));
          }
        }
        return chain.map(updated);
      }));
  }

  private Future<JsonObject> underLock(String tenantId, String id, java.util.function.Supplier<Future<JsonObject>> work) {
    return purchaseOrders.get(tenantId, id).compose(exists -> locks.acquire(List.of(LockManager.purchaseOrderKey(tenantId, id)))
      .compose(lease -> work.get().eventually(lease::release)));
  }

  /** Why a compare-and-set matched nothing: 404 when the PO is not the tenant's, else 409 with its status. */
  private <T> Future<T> explainRefusal(String tenantId, String id, String action, List<String> allowed) {
    return purchaseOrders.get(tenantId, id).compose(po -> {
      String status = po.getString("status");
      String why = allowed.contains(status)
        ? (po.getLong("receivedUnits", 0L) > 0 ? "goods were already received" : "nothing was received yet")
        : "it is " + status + " (allowed from " + String.join(", ", allowed) + ")";
      return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Purchase order cannot be " + action + ": " + why,
        new JsonObject().put("currentStatus", status)));
    });
  }

  /** One line per variant (duplicates are a 400), each variant must be the tenant's (404). */
  private Future<JsonArray> buildLines(String tenantId, JsonArray items) {
    Set<String> seen = new HashSet<>();
    for (Object o : items) {
      if (!seen.add(((JsonObject) o).getString("variantId"))) {
        return ServiceError.fail(ErrorCode.VALIDATION, "Each variant may appear once per purchase order; merge the lines");
      }
    }
    JsonArray lines = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (Object o : items) {
      JsonObject item = (JsonObject) o;
      chain = chain.compose(v -> variants.get(tenantId, item.getString("variantId")).map(variant -> {
        lines.add(new JsonObject().put("variantId", item.getString("variantId")).put("sku", variant.getString("sku"))
          .put("quantity", item.getLong("quantity")).put("unitCost", item.getLong("unitCost"))
          .put("received", 0L).put("receivedValue", 0L).put("variance", 0L));
        return null;
      }));
    }
    return chain.map(v -> lines);
  }

  private static long orderedValue(JsonArray lines) {
    long total = 0;
    for (Object o : lines) total += ((JsonObject) o).getLong("quantity") * ((JsonObject) o).getLong("unitCost");
    return total;
  }
}
