package io.stockroom.order;

import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.eventloop.SharedCalls;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Group commit of single-line orders, per variant, on {@link SharedCalls}: while a batch of a variant's orders is
 * being placed, the orders arriving meanwhile wait and are placed together as the next batch. An idle variant's order
 * is placed at once, as a batch of one. A variant's waiting line is bounded like its lock's: an order finding it full
 * is refused at once (503 with Retry-After) rather than placed alone, which would only wait again at the variant's
 * lock. The variant's next batch goes out once every order of the current one has its answer.
 */
final class OrderBatches {
  static final int MAX_BATCH = 64;

  private final StockKernel kernel;
  private final Variants variants;
  private final Locations locations;
  private final Sales sales;
  private final Function<NewOrder, Future<Reply>> alone;
  private final SharedCalls<NewOrder, Reply> batches;

  /**
   * Create it on the verticle's context, where its orders arrive: its variants' lines are confined to that context.
   *
   * @param alone places one order in a unit of its own
   */
  OrderBatches(StockKernel kernel, LockManager locks, Variants variants, Locations locations, Sales sales,
               Function<NewOrder, Future<Reply>> alone) {
    this.kernel = kernel;
    this.variants = variants;
    this.locations = locations;
    this.sales = sales;
    this.alone = alone;
    // placeTogether never fails as a whole: it has an answer (maybe still to come) for each of its orders
    this.batches = new SharedCalls<>(locks.maxWaiters(), MAX_BATCH, this::placeTogether,
      (order, err) -> Future.failedFuture(err), err -> false, order -> Future.failedFuture(locks.lineFull()));
  }

  /** Places a single-line order with its variant's batch; a 503 when the variant's line is full. */
  Future<Reply> place(NewOrder order) {
    return batches.submit(Variants.LOCK.key(order.tenantId(), order.lines().get(0).variantId()), order);
  }

  /**
   * The batch's orders (all of one variant) under one lock and in one unit of work, each still with its own order,
   * movements, events and Idempotency-Key record. Each is decided on the variant as the orders before it left it, so
   * exactly as many succeed as there are units; one refused for short stock writes nothing and fails alone. Any other
   * failure undoes the whole unit, and the orders are then placed one by one, unless the variant could not be locked
   * (each gets that 503) or the outcome is unknown. Always succeeds, with an answer for each order (those placed alone
   * after a failed unit come as each is placed).
   */
  private Future<List<Future<Reply>>> placeTogether(List<NewOrder> batch) {
    if (batch.size() == 1) return Future.succeededFuture(List.of(alone.apply(batch.get(0))));
    NewOrder first = batch.get(0);
    String tenantId = first.tenantId();
    String variantId = first.lines().get(0).variantId();
    Map<NewOrder, Reply> placed = new IdentityHashMap<>();
    Map<NewOrder, Throwable> refused = new IdentityHashMap<>();
    List<Runnable> afterCommit = new ArrayList<>();
    Future<Reply> together = kernel.run(Work.<Map<String, JsonObject>>together(first.by())
      .locking(List.of(Variants.LOCK.key(tenantId, variantId)))
      .readingWithin(deadline -> variants.getAll(tenantId, Set.of(variantId), deadline))
      .writing((unit, read) -> {
        Map<String, JsonObject> latest = new HashMap<>(read);
        placed.clear();
        refused.clear();
        afterCommit.clear();
        return Allocation.over(locations, tenantId, first.rule(), latest.values())
          .compose(allocation -> Steps.each(batch, order -> {
            List<Allocation.Part> parts;
            try {
              parts = allocation.next().takeAll(latest, order.lines(), PlaceOrders.SHORT_STOCK);
            } catch (ServiceError shortage) {
              refused.put(order, shortage);
              return Future.succeededFuture();
            }
            return sales.sellAndRecord(unit, order, latest, parts)
              .compose(done -> IdempotencyStore.completeInUnit(unit, order.by().claim(), done.reply()).map(done))
              .onSuccess(done -> {
                placed.put(order, done.reply());
                afterCommit.add(done.afterCommit());
              });
          }))
          .map(v -> new Work.Done(null, () -> afterCommit.forEach(Runnable::run)));
      }));
    return together.transform(done -> {
      if (done.failed() && (mayHaveCommitted(done.cause()) || LockManager.isRefusal(done.cause()))) {
        return Future.succeededFuture(batch.stream().map(order -> Future.<Reply>failedFuture(done.cause())).toList());
      }
      if (done.failed()) return placeEachAlone(batch);
      OrderMeters.batch(batch.size());
      return Future.succeededFuture(batch.stream()
        .map(order -> placed.containsKey(order) ? Future.succeededFuture(placed.get(order)) : Future.<Reply>failedFuture(refused.get(order)))
        .toList());
    });
  }

  /**
   * Each order in a unit of its own, one after the other, each answered once it is placed; the variant's next batch
   * waits until the last is.
   */
  private Future<List<Future<Reply>>> placeEachAlone(List<NewOrder> batch) {
    List<Promise<Reply>> answers = batch.stream().map(order -> Promise.<Reply>promise()).toList();
    Steps.each(IntStream.range(0, batch.size()).boxed().toList(),
      i -> alone.apply(batch.get(i)).onComplete(answers.get(i)).otherwiseEmpty());
    return Future.succeededFuture(answers.stream().map(Promise::future).toList());
  }

  /** Whether a failed unit may have left writes behind (unknown commit, unfinished rollback): then nothing is retried. */
  private static boolean mayHaveCommitted(Throwable err) {
    return err instanceof ServiceError se && (se.code() == ErrorCode.OUTCOME_UNKNOWN || se.code() == ErrorCode.INTERNAL);
  }
}

