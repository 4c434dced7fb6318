package io.stockroom.order;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockState;
import io.stockroom.inventory.VariantLines;
import io.stockroom.inventory.Variants;
import io.stockroom.location.AllocationRules;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.CancelOrder;
import io.stockroom.order.OrderCommands.OrderLine;
import io.stockroom.order.OrderCommands.PlaceOrder;
import io.stockroom.order.OrderCommands.ReturnItems;
import io.stockroom.order.OrderCommands.ReturnedItem;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.StatusChange;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Customer orders. Placing locks the variants named (or the reservation it consumes, then the variants that names);
 * cancelling and returning lock the order, re-read it, then lock the variants it names. Each then runs one unit of
 * work through the stock kernel: the variants' stock changes at their locations, their movements and the order
 * document (and the reservation), all or none. Each order line records where its units came from
 * ({@code allocations: [{locationId, quantity, returned}]}), so cancellations and returns put them back there.
 */
public class OrderService {
  private final Vertx vertx;
  private final OrderRepository orders;
  private final ReservationRepository reservations;
  private final Variants variants;
  private final StockLedger ledger;
  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final Locations locations;
  private final AllocationRules rules;
  /** Orders waiting for their variant's batch, by variant lock key; a key is present while a batch of it runs. */
  private final Map<String, ArrayDeque<Queued>> queued = new HashMap<>();
  static final int MAX_BATCH = 64;
  private static final String SHORT_STOCK = "Insufficient stock for {n} line(s); nothing was changed";
  private final LockManager locks;

  public OrderService(Vertx vertx, StockServiceKit kit) {
    MongoClient mongo = kit.mongo();
    this.vertx = vertx;
    this.orders = new OrderRepository(mongo);
    this.reservations = new ReservationRepository(mongo);
    this.variants = new Variants(mongo);
    this.ledger = new StockLedger(variants);
    this.kernel = kit.kernel();
    this.locks = kit.locks();
    this.tenants = new TenantSettings(mongo);
    this.locations = new Locations(mongo);
    this.rules = AllocationRules.cached(vertx, mongo);
  }

  /** The order (or reservation) and its variants, as read under their locks. */
  record Locked(JsonObject document, Map<String, JsonObject> variants) {
    List<String> variantKeys() {
      return variants.keySet().stream().map(id -> LockKeys.variant(document.getString("tenantId"), id)).toList();
    }
  }

  public Future<Reply> place(PlaceOrder command) {
    String tenantId = command.by().tenantId();
    Future<Reply> placed = Future.all(tenants.currency(tenantId), tenants.today(tenantId), rules.get(tenantId),
        locations.findAll(tenantId, OrderLine.namedLocations(command.lines())))
      .compose(context -> {
        OrderContext ctx = new OrderContext(command, context.resultAt(0), context.resultAt(1), context.resultAt(2));
        return command.reservationId() == null ? placeDirect(ctx) : placeFromReservation(ctx);
      });
    return placed
      .onSuccess(p -> Meters.orderPlaced())
      .onFailure(err -> {
        if (err instanceof ServiceError se && se.extensions().containsKey("shortages")) Meters.orderRefused();
      });
  }

  private record OrderContext(PlaceOrder command, String currency, String day, AllocationRules.Rule rule) {
    String tenantId() {
      return command.by().tenantId();
    }

    List<OrderLine> lines() {
      return command.lines();
    }
  }

  /**
   * An order of one variant joins that variant's queue: while a batch of the variant's orders is being placed, the
   * orders arriving meanwhile wait and are placed together as the next batch (see {@link #placeTogether}). An idle
   * variant's order is placed at once, as a batch of one.
   */
  private Future<Reply> placeDirect(OrderContext ctx) {
    if (!ctx.command().singleLine()) return placeAlone(ctx);
    String key = LockKeys.variant(ctx.tenantId(), ctx.lines().get(0).variantId());
    Queued order = new Queued(ctx, Promise.promise());
    ArrayDeque<Queued> queue = queued.get(key);
    if (queue != null) {
      if (queue.size() >= locks.maxWaiters()) return Future.failedFuture(locks.lineFull());
      queue.add(order);
    } else {
      queued.put(key, new ArrayDeque<>());
      placeBatches(key, List.of(order));
    }
    return order.reply().future();
  }

  /** An order waiting in its variant's queue. */
  private record Queued(OrderContext ctx, Promise<Reply> reply) {
  }

  /** Places one batch, then the orders queued meanwhile, until the variant's queue is empty. */
  private void placeBatches(String key, List<Queued> batch) {
    placeTogether(batch).onComplete(done -> {
      ArrayDeque<Queued> queue = queued.get(key);
      if (queue.isEmpty()) {
        queued.remove(key);
        return;
      }
      List<Queued> next = new ArrayList<>();
      while (!queue.isEmpty() && next.size() < MAX_BATCH) next.add(queue.poll());
      vertx.getOrCreateContext().runOnContext(v -> placeBatches(key, next));
    });
  }

  /**
   * Group commit: the batch's orders (all of one variant) under one lock and in one unit of work, each still with its
   * own order, movements, events and Idempotency-Key record. Each is decided on the variant as the orders before it
   * left it, so exactly as many succeed as there are units; one refused for short stock writes nothing and fails
   * alone. Any other failure undoes the whole unit, and the orders are then placed one by one, unless the variant
   * could not be locked (each gets that 503) or the outcome is unknown. Always succeeds once every order has its answer.
   */
  private Future<Void> placeTogether(List<Queued> batch) {
    if (batch.size() == 1) {
      Queued only = batch.get(0);
      return placeAlone(only.ctx()).onComplete(only.reply()).<Void>mapEmpty().otherwiseEmpty();
    }
    Queued first = batch.get(0);
    String tenantId = first.ctx().tenantId();
    String variantId = first.ctx().lines().get(0).variantId();
    Map<Queued, Reply> placed = new HashMap<>();
    Map<Queued, Throwable> refused = new HashMap<>();
    List<Runnable> afterCommit = new ArrayList<>();
    Future<Reply> together = kernel.run(Work.<Map<String, JsonObject>>together(first.ctx().command().by())
      .locking(List.of(LockKeys.variant(tenantId, variantId)))
      .reading(() -> variants.getAll(tenantId, Set.of(variantId)))
      .writing((unit, read) -> {
        Map<String, JsonObject> latest = new HashMap<>(read);
        placed.clear();
        refused.clear();
        afterCommit.clear();
        return Allocation.over(locations, tenantId, first.ctx().rule(), latest.values())
          .compose(allocation -> Steps.each(batch, order -> {
            List<Allocation.Part> parts;
            try {
              parts = allocation.next().takeAll(latest, order.ctx().lines(), SHORT_STOCK);
            } catch (ServiceError shortage) {
              refused.put(order, shortage);
              return Future.succeededFuture();
            }
            return sellAndRecord(unit, order.ctx(), latest, parts)
              .compose(done -> IdempotencyStore.completeInUnit(unit, order.ctx().command().by().claim(), done.reply()).map(done))
              .onSuccess(done -> {
                placed.put(order, done.reply());
                afterCommit.add(done.afterCommit());
              });
          }))
          .map(v -> new Work.Done(null, () -> afterCommit.forEach(Runnable::run)));
      }));
    return together.transform(done -> {
      if (done.failed() && (mayHaveCommitted(done.cause()) || LockManager.isRefusal(done.cause()))) {
        batch.forEach(order -> order.reply().fail(done.cause()));
        return Future.succeededFuture();
      }
      if (done.failed()) {
        return Steps.each(batch, order -> placeAlone(order.ctx()).onComplete(order.reply()).otherwiseEmpty());
      }
      Meters.orderBatch(batch.size());
      for (Queued order : batch) {
        if (placed.containsKey(order)) order.reply().complete(placed.get(order));
        else order.reply().fail(refused.get(order));
      }
      return Future.succeededFuture();
    });
  }

  /** Whether a failed unit may have left writes behind (unknown commit, unfinished rollback): then nothing is retried. */
  private static boolean mayHaveCommitted(Throwable err) {
    return err instanceof ServiceError se && (se.code() == ErrorCode.OUTCOME_UNKNOWN || se.code() == ErrorCode.INTERNAL);
  }

  private Future<Reply> placeAlone(OrderContext ctx) {
    String tenantId = ctx.tenantId();
    Set<String> ids = OrderLine.variantIds(ctx.lines());
    return kernel.run(Work.<Map<String, JsonObject>>of(ctx.command().by())
      .locking(ids.stream().map(id -> LockKeys.variant(tenantId, id)).toList())
      .reading(() -> variants.getAll(tenantId, ids))
      .writing((unit, found) -> Allocation.over(locations, tenantId, ctx.rule(), found.values())
        .compose(allocation -> sellAndRecord(unit, ctx, new HashMap<>(found), allocation.takeAll(found, ctx.lines(), SHORT_STOCK)))));
  }

  /**
   * A new order taking {@code parts} from available stock: its SALE movements and the order document. {@code latest}
   * is this unit's own copy of the variants read, moved on by each sale (a rerun starts again from the read).
   */
  private Future<Work.Done> sellAndRecord(Unit unit, OrderContext ctx, Map<String, JsonObject> latest, List<Allocation.Part> parts) {
    String orderId = Mongo.newId();
    return sell(unit, ctx, orderId, latest, parts, StockState.AVAILABLE)
      .compose(sold -> insertOrder(unit, ctx, orderId, latest, parts, null, sold));
  }

  /** SALE movements for each part, out of {@code from} (available, or reserved for a reservation's units). */
  private Future<List<JsonObject>> sell(Unit unit, OrderContext ctx, String orderId, Map<String, JsonObject> latest,
                                        List<Allocation.Part> parts, StockState from) {
    String tenantId = ctx.tenantId();
    return Steps.map(parts, part -> {
      JsonObject variant = latest.get(part.variantId());
      StockChange sale = StockChange.of(tenantId, variant, MovementType.SALE, -part.quantity(), SourceKind.ORDER.source(orderId),
          "order:" + orderId + ":" + part.variantId() + ":" + part.locationId(), ctx.command().by().userId(), "order", ctx.day())
        .at(part.locationId()).between(from, null)
        .sold(part.quantity(), Amounts.times(variant.getLong("price"), part.quantity()))
        .partOf(new StockEvents.Key(StockEvents.Type.ORDER_PLACED, orderId));
      return ledger.applyToLatest(unit, latest, sale);
    });
  }

  private Future<Work.Done> insertOrder(Unit unit, OrderContext ctx, String orderId, Map<String, JsonObject> variantsById,
                                        List<Allocation.Part> parts, String reservationId, List<JsonObject> movements) {
    String tenantId = ctx.tenantId();
    Map<String, JsonObject> lines = new TreeMap<>();
    BigInteger total = BigInteger.ZERO;
    for (Allocation.Part part : parts) {
      JsonObject variant = variantsById.get(part.variantId());
      long unitPrice = variant.getLong("price");
      JsonObject line = lines.computeIfAbsent(part.variantId(), id -> new JsonObject().put("variantId", id)
        .put("sku", variant.getString("sku")).put("quantity", 0L).put("unitPrice", unitPrice).put("returned", 0L)
        .put("allocations", new JsonArray()));
      line.put("quantity", line.getLong("quantity") + part.quantity());
      line.getJsonArray("allocations").add(new JsonObject().put("locationId", part.locationId()).put("quantity", part.quantity())
        .put("returned", 0L));
      total = total.add(Amounts.times(unitPrice, part.quantity()));
    }
    JsonArray orderLines = new JsonArray();
    lines.values().forEach(l -> orderLines.add(l.put("lineTotal", Amounts.stored(Amounts.times(l.getLong("unitPrice"), l.getLong("quantity"))))));
    PlaceOrder command = ctx.command();
    JsonObject order = new JsonObject()
      .put("_id", orderId).put("tenantId", tenantId).put("status", OrderStatus.PLACED.name()).put("lines", orderLines)
      .put("total", Amounts.stored(total)).put("currency", ctx.currency())
      .put("customer", command.customer()).put("note", command.note())
      .put("reservationId", reservationId)
      .put("returns", new JsonArray()).put("version", 0L)
      .put("createdBy", command.by().userId()).put("createdAt", Mongo.now());
    return unit.queueInsert(OrderRepository.COLLECTION, order).compose(v -> StockEvents.recorded(unit, vertx,
      Reply.created(OrderRepository.toApi(order)), tenantId, StockEvents.Type.ORDER_PLACED, orderId, movements));
  }

  /**
   * The order takes the reservation's units: each line must fit what the reservation holds of its variant; the held
   * units leave {@code reserved} as sales, any the order does not take go back to {@code available}, and the
   * reservation becomes CONSUMED — once: a second order naming it, or one after it expired, gets a 409.
   */
  private Future<Reply> placeFromReservation(OrderContext ctx) {
    String tenantId = ctx.tenantId();
    String reservationId = ctx.command().reservationId();
    return reservations.get(tenantId, reservationId).compose(exists -> kernel.run(Work.<Locked>of(ctx.command().by())
      .locking(List.of(LockKeys.reservation(tenantId, reservationId)))
      .reading(() -> reservations.get(tenantId, reservationId).compose(reservation -> {
        Set<String> ids = new TreeSet<>(ReservationRepository.variantIds(reservation));
        ids.addAll(OrderLine.variantIds(ctx.lines()));
        return variants.getAll(tenantId, ids).map(found -> new Locked(reservation, found));
      }))
      .thenLocking(Locked::variantKeys)
      .writing((unit, locked) -> {
        JsonObject reservation = locked.document();
        ReservationRepository.requireActive(reservation);
        Map<String, Long> ordered = OrderLine.unitsByVariant(ctx.lines());
        requireFits(reservation, ordered, locked.variants());
        List<Allocation.Part> sold = new ArrayList<>();
        List<Allocation.Part> released = new ArrayList<>();
        for (Object o : reservation.getJsonArray("lines")) {
          JsonObject line = (JsonObject) o;
          long left = ordered.getOrDefault(line.getString("variantId"), 0L);
          for (Object a : line.getJsonArray("allocations")) {
            JsonObject held = (JsonObject) a;
            long take = Math.min(left, held.getLong("quantity"));
            left -= take;
            if (take > 0) sold.add(new Allocation.Part(line.getString("variantId"), held.getString("locationId"), take));
            long rest = held.getLong("quantity") - take;
            if (rest > 0) released.add(new Allocation.Part(line.getString("variantId"), held.getString("locationId"), rest));
          }
        }
        String orderId = Mongo.newId();
        Map<String, JsonObject> latest = new HashMap<>(locked.variants());
        Map<String, JsonObject> priced = new HashMap<>(locked.variants());
        return sell(unit, ctx, orderId, latest, sold, StockState.RESERVED)
          .compose(sales -> Holds.release(unit, ledger, latest, released, tenantId, "consume:" + reservationId,
              SourceKind.RESERVATION.source(reservationId).put("orderId", orderId), ctx.command().by().userId(),
              "reservation consumed by order " + orderId, ctx.day(), new StockEvents.Key(StockEvents.Type.ORDER_PLACED, orderId))
            .compose(releases -> reservations.settle(unit, reservation, ReservationStatus.CONSUMED, new JsonObject().put("orderId", orderId))
              .compose(after -> insertOrder(unit, ctx, orderId, priced, sold, reservationId, concat(sales, releases)))));
      })));
  }

  private static void requireFits(JsonObject reservation, Map<String, Long> ordered, Map<String, JsonObject> variants) {
    JsonArray beyond = new JsonArray();
    ordered.forEach((variantId, quantity) -> {
      JsonObject line = VariantLines.find(reservation.getJsonArray("lines"), variantId);
      long held = line == null ? 0 : line.getLong("quantity");
      if (quantity > held) {
        beyond.add(new JsonObject().put("variantId", variantId).put("sku", variants.get(variantId).getString("sku"))
          .put("requested", quantity).put("reserved", held));
      }
    });
    if (!beyond.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "The order asks for more than the reservation holds; nothing was changed",
        new JsonObject().put("lines", beyond));
    }
  }

  /** One page of the tenant's orders the query's filters let through. */
  public Future<JsonObject> list(String tenantId, JsonObject query) {
    return orders.search(tenantId, query, Page.from(query));
  }

  /** The order as the API shows it. */
  public Future<JsonObject> get(String tenantId, String orderId) {
    return orders.get(tenantId, orderId).map(OrderRepository::toApi);
  }

  /** CANCELLED, and every unit not yet returned goes back to the location it left as a RETURN movement. */
  public Future<Reply> cancel(CancelOrder command) {
    String orderId = command.orderId();
    return underOrderLocks(command.by(), orderId, (unit, locked) -> {
      JsonObject order = locked.document();
      requirePlaced(order, "only PLACED orders can be cancelled");
      JsonArray lines = order.getJsonArray("lines").copy();
      List<Back> back = new ArrayList<>();
      for (Object o : lines) {
        JsonObject line = (JsonObject) o;
        JsonArray allocations = allocations(order, line);
        for (Object a : allocations) {
          JsonObject part = (JsonObject) a;
          long remaining = part.getLong("quantity") - part.getLong("returned");
          if (remaining > 0) back.add(new Back(line, part.getString("locationId"), remaining, StockState.AVAILABLE));
          part.put("returned", part.getLong("quantity"));
        }
        line.put("allocations", allocations).put("returned", line.getLong("quantity"));
      }
      JsonObject changes = new JsonObject().put("status", OrderStatus.CANCELLED.name()).put("lines", lines).put("cancelledAt", Mongo.now());
      return casOrder(unit, order, changes)
        .compose(after -> restock(unit, command.by(), locked, back, SourceKind.ORDER_CANCELLATION.source(orderId),
            "cancel:" + orderId, "order cancelled", new StockEvents.Key(StockEvents.Type.ORDER_CANCELLED, orderId))
          .compose(movements -> StockEvents.recorded(unit, vertx, Reply.ok(OrderRepository.toApi(after)), order.getString("tenantId"),
            StockEvents.Type.ORDER_CANCELLED, orderId, movements)));
    });
  }

  /** Units going back to stock: from which order line, to which location and state. */
  private record Back(JsonObject line, String locationId, long quantity, StockState to) {
  }

  /**
   * Partial returns: never more than sold minus already returned, per line. Units go back to the locations they
   * left (the most recently allocated first) or to the location an item names, into {@code available} or, with
   * {@code damaged: true}, into {@code damaged}.
   */
  public Future<Reply> returnItems(ReturnItems command) {
    String orderId = command.orderId();
    return locations.findAll(command.by().tenantId(), command.namedLocations()).compose(found -> underOrderLocks(command.by(), orderId, (unit, locked) -> {
      JsonObject order = locked.document();
      requirePlaced(order, "nothing left to return");
      JsonArray lines = order.getJsonArray("lines").copy();
      Map<String, Long> requested = command.unitsByVariant();
      JsonArray problems = new JsonArray();
      requested.forEach((variantId, quantity) -> {
        JsonObject line = VariantLines.find(lines, variantId);
        long returnable = line == null ? 0 : line.getLong("quantity") - line.getLong("returned");
        if (quantity > returnable) {
          problems.add(new JsonObject().put("variantId", variantId).put("sku", line == null ? null : line.getString("sku"))
            .put("returnable", returnable).put("requested", quantity));
        }
      });
      if (!problems.isEmpty()) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT,
          "Cannot return more than was sold and not yet returned", new JsonObject().put("lines", problems)));
      }
      List<Back> back = new ArrayList<>();
      for (ReturnedItem item : command.items()) {
        JsonObject line = VariantLines.find(lines, item.variantId());
        JsonArray allocations = allocations(order, line);
        long left = item.quantity();
        StockState to = item.to();
        for (int i = allocations.size() - 1; i >= 0 && left > 0; i--) {
          JsonObject part = allocations.getJsonObject(i);
          long take = Math.min(left, part.getLong("quantity") - part.getLong("returned"));
          if (take <= 0) continue;
          part.put("returned", part.getLong("returned") + take);
          left -= take;
          back.add(new Back(line, item.locationId() != null ? item.locationId() : part.getString("locationId"), take, to));
        }
        line.put("allocations", allocations).put("returned", line.getLong("returned") + item.quantity());
      }
      boolean allReturned = lines.stream().allMatch(o -> ((JsonObject) o).getLong("returned").equals(((JsonObject) o).getLong("quantity")));
      String returnId = Mongo.newId();
      JsonObject record = new JsonObject().put("id", returnId).put("items", command.itemsJson())
        .put("reason", command.reason()).put("createdBy", command.by().userId()).put("createdAt", Mongo.now());
      JsonObject changes = new JsonObject().put("lines", lines).put("status", (allReturned ? OrderStatus.RETURNED : OrderStatus.PLACED).name())
        .put("returns", order.getJsonArray("returns", new JsonArray()).copy().add(record));
      return casOrder(unit, order, changes)
        .compose(after -> restock(unit, command.by(), locked, back, SourceKind.ORDER_RETURN.source(returnId)
            .put("orderId", orderId), "return:" + returnId, command.reason(),
            new StockEvents.Key(StockEvents.Type.RETURNED, returnId))
          .compose(movements -> StockEvents.recorded(unit, vertx, Reply.created(new JsonObject()
              .put("return", Mongo.toApi(record.copy().put("_id", returnId))).put("order", OrderRepository.toApi(after))),
            order.getString("tenantId"), StockEvents.Type.RETURNED, returnId, movements)));
    }));
  }

  /** The line's allocations (a copy); orders from before locations existed took everything at the default location. */
  private static JsonArray allocations(JsonObject order, JsonObject line) {
    JsonArray stored = line.getJsonArray("allocations");
    if (stored != null) return stored.copy();
    return new JsonArray().add(new JsonObject().put("locationId", Locations.defaultId(order.getString("tenantId")))
      .put("quantity", line.getLong("quantity")).put("returned", line.getLong("returned")));
  }

  private Future<Reply> underOrderLocks(Invocation by, String orderId,
                                        java.util.function.BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = by.tenantId();
    return orders.get(tenantId, orderId).compose(exists -> kernel.run(Work.<Locked>of(by)
      .locking(List.of(LockKeys.order(tenantId, orderId)))
      .reading(() -> orders.get(tenantId, orderId).compose(order -> variants.getAll(tenantId, lineVariantIds(order))
        .map(found -> new Locked(order, found))))
      .thenLocking(Locked::variantKeys)
      .writing(write)));
  }

  private static Future<JsonObject> casOrder(Unit unit, JsonObject order, JsonObject changes) {
    return StatusChange.apply(unit, OrderRepository.COLLECTION, order, changes, "order");
  }

  /**
   * Units back from the customer: RETURN movements (one per line, location and state), and the sales they undo leave
   * the top-seller counts.
   */
  private Future<List<JsonObject>> restock(Unit unit, Invocation by, Locked locked, List<Back> back,
                                           JsonObject source, String sourceKeyPrefix, String reason, StockEvents.Key event) {
    String tenantId = by.tenantId();
    Map<String, Back> merged = new TreeMap<>();
    for (Back b : back) {
      String key = b.line().getString("variantId") + ":" + b.locationId() + (b.to() == StockState.AVAILABLE ? "" : ":" + b.to().field());
      merged.merge(key, b, (x, y) -> new Back(x.line(), x.locationId(), x.quantity() + y.quantity(), x.to()));
    }
    Map<String, JsonObject> latest = new HashMap<>(locked.variants());
    return tenants.today(tenantId).compose(day -> Steps.map(merged.entrySet(), entry -> {
      Back b = entry.getValue();
      String variantId = b.line().getString("variantId");
      StockChange change = StockChange.of(tenantId, latest.get(variantId), MovementType.RETURN, b.quantity(),
          source, sourceKeyPrefix + ":" + entry.getKey(), by.userId(), reason, day)
        .at(b.locationId()).between(null, b.to())
        .sold(-b.quantity(), Amounts.times(b.line().getLong("unitPrice"), b.quantity()).negate())
        .partOf(event);
      return ledger.applyToLatest(unit, latest, change);
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

  private static List<JsonObject> concat(List<JsonObject> a, List<JsonObject> b) {
    List<JsonObject> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
