package io.stockroom.order;

import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Group commit of single-line orders, per variant: while a batch of a variant's orders is being placed, the orders
 * arriving meanwhile wait and are placed together as the next batch. An idle variant's order is placed at once, as a
 * batch of one.
 */
final class OrderBatches {
  static final int MAX_BATCH = 64;

  private final Vertx vertx;
  private final StockKernel kernel;
  private final LockManager locks;
  private final Variants variants;
  private final Locations locations;
  private final Sales sales;
  private final Function<NewOrder, Future<Reply>> alone;
  /** Orders waiting for their variant's batch, by variant lock key; a key is present while a batch of it runs. */
  private final Map<String, ArrayDeque<Queued>> queued = new HashMap<>();

  /** @param alone places one order in a unit of its own */
  OrderBatches(Vertx vertx, StockKernel kernel, LockManager locks, Variants variants, Locations locations, Sales sales,
               Function<NewOrder, Future<Reply>> alone) {
    this.vertx = vertx;
    this.kernel = kernel;
    this.locks = locks;
    this.variants = variants;
    this.locations = locations;
    this.sales = sales;
    this.alone = alone;
  }

  /** An order waiting in its variant's queue. */
  private record Queued(NewOrder order, Promise<Reply> reply) {
  }

  /** Places a single-line order with its variant's batch; a 503 when the variant's queue is full. */
  Future<Reply> place(NewOrder order) {
    String key = Variants.LOCK.key(order.tenantId(), order.lines().get(0).variantId());
    Queued waiting = new Queued(order, Promise.promise());
    ArrayDeque<Queued> queue = queued.get(key);
    if (queue != null) {
      if (queue.size() >= locks.maxWaiters()) return Future.failedFuture(locks.lineFull());
      queue.add(waiting);
    } else {
      queued.put(key, new ArrayDeque<>());
      placeBatches(key, List.of(waiting));
    }
    return waiting.reply().future();
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
   * The batch's orders (all of one variant) under one lock and in one unit of work, each still with its own order,
   * movements, events and Idempotency-Key record. Each is decided on the variant as the orders before it left it, so
   * exactly as many succeed as there are units; one refused for short stock writes nothing and fails alone. Any other
   * failure undoes the whole unit, and the orders are then placed one by one, unless the variant could not be locked
   * (each gets that 503) or the outcome is unknown. Always succeeds once every order has its answer.
   */
  private Future<Void> placeTogether(List<Queued> batch) {
    if (batch.size() == 1) {
      Queued only = batch.get(0);
      return alone.apply(only.order()).onComplete(only.reply()).<Void>mapEmpty().otherwiseEmpty();
    }
    NewOrder first = batch.get(0).order();
    String tenantId = first.tenantId();
    String variantId = first.lines().get(0).variantId();
    Map<Queued, Reply> placed = new HashMap<>();
    Map<Queued, Throwable> refused = new HashMap<>();
    List<Runnable> afterCommit = new ArrayList<>();
    Future<Reply> together = kernel.run(Work.<Map<String, JsonObject>>together(first.by())
      .locking(List.of(Variants.LOCK.key(tenantId, variantId)))
      .reading(() -> variants.getAll(tenantId, Set.of(variantId)))
      .writing((unit, read) -> {
        Map<String, JsonObject> latest = new HashMap<>(read);
        placed.clear();
        refused.clear();
        afterCommit.clear();
        return Allocation.over(locations, tenantId, first.rule(), latest.values())
          .compose(allocation -> Steps.each(batch, queued -> {
            NewOrder order = queued.order();
            List<Allocation.Part> parts;
            try {
              parts = allocation.next().takeAll(latest, order.lines(), PlaceOrders.SHORT_STOCK);
            } catch (ServiceError shortage) {
              refused.put(queued, shortage);
              return Future.succeededFuture();
            }
            return sales.sellAndRecord(unit, order, latest, parts)
              .compose(done -> IdempotencyStore.completeInUnit(unit, order.by().claim(), done.reply()).map(done))
              .onSuccess(done -> {
                placed.put(queued, done.reply());
                afterCommit.add(done.afterCommit());
              });
          }))
          .map(v -> new Work.Done(null, () -> afterCommit.forEach(Runnable::run)));
      }));
    return together.transform(done -> {
      if (done.failed() && (mayHaveCommitted(done.cause()) || LockManager.isRefusal(done.cause()))) {
        batch.forEach(queued -> queued.reply().fail(done.cause()));
        return Future.succeededFuture();
      }
      if (done.failed()) {
        return Steps.each(batch, queued -> alone.apply(queued.order()).onComplete(queued.reply()).otherwiseEmpty());
      }
      OrderMeters.batch(batch.size());
      for (Queued queued : batch) {
        if (placed.containsKey(queued)) queued.reply().complete(placed.get(queued));
        else queued.reply().fail(refused.get(queued));
      }
      return Future.succeededFuture();
    });
  }

  /** Whether a failed unit may have left writes behind (unknown commit, unfinished rollback): then nothing is retried. */
  private static boolean mayHaveCommitted(Throwable err) {
    return err instanceof ServiceError se && (se.code() == ErrorCode.OUTCOME_UNKNOWN || se.code() == ErrorCode.INTERNAL);
  }
}

