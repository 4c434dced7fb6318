package io.stockroom.platform.idempotency;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoServerException;
import com.mongodb.bulk.BulkWriteError;
import io.stockroom.platform.eventloop.Confinement;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts claim records, sharing commands between concurrent requests: while one insert is out, the claims that
 * arrive wait and then go together in one unordered bulk insert, where each record still succeeds or meets its
 * duplicate on its own. A quiet service sends each claim at once; a busy one sends one command per round trip
 * instead of one per request. State is confined to the context that created it (a service verticle's).
 */
final class ClaimInserts {
  /** Claims waiting for the insert that is out; past this a claim is inserted on its own. */
  static final int MAX_WAITING = 4_096;
  private static final int MAX_BATCH = 256;

  /** What became of one claim's insert. */
  enum Outcome { INSERTED, DUPLICATE }

  private record Pending(JsonObject record, Promise<Outcome> outcome) {
  }

  private final MongoClient mongo;
  private final String collection;
  private final Confinement owner;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private boolean inserting;

  ClaimInserts(MongoClient mongo, String collection) {
    this.mongo = mongo;
    this.collection = collection;
    this.owner = Confinement.toCurrent();
  }

  /** Inserts {@code record}: INSERTED, DUPLICATE when its {@code _id} exists, or the store's failure. */
  Future<Outcome> insert(JsonObject record) {
    if (!owner.isHere() || (inserting && waiting.size() >= MAX_WAITING)) {
      return alone(record);
    }
    Pending pending = new Pending(record, Confinement.promiseForCaller());
    waiting.add(pending);
    if (!inserting) sendWaiting();
    return pending.outcome().future();
  }

  private Future<Outcome> alone(JsonObject record) {
    return mongo.insert(collection, record).map(Outcome.INSERTED)
      .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(Outcome.DUPLICATE) : Future.failedFuture(err));
  }

  private void sendWaiting() {
    if (waiting.isEmpty()) {
      inserting = false;
      return;
    }
    inserting = true;
    List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
    while (!waiting.isEmpty() && batch.size() < MAX_BATCH) batch.add(waiting.poll());
    Future<Void> sent = batch.size() == 1
      ? alone(batch.get(0).record()).map(outcome -> {
          batch.get(0).outcome().complete(outcome);
          return null;
        })
      : mongo.bulkWriteWithOptions(collection, batch.stream().map(p -> BulkOperation.createInsert(p.record())).toList(),
          new BulkWriteOptions().setOrdered(false)).<Void>mapEmpty()
          .andThen(done -> settle(batch, done.cause()));
    sent.onComplete(done -> {
      batch.forEach(p -> p.outcome().tryFail(done.failed() ? done.cause() : new IllegalStateException("claim not settled")));
      if (done.failed() && !(done.cause() instanceof MongoServerException)) {
        // the store did not answer (a server that answers, even with a refusal, throws MongoServerException): the
        // claims that waited behind this insert get the same failure now, rather than a timeout of their own
        waiting.forEach(p -> p.outcome().tryFail(done.cause()));
        waiting.clear();
      }
      owner.later(this::sendWaiting);
    });
  }

  /** Each claim of an unordered bulk: inserted unless the server named its index among the errors. */
  private static void settle(List<Pending> batch, Throwable failure) {
    if (failure == null) {
      batch.forEach(p -> p.outcome().complete(Outcome.INSERTED));
      return;
    }
    if (!(failure instanceof MongoBulkWriteException refused) || refused.getWriteConcernError() != null) {
      batch.forEach(p -> p.outcome().fail(failure));
      return;
    }
    Map<Integer, BulkWriteError> errors = new HashMap<>();
    refused.getWriteErrors().forEach(e -> errors.put(e.getIndex(), e));
    for (int i = 0; i < batch.size(); i++) {
      BulkWriteError error = errors.get(i);
      if (error == null) {
        batch.get(i).outcome().complete(Outcome.INSERTED);
      } else if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY) {
        batch.get(i).outcome().complete(Outcome.DUPLICATE);
      } else {
        batch.get(i).outcome().fail(refused);
      }
    }
  }
}
