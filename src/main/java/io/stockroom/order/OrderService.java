package io.stockroom.order;

import io.stockroom.platform.metrics.Meters;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockProjection;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.VariantLines;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Customer orders. Placing locks the variants named; cancelling and returning lock the order, re-read it, then lock
 * the variants it names. Each then runs one unit of work through the stock kernel: the variants' stock changes, their
 * movements and the order document, all or none.
 */
public class OrderService {
  private final Vertx vertx;
  private final MongoClient mongo;
  private final OrderRepository orders;
  private final Variants variants;
  private final StockLedger ledger;
  private final StockKernel kernel;
  private final TenantSettings tenants;

  public OrderService(Vertx vertx, StockServiceKit kit, StockProjection projection) {
    this.vertx = vertx;
    this.mongo = kit.mongo();
    this.orders = new OrderRepository(mongo);
    this.variants = new Variants(mongo, projection);
    this.ledger = new StockLedger(variants, projection);
    this.kernel = kit.kernel();
    this.tenants = new TenantSettings(kit.mongo());
  }

  /** The order and its variants, as read under their locks. */
  private record Locked(JsonObject order, Map<String, JsonObject> variants) {
    List<String> variantKeys() {
      return order.getJsonArray("lines").stream()
        .map(l -> LockKeys.variant(order.getString("tenantId"), ((JsonObject) l).getString("variantId"))).toList();
    }
  }

  public Future<Reply> place(BusRequest request) {
    String tenantId = request.tenantId();
    Map<String, Long> wanted = mergeLines(request.body().getJsonArray("items"));
    return Future.all(tenants.currency(tenantId), tenants.today(tenantId)).compose(context -> kernel.run(
      Work.<Map<String, JsonObject>>of(request)
        .locking(wanted.keySet().stream().map(id -> LockKeys.variant(tenantId, id)).toList())
        .reading(() -> variants.getAll(tenantId, wanted.keySet()))
        .writing((unit, found) -> placeUnit(unit, request, found, wanted, context.resultAt(0), context.resultAt(1)))))
      .onSuccess(placed -> Meters.orderPlaced())
      .onFailure(err -> {
        if (err instanceof ServiceError se && se.extensions().containsKey("shortages")) Meters.orderRefused();
      });
  }

  public Future<Reply> list(BusRequest request) {
    return orders.search(request.tenantId(), request.query(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> get(BusRequest request) {
    return orders.get(request.tenantId(), request.pathParam("orderId")).map(o -> Reply.ok(OrderRepository.toApi(o)));
  }

  /** CANCELLED, and every unit not yet returned goes back to stock as a RETURN movement. */
  public Future<Reply> cancel(BusRequest request) {
    String orderId = request.pathParam("orderId");
    return underOrderLocks(request, (unit, locked) -> {
      JsonObject order = locked.order();
      requirePlaced(order, "only PLACED orders can be cancelled");
      JsonArray lines = order.getJsonArray("lines").copy();
      Map<String, Long> giveBack = new TreeMap<>();
      for (Object o : lines) {
        JsonObject line = (JsonObject) o;
        long remaining = line.getLong("quantity") - line.getLong("returned");
        if (remaining > 0) giveBack.put(line.getString("variantId"), remaining);
        line.put("returned", line.getLong("quantity"));
      }
      JsonObject changes = new JsonObject().put("status", OrderStatus.CANCELLED.name()).put("lines", lines).put("cancelledAt", Mongo.now());
      return casOrder(unit, order, changes)
        .compose(after -> restock(unit, request, locked, giveBack, SourceKind.ORDER_CANCELLATION.source(orderId),
            "cancel:" + orderId, "order cancelled")
          .map(movements -> new Work.Done(Reply.ok(OrderRepository.toApi(after)),
            () -> StockEvents.publish(vertx, order.getString("tenantId"), StockEvents.Type.ORDER_CANCELLED, orderId, movements))));
    });
  }

  /** Partial returns: never more than sold minus already returned, per line. */
  public Future<Reply> returnItems(BusRequest request) {
    String orderId = request.pathParam("orderId");
    Map<String, Long> items = mergeLines(request.body().getJsonArray("items"));
    return underOrderLocks(request, (unit, locked) -> {
      JsonObject order = locked.order();
      requirePlaced(order, "nothing left to return");
      JsonArray lines = order.getJsonArray("lines").copy();
      JsonArray problems = new JsonArray();
      for (Map.Entry<String, Long> item : items.entrySet()) {
        JsonObject line = VariantLines.find(lines, item.getKey());
        long returnable = line == null ? 0 : line.getLong("quantity") - line.getLong("returned");
        if (item.getValue() > returnable) {
          problems.add(new JsonObject().put("variantId", item.getKey()).put("sku", line == null ? null : line.getString("sku"))
            .put("returnable", returnable).put("requested", item.getValue()));
        } else {
          line.put("returned", line.getLong("returned") + item.getValue());
        }
      }
      if (!problems.isEmpty()) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT,
          "Cannot return more than was sold and not yet returned", new JsonObject().put("lines", problems)));
      }
      boolean allReturned = lines.stream().allMatch(o -> ((JsonObject) o).getLong("returned").equals(((JsonObject) o).getLong("quantity")));
      String returnId = Mongo.newId();
      JsonObject record = new JsonObject().put("id", returnId).put("items", toItems(items))
        .put("reason", request.body().getString("reason")).put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
      JsonObject changes = new JsonObject().put("lines", lines).put("status", (allReturned ? OrderStatus.RETURNED : OrderStatus.PLACED).name())
        .put("returns", order.getJsonArray("returns", new JsonArray()).copy().add(record));
      return casOrder(unit, order, changes)
        .compose(after -> restock(unit, request, locked, items, SourceKind.ORDER_RETURN.source(returnId)
            .put("orderId", orderId), "return:" + returnId, request.body().getString("reason"))
          .map(movements -> new Work.Done(Reply.created(new JsonObject()
              .put("return", Mongo.toApi(record.copy().put("_id", returnId))).put("order", OrderRepository.toApi(after))),
            () -> StockEvents.publish(vertx, order.getString("tenantId"), StockEvents.Type.RETURNED, returnId, movements))));
    });
  }

  private Future<Reply> underOrderLocks(BusRequest request,
                                        java.util.function.BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = request.tenantId();
    String orderId = request.pathParam("orderId");
    return orders.get(tenantId, orderId).compose(exists -> kernel.run(Work.<Locked>of(request)
      .locking(List.of(LockKeys.order(tenantId, orderId)))
      .reading(() -> orders.get(tenantId, orderId).compose(order -> variants.getAll(tenantId, lineVariantIds(order))
        .map(found -> new Locked(order, found))))
      .thenLocking(Locked::variantKeys)
      .writing(write)));
  }

  private Future<Work.Done> placeUnit(Unit unit, BusRequest request, Map<String, JsonObject> found, Map<String, Long> wanted,
                                      String currency, String day) {
    requireStock(found, wanted);
    String tenantId = request.tenantId();
    String orderId = Mongo.newId();
    JsonArray lines = new JsonArray();
    BigInteger total = BigInteger.ZERO;
    for (Map.Entry<String, Long> line : wanted.entrySet()) {
      JsonObject variant = found.get(line.getKey());
      long quantity = line.getValue();
      long unitPrice = variant.getLong("price");
      BigInteger lineTotal = Amounts.times(unitPrice, quantity);
      total = total.add(lineTotal);
      lines.add(new JsonObject().put("variantId", line.getKey()).put("sku", variant.getString("sku")).put("quantity", quantity)
        .put("unitPrice", unitPrice).put("lineTotal", Amounts.stored(lineTotal)).put("returned", 0L));
    }
    JsonObject order = new JsonObject()
      .put("_id", orderId).put("tenantId", tenantId).put("status", OrderStatus.PLACED.name()).put("lines", lines)
      .put("total", Amounts.stored(total)).put("currency", currency)
      .put("customer", request.body().getJsonObject("customer")).put("note", request.body().getString("note"))
      .put("returns", new JsonArray()).put("version", 0L)
      .put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
    return Steps.map(wanted.entrySet(), line -> {
        JsonObject variant = found.get(line.getKey());
        long quantity = line.getValue();
        StockChange sale = StockChange.of(tenantId, variant, MovementType.SALE, -quantity,
            SourceKind.ORDER.source(orderId), "order:" + orderId + ":" + line.getKey(),
            request.caller().userId(), "order", day)
          .sold(quantity, Amounts.times(variant.getLong("price"), quantity));
        return ledger.apply(unit, variant, sale).map(StockLedger.Applied::movement);
      })
      .compose(movements -> unit.insert(OrderRepository.COLLECTION, order).map(v -> new Work.Done(
        Reply.created(OrderRepository.toApi(order)),
        () -> StockEvents.publish(vertx, tenantId, StockEvents.Type.ORDER_PLACED, orderId, movements))));
  }

  /** Compare-and-set on the order's version and status: a concurrent change (even with a lost lock) makes this a 409. */
  private static Future<JsonObject> casOrder(Unit unit, JsonObject order, JsonObject changes) {
    return unit.compareAndSet(OrderRepository.COLLECTION, order, new JsonObject().put("status", order.getString("status")),
        changes.copy().put("updatedAt", Mongo.now()), null)
      .compose(after -> after == null
        ? ServiceError.fail(ErrorCode.CONFLICT, "The order changed concurrently; nothing was changed, retry")
        : Future.succeededFuture(after));
  }

  /** Units back from the customer: RETURN movements, and the sales they undo leave the top-seller counts. */
  private Future<List<JsonObject>> restock(Unit unit, BusRequest request, Locked locked, Map<String, Long> quantities,
                                           JsonObject source, String sourceKeyPrefix, String reason) {
    String tenantId = request.tenantId();
    return tenants.today(tenantId).compose(day -> Steps.map(quantities.entrySet(), item -> {
      JsonObject line = VariantLines.find(locked.order().getJsonArray("lines"), item.getKey());
      long quantity = item.getValue();
      StockChange back = StockChange.of(tenantId, locked.variants().get(item.getKey()), MovementType.RETURN, quantity,
          source, sourceKeyPrefix + ":" + item.getKey(), request.caller().userId(), reason, day)
        .sold(-quantity, Amounts.times(line.getLong("unitPrice"), quantity).negate());
      return ledger.apply(unit, locked.variants().get(item.getKey()), back).map(StockLedger.Applied::movement);
    }));
  }

  private static void requirePlaced(JsonObject order, String why) {
    if (OrderStatus.of(order.getString("status")) != OrderStatus.PLACED) {
      throw new ServiceError(ErrorCode.CONFLICT, "Order is " + order.getString("status") + "; " + why,
        new JsonObject().put("currentStatus", order.getString("status")));
    }
  }

  private static List<String> lineVariantIds(JsonObject order) {
    return order.getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("variantId")).toList();
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
