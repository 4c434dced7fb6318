package io.stockroom.order;

import io.stockroom.catalog.VariantRepository;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.platform.BusRequest;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Page;
import io.stockroom.platform.Reply;
import io.stockroom.platform.VariantLines;
import io.stockroom.platform.StockServiceKit;
import io.stockroom.platform.TenantZones;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.Unit;
import io.stockroom.platform.unit.UnitRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Customer orders. Placing, cancelling and returning each lock the variants involved (and the order), check under
 * the lock, then run one unit of work: guarded stock updates, their movements and the order document, all or none.
 */
public class OrderService {
  private final Vertx vertx;
  private final MongoClient mongo;
  private final OrderRepository orders;
  private final VariantRepository variants;
  private final LockManager locks;
  private final UnitRunner units;
  private final TenantZones zones;

  public OrderService(Vertx vertx, StockServiceKit kit) {
    this.vertx = vertx;
    this.mongo = kit.mongo();
    this.orders = new OrderRepository(mongo);
    this.variants = new VariantRepository(mongo);
    this.locks = kit.locks();
    this.units = kit.units();
    this.zones = kit.zones();
  }

  public Future<Reply> place(BusRequest request) {
    String tenantId = request.tenantId();
    Map<String, Long> wanted = mergeLines(request.body().getJsonArray("items"));
    List<String> keys = wanted.keySet().stream().map(id -> LockManager.variantKey(tenantId, id)).toList();
    return locks.acquire(keys).compose(lease -> loadVariants(tenantId, wanted.keySet())
      .compose(found -> {
        requireStock(found, wanted);
        return Future.all(tenantCurrency(tenantId), zones.today(tenantId)).compose(t -> units.run("order.place", tenantId,
          unit -> placeUnit(unit, request, found, wanted, t.resultAt(0), t.resultAt(1))));
      })
      .eventually(lease::release))
      .map(placed -> {
        StockEvents.publish(vertx, tenantId, StockEvents.Type.ORDER_PLACED, placed.order().getString("_id"), placed.movements());
        return Reply.created(OrderRepository.toApi(placed.order()));
      });
  }

  public Future<Reply> list(BusRequest request) {
    return orders.search(request.tenantId(), request.query(), Page.from(request.query()))
      .map(page -> {
        page.getJsonArray("items").forEach(o -> ((JsonObject) o).remove("version"));
        return Reply.ok(page);
      });
  }

  public Future<Reply> get(BusRequest request) {
    return orders.get(request.tenantId(), request.pathParam("orderId")).map(o -> Reply.ok(OrderRepository.toApi(o)));
  }

  /** CANCELLED, and every unit not yet returned goes back to stock as a RETURN movement. */
  public Future<Reply> cancel(BusRequest request) {
    String tenantId = request.tenantId();
    String orderId = request.pathParam("orderId");
    return underOrderLock(tenantId, orderId, order -> {
      if (!"PLACED".equals(order.getString("status"))) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Order is " + order.getString("status")
          + "; only PLACED orders can be cancelled", new JsonObject().put("currentStatus", order.getString("status"))));
      }
      JsonArray lines = order.getJsonArray("lines").copy();
      Map<String, Long> giveBack = new TreeMap<>();
      for (Object o : lines) {
        JsonObject line = (JsonObject) o;
        long remaining = line.getLong("quantity") - line.getLong("returned");
        if (remaining > 0) giveBack.put(line.getString("variantId"), remaining);
        line.put("returned", line.getLong("quantity"));
      }
      JsonObject changes = new JsonObject().put("status", "CANCELLED").put("lines", lines).put("cancelledAt", Mongo.now());
      return zones.today(tenantId).compose(day -> units.run("order.cancel", tenantId, unit -> casOrder(unit, order, changes, null)
          .compose(v -> restock(unit, request, order, giveBack, new JsonObject().put("kind", "ORDER_CANCELLATION").put("id", orderId),
            "cancel:" + orderId, "order cancelled", day))))
        .map(movements -> {
          StockEvents.publish(vertx, tenantId, StockEvents.Type.ORDER_CANCELLED, orderId, movements);
          return Reply.ok(OrderRepository.toApi(order.copy().mergeIn(changes).put("version", order.getLong("version") + 1)));
        });
    });
  }

  /** Partial returns: never more than sold minus already returned, per line. */
  public Future<Reply> returnItems(BusRequest request) {
    String tenantId = request.tenantId();
    String orderId = request.pathParam("orderId");
    Map<String, Long> items = mergeLines(request.body().getJsonArray("items"));
    return underOrderLock(tenantId, orderId, order -> {
      if (!"PLACED".equals(order.getString("status"))) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Order is " + order.getString("status")
          + "; nothing left to return", new JsonObject().put("currentStatus", order.getString("status"))));
      }
      JsonArray lines = order.getJsonArray("lines").copy();
      JsonArray problems = new JsonArray();
      boolean allReturned = true;
      for (Map.Entry<String, Long> item : items.entrySet()) {
        JsonObject line = VariantLines.find(lines, item.getKey());
        if (line == null) {
          problems.add(new JsonObject().put("variantId", item.getKey()).put("returnable", 0).put("requested", item.getValue()));
          continue;
        }
        long returnable = line.getLong("quantity") - line.getLong("returned");
        if (item.getValue() > returnable) {
          problems.add(new JsonObject().put("variantId", item.getKey()).put("sku", line.getString("sku"))
            .put("returnable", returnable).put("requested", item.getValue()));
        }
        line.put("returned", line.getLong("returned") + item.getValue());
      }
      if (!problems.isEmpty()) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT,
          "Cannot return more than was sold and not yet returned", new JsonObject().put("lines", problems)));
      }
      for (Object o : lines) {
        JsonObject line = (JsonObject) o;
        allReturned &= line.getLong("returned").equals(line.getLong("quantity"));
      }
      String returnId = Mongo.newId();
      JsonObject record = new JsonObject().put("id", returnId).put("items", toItems(items))
        .put("reason", request.body().getString("reason")).put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
      JsonObject changes = new JsonObject().put("lines", lines).put("status", allReturned ? "RETURNED" : "PLACED");
      return zones.today(tenantId).compose(day -> units.run("order.return", tenantId, unit -> casOrder(unit, order, changes, record)
          .compose(v -> restock(unit, request, order, items, new JsonObject().put("kind", "ORDER_RETURN").put("id", returnId)
            .put("orderId", orderId), "return:" + returnId, request.body().getString("reason"), day))))
        .map(movements -> {
          StockEvents.publish(vertx, tenantId, StockEvents.Type.RETURNED, returnId, movements);
          JsonObject after = order.copy().mergeIn(changes);
          after.put("returns", after.getJsonArray("returns", new JsonArray()).copy().add(record));
          return Reply.created(new JsonObject().put("return", Mongo.toApi(record.copy().put("_id", returnId)))
            .put("order", OrderRepository.toApi(after)));
        });
    });
  }

  private record Placed(JsonObject order, List<JsonObject> movements) {
  }

  private Future<Placed> placeUnit(Unit unit, BusRequest request, Map<String, JsonObject> found, Map<String, Long> wanted,
                                   String currency, String day) {
    String tenantId = request.tenantId();
    String orderId = Mongo.newId();
    List<JsonObject> movements = new ArrayList<>();
    JsonArray lines = new JsonArray();
    long total = 0;
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, Long> line : wanted.entrySet()) {
      JsonObject variant = found.get(line.getKey());
      long quantity = line.getValue();
      long unitPrice = variant.getLong("price");
      total += unitPrice * quantity;
      lines.add(new JsonObject().put("variantId", line.getKey()).put("sku", variant.getString("sku")).put("quantity", quantity)
        .put("unitPrice", unitPrice).put("lineTotal", unitPrice * quantity).put("returned", 0L));
      StockChange sale = StockChange.of(tenantId, line.getKey(), variant.getString("sku"), MovementType.SALE, -quantity,
        new JsonObject().put("kind", "ORDER").put("id", orderId), "order:" + orderId + ":" + line.getKey(),
        request.caller().userId(), "order", day).sold(quantity, unitPrice * quantity);
      chain = chain.compose(v -> StockLedger.apply(unit, mongo, sale).map(movements::add).mapEmpty());
    }
    JsonObject order = new JsonObject()
      .put("_id", orderId).put("tenantId", tenantId).put("status", "PLACED").put("lines", lines)
      .put("total", total).put("currency", currency)
      .put("customer", request.body().getJsonObject("customer")).put("note", request.body().getString("note"))
      .put("returns", new JsonArray()).put("version", 0L)
      .put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
    return chain.compose(v -> unit.insert(OrderRepository.COLLECTION, order)).map(v -> new Placed(order, movements));
  }

  /** Compare-and-set on the order's version: a concurrent change (even with a lost lock) makes this a 409. */
  private static Future<Void> casOrder(Unit unit, JsonObject order, JsonObject changes, JsonObject newReturn) {
    long version = order.getLong("version");
    JsonObject filter = Mongo.byId(order.getString("tenantId"), order.getString("_id")).put("version", version);
    JsonObject set = changes.copy().put("version", version + 1).put("updatedAt", Mongo.now());
    JsonObject update = new JsonObject().put("$set", set);
    JsonObject undoSet = new JsonObject().put("version", version).put("status", order.getString("status"))
      .put("lines", order.getJsonArray("lines"));
    JsonObject undoUnset = new JsonObject();
    if (order.containsKey("updatedAt")) undoSet.put("updatedAt", order.getValue("updatedAt"));
    else undoUnset.put("updatedAt", "");
    if (changes.containsKey("cancelledAt")) undoUnset.put("cancelledAt", "");
    JsonObject undo = new JsonObject().put("$set", undoSet);
    if (!undoUnset.isEmpty()) undo.put("$unset", undoUnset);
    if (newReturn != null) {
      update.put("$push", new JsonObject().put("returns", newReturn));
      undo.put("$pull", new JsonObject().put("returns", new JsonObject().put("id", newReturn.getString("id"))));
    }
    return unit.update(OrderRepository.COLLECTION, filter, update, undo).compose(after -> after == null
      ? ServiceError.fail(ErrorCode.CONFLICT, "The order changed concurrently; nothing was changed, retry")
      : Future.succeededFuture());
  }

  /** Units back from the customer: RETURN movements, and the sales they undo leave the top-seller counts. */
  private Future<List<JsonObject>> restock(Unit unit, BusRequest request, JsonObject order, Map<String, Long> quantities,
                                           JsonObject source, String sourceKeyPrefix, String reason, String day) {
    List<JsonObject> movements = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, Long> item : quantities.entrySet()) {
      JsonObject line = VariantLines.find(order.getJsonArray("lines"), item.getKey());
      long quantity = item.getValue();
      StockChange back = StockChange.of(request.tenantId(), item.getKey(), line.getString("sku"), MovementType.RETURN, quantity,
          source, sourceKeyPrefix + ":" + item.getKey(), request.caller().userId(), reason, day)
        .sold(-quantity, -quantity * line.getLong("unitPrice"));
      chain = chain.compose(v -> StockLedger.apply(unit, mongo, back).map(movements::add).mapEmpty());
    }
    return chain.map(v -> movements);
  }

  private Future<Reply> underOrderLock(String tenantId, String orderId, Function<JsonObject, Future<Reply>> work) {
    return orders.get(tenantId, orderId).compose(order -> {
      List<String> keys = new ArrayList<>();
      keys.add(LockManager.orderKey(tenantId, orderId));
      order.getJsonArray("lines").forEach(l -> keys.add(LockManager.variantKey(tenantId, ((JsonObject) l).getString("variantId"))));
      return locks.acquire(keys).compose(lease -> orders.get(tenantId, orderId).compose(work).eventually(lease::release));
    });
  }

  private Future<Map<String, JsonObject>> loadVariants(String tenantId, Iterable<String> ids) {
    Map<String, JsonObject> found = new TreeMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> mongo.findOne(VariantRepository.COLLECTION, Mongo.byId(tenantId, id), null)
        .compose(variant -> variant == null
          ? Future.failedFuture(new ServiceError(ErrorCode.NOT_FOUND, "Variant " + id + " not found",
              new JsonObject().put("variantId", id)))
          : Future.succeededFuture(found.put(id, variant)))
        .mapEmpty());
    }
    return chain.map(v -> found);
  }

  private static void requireStock(Map<String, JsonObject> found, Map<String, Long> wanted) {
    JsonArray shortages = new JsonArray();
    wanted.forEach((id, quantity) -> {
      long available = found.get(id).getLong("stock");
      if (available < quantity) {
        shortages.add(new JsonObject().put("variantId", id).put("sku", found.get(id).getString("sku"))
          .put("requested", quantity).put("available", available));
      }
    });
    if (!shortages.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "Insufficient stock for " + shortages.size() + " line(s); nothing was changed",
        new JsonObject().put("shortages", shortages));
    }
  }

  private Future<String> tenantCurrency(String tenantId) {
    return mongo.findOne("tenants", new JsonObject().put("_id", tenantId), new JsonObject().put("currency", 1))
      .map(t -> t == null ? null : t.getString("currency"));
  }

  /** Duplicate variant lines are merged (quantities summed), so a variant is checked once, for its total. */
  static Map<String, Long> mergeLines(JsonArray items) {
    Map<String, Long> merged = new TreeMap<>();
    for (Object o : items) {
      JsonObject item = (JsonObject) o;
      merged.merge(item.getString("variantId"), item.getLong("quantity"), Long::sum);
    }
    return merged;
  }

  private static JsonArray toItems(Map<String, Long> items) {
    JsonArray out = new JsonArray();
    items.forEach((id, q) -> out.add(new JsonObject().put("variantId", id).put("quantity", q)));
    return out;
  }
}
