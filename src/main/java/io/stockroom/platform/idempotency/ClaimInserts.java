package io.stockroom.platform.idempotency;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoServerException;
import com.mongodb.bulk.BulkWriteError;
import io.stockroom.platform.eventloop.SharedCalls;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
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

  private final MongoClient mongo;
  private final String collection;
  // A server that answers, even with a refusal, throws MongoServerException; anything else means it did not answer,
  // and the claims waiting behind that insert fail with it at once.
  private final SharedCalls<JsonObject, Outcome> calls = new SharedCalls<>(MAX_WAITING, MAX_BATCH, this::insertAll,
    (record, err) -> Future.failedFuture(err), err -> !(err instanceof MongoServerException));

  /** Create it on the context that will call {@link #insert}: its shared inserts are confined to that context. */
  ClaimInserts(MongoClient mongo, String collection) {
    this.mongo = mongo;
    this.collection = collection;
  }

  /** Inserts {@code record}: INSERTED, DUPLICATE when its {@code _id} exists, or the store's failure. */
  Future<Outcome> insert(JsonObject record) {
    return calls.submit(collection, record);
  }

  private Future<List<Future<Outcome>>> insertAll(List<JsonObject> records) {
    if (records.size() == 1) {
      return mongo.insert(collection, records.get(0)).map(Outcome.INSERTED)
        .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(Outcome.DUPLICATE) : Future.failedFuture(err))
        .map(outcome -> List.of(Future.succeededFuture(outcome)));
    }
    return mongo.bulkWriteWithOptions(collection, records.stream().map(BulkOperation::createInsert).toList(),
        new BulkWriteOptions().setOrdered(false))
      .transform(done -> settle(records.size(), done.cause()));
  }

  /** Each claim of an unordered bulk: inserted unless the server named its index among the errors. */
  private static Future<List<Future<Outcome>>> settle(int claims, Throwable failure) {
    if (failure == null) return Future.succeededFuture(Collections.nCopies(claims, Future.succeededFuture(Outcome.INSERTED)));
    if (!(failure instanceof MongoBulkWriteException refused) || refused.getWriteConcernError() != null) {
      return Future.failedFuture(failure);
    }
    Map<Integer, BulkWriteError> errors = new HashMap<>();
    refused.getWriteErrors().forEach(e -> errors.put(e.getIndex(), e));
    List<Future<Outcome>> outcomes = new ArrayList<>(claims);
    for (int i = 0; i < claims; i++) {
      BulkWriteError error = errors.get(i);
      if (error == null) {
        outcomes.add(Future.succeededFuture(Outcome.INSERTED));
      } else if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY) {
        outcomes.add(Future.succeededFuture(Outcome.DUPLICATE));
      } else {
        outcomes.add(Future.failedFuture(refused));
      }
    }
    return Future.succeededFuture(outcomes);
  }
}
