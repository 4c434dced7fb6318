package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Ops;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping a compensating unit leaves once it committed, done for many units at once: the undo markers of its
 * shared-document writes leave those documents (one bulk per collection, one statement per document for every unit of
 * the batch), then the units' journal entries go (one command). Nothing here changes data: a committed unit is never undone, so until its
 * settlement is flushed its markers and entry are only dead weight, and if this instance dies first, recovery
 * settles the entry once its lease expired. Runs on the runner's event loop; at most one flush is in flight.
 */
final class Settlements {
  private static final Logger LOG = LoggerFactory.getLogger(Settlements.class);
  static final int BATCH = 64;
  /** Past this many waiting units, a committing unit waits for its settlement (back-pressure on a slow database). */
  static final int MAX_WAITING = 1024;
  private static final long FLUSH_DELAY_MS = 2;

  private record Settlement(String unitId, List<UndoStep> shared, Promise<Void> done) {
  }

  private final Vertx vertx;
  private final MongoClient mongo;
  private final UnitJournal journal;
  private final List<Settlement> waiting = new ArrayList<>();
  private boolean flushing;
  private boolean scheduled;

  Settlements(Vertx vertx, MongoClient mongo, UnitJournal journal) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.journal = journal;
  }

  /**
   * Queues a committed unit's settlement. The future completes when it is flushed; callers need not wait for it
   * unless it is the only way to slow down (it is returned already completed while the queue is short).
   */
  Future<Void> settle(String unitId, List<UndoStep> shared) {
    Settlement settlement = new Settlement(unitId, List.copyOf(shared), Promise.promise());
    waiting.add(settlement);
    if (waiting.size() >= BATCH) flush();
    else if (!scheduled && !flushing) {
      scheduled = true;
      vertx.setTimer(FLUSH_DELAY_MS, t -> {
        scheduled = false;
        flush();
      });
    }
    return waiting.size() > MAX_WAITING ? settlement.done().future() : Future.succeededFuture();
  }

  /** Flushes everything queued; completes when the queue is empty (used on shutdown). */
  Future<Void> drain() {
    if (waiting.isEmpty() && !flushing) return Future.succeededFuture();
    Settlement last = waiting.isEmpty() ? null : waiting.get(waiting.size() - 1);
    flush();
    return last == null ? Future.<Void>future(p -> vertx.setTimer(10, t -> drain().onComplete(p)))
      : last.done().future().compose(v -> drain());
  }

  private void flush() {
    if (flushing || waiting.isEmpty()) return;
    flushing = true;
    List<Settlement> batch = new ArrayList<>(waiting.subList(0, Math.min(BATCH, waiting.size())));
    waiting.subList(0, batch.size()).clear();
    // collection -> document key (_id, tenantId) -> the markers to remove from it
    Map<String, Map<JsonObject, JsonObject>> markers = new LinkedHashMap<>();
    for (Settlement settlement : batch) {
      for (UndoStep step : settlement.shared()) {
        markers.computeIfAbsent(step.collection(), c -> new LinkedHashMap<>())
          .computeIfAbsent(step.filter(), key -> new JsonObject()).put(UndoStep.marker(step.id()), "");
      }
    }
    Steps.each(markers.entrySet(), collection -> mongo.bulkWriteWithOptions(collection.getKey(),
        collection.getValue().entrySet().stream().map(document -> BulkOperation.createUpdate(document.getKey(),
          Ops.unset(document.getValue().fieldNames().toArray(String[]::new)), false, false)).toList(), new BulkWriteOptions().setOrdered(false)))
      .compose(v -> journal.close(batch.stream().map(Settlement::unitId).toList()))
      .onComplete(done -> {
        if (done.failed()) {
          LOG.warn("Settling {} committed unit(s) failed; recovery settles them once their lease expired: {}", batch.size(),
            done.cause().toString());
        }
        batch.forEach(settlement -> settlement.done().tryComplete());
        flushing = false;
        if (!waiting.isEmpty()) flush();
      });
  }
}
