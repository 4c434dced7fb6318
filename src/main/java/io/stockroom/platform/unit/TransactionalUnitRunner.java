package io.stockroom.platform.unit;

import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.mongo.Mongo;

import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.ClientSession;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * For replica sets and sharded clusters: each unit is one multi-document transaction through the MongoDB
 * reactive-streams driver (vertx-mongo-client has no session API), with snapshot read concern and majority write
 * concern. The whole transaction is retried with jittered backoff on {@code TransientTransactionError} (write
 * conflicts included) and the commit on {@code UnknownTransactionCommitResult}, each a bounded number of times; a
 * commit that cannot be confirmed is reported as an unknown outcome, never as "nothing changed". Steps of one
 * transaction run one after another, never
 * concurrent (a ClientSession is not thread-safe), and every callback is brought back onto the caller's context.
 */
public final class TransactionalUnitRunner implements UnitRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalUnitRunner.class);
  /** Units of one tenant all touch its dashboard totals, so write conflicts are expected under load: retry with backoff. */
  private static final int MAX_ATTEMPTS = 8;
  private static final int MAX_COMMIT_ATTEMPTS = 3;
  private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
  private static final TransactionOptions OPTIONS = TransactionOptions.builder()
    .readConcern(ReadConcern.SNAPSHOT)
    .writeConcern(WriteConcern.MAJORITY)
    .readPreference(ReadPreference.primary())
    .build();

  private final Vertx vertx;
  private final MongoClient client;
  private final MongoDatabase database;
  private final Failpoints failpoints;

  public TransactionalUnitRunner(Vertx vertx, String uri, String databaseName, int timeoutMs, Failpoints failpoints) {
    this.vertx = vertx;
    this.client = MongoClients.create(com.mongodb.MongoClientSettings.builder()
      .applyConnectionString(new com.mongodb.ConnectionString(uri))
      .applyToSocketSettings(socket -> socket.readTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .connectTimeout(Math.min(timeoutMs, 5_000), TimeUnit.MILLISECONDS))
      .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(Math.min(timeoutMs, 5_000), TimeUnit.MILLISECONDS))
      .applyToConnectionPoolSettings(pool -> pool.maxWaitTime(timeoutMs, TimeUnit.MILLISECONDS))
      .build());
    this.database = client.getDatabase(databaseName);
    this.failpoints = failpoints;
  }


  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      client.close();
      return null;
    });
  }

  @Override
  public <T> Future<T> run(UnitSpec spec, Function<Unit, Future<T>> work) {
    return attempt(spec.name(), spec.tenantId(), work, 1);
  }

  private <T> Future<T> attempt(String name, String tenantId, Function<Unit, Future<T>> work, int attempt) {
    Context context = vertx.getOrCreateContext();
    Boolean unknownOutcome = failpoints.takeUnknownOutcome(name, tenantId);
    return single(context, client.startSession()).compose(session -> {
      session.startTransaction(OPTIONS);
      TransactionUnit unit = new TransactionUnit(context, session, name, tenantId);
      Future<T> result;
      try {
        result = work.apply(unit);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result
        .recover(err -> abort(context, session).transform(ignored -> Future.<T>failedFuture(err)))
        .compose(value -> commit(context, session, 1, unknownOutcome).map(value))
        .eventually(() -> {
          session.close();
          return Future.succeededFuture();
        });
    }).recover(err -> {
      if (err instanceof CommitUnknown unknown) return Future.failedFuture(Outcomes.unknown(name, unknown.getCause()));
      if (hasLabel(err, MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL) && attempt < MAX_ATTEMPTS) {
        LOG.debug("Unit {} hit a transient transaction error, retrying (attempt {})", name, attempt + 1);
        Meters.unitRetried();
        Promise<T> retried = Promise.promise();
        long backoffMs = 2L * attempt + ThreadLocalRandom.current().nextLong(5L * attempt);
        vertx.setTimer(Math.max(1, backoffMs), id -> attempt(name, tenantId, work, attempt + 1).onComplete(retried));
        return retried.future();
      }
      return Future.failedFuture(Outcomes.rolledBack(name, err));
    });
  }

  /**
   * Commits; an {@code UnknownTransactionCommitResult} is retried up to {@link #MAX_COMMIT_ATTEMPTS} times. A commit
   * that still fails, or fails without a label that proves it did not apply, has an unknown outcome.
   */
  private Future<Void> commit(Context context, ClientSession session, int attempt, Boolean injectedUnknown) {
    if (injectedUnknown != null) {
      Future<Void> applied = injectedUnknown ? single(context, session.commitTransaction()).mapEmpty() : abort(context, session);
      return applied.compose(v -> Future.failedFuture(new CommitUnknown(new Failpoints.InjectedFailure("lost ack"))));
    }
    return single(context, session.commitTransaction()).<Void>mapEmpty().recover(err -> {
      if (hasLabel(err, MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL) && attempt < MAX_COMMIT_ATTEMPTS) {
        return commit(context, session, attempt + 1, null);
      }
      if (hasLabel(err, MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)) return Future.failedFuture(err);
      return Future.failedFuture(new CommitUnknown(err));
    });
  }

  /** A commit whose outcome cannot be known. */
  private static final class CommitUnknown extends RuntimeException {
    CommitUnknown(Throwable cause) {
      super(cause);
    }
  }

  private Future<Void> abort(Context context, ClientSession session) {
    if (!session.hasActiveTransaction()) return Future.succeededFuture();
    return single(context, session.abortTransaction()).<Void>mapEmpty().recover(err -> Future.succeededFuture());
  }

  private static boolean hasLabel(Throwable err, String label) {
    return err instanceof MongoException me && me.hasErrorLabel(label);
  }

  private final class TransactionUnit implements Unit {
    private final String id = io.stockroom.platform.mongo.Mongo.newId();
    private final Context context;
    private final ClientSession session;
    private final String name;
    private final String tenantId;
    private int step;

    TransactionUnit(Context context, ClientSession session, String name, String tenantId) {
      this.context = context;
      this.session = session;
      this.name = name;
      this.tenantId = tenantId;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Future<Void> insert(String collection, JsonObject document) {
      failpoints.check(name, tenantId, step++);
      return single(context, database.getCollection(collection).insertOne(session, bson(document))).mapEmpty();
    }

    @Override
    public Future<JsonObject> compareAndSet(String collection, JsonObject before, JsonObject guard, JsonObject set,
                                            JsonObject unset) {
      failpoints.check(name, tenantId, step++);
      return findOneAndUpdate(collection, CompareAndSet.filter(before, guard), CompareAndSet.update(before, set, unset), AFTER);
    }

    @Override
    public Future<Boolean> delete(String collection, JsonObject before) {
      failpoints.check(name, tenantId, step++);
      return single(context, database.getCollection(collection).deleteOne(session, bson(CompareAndSet.filter(before, null))))
        .map(result -> result != null && result.getDeletedCount() == 1);
    }

    @Override
    public Future<JsonObject> updateShared(String collection, JsonObject filter, JsonObject update, JsonObject undo,
                                           boolean upsert) {
      failpoints.check(name, tenantId, step++);
      return findOneAndUpdate(collection, filter, update, upsert ? SHARED_UPSERT : SHARED);
    }

    private Future<JsonObject> findOneAndUpdate(String collection, JsonObject filter, JsonObject update,
                                                FindOneAndUpdateOptions options) {
      return single(context, database.getCollection(collection).findOneAndUpdate(session, bson(filter), bson(update), options))
        .map(doc -> doc == null ? null : new JsonObject(doc.toJson(RELAXED)));
    }
  }

  /** Exact amounts (BigDecimal) go to the driver as Decimal128, not as a JSON number it would read as a double. */
  private static Document bson(JsonObject json) {
    return Document.parse(Mongo.withExactDecimals(json).encode());
  }


  private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
  /** Rollup documents are created on first use; the transaction itself undoes them on abort. */
  private static final FindOneAndUpdateOptions UPSERT_AFTER = new FindOneAndUpdateOptions().upsert(true)
    .returnDocument(ReturnDocument.AFTER);

  /** A shared document (a rollup) can be large: answer only its id. */
  private static final FindOneAndUpdateOptions SHARED = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)
    .projection(new Document("_id", 1));
  private static final FindOneAndUpdateOptions SHARED_UPSERT = new FindOneAndUpdateOptions().upsert(true)
    .returnDocument(ReturnDocument.AFTER).projection(new Document("_id", 1));

  /** The publisher's last item (or null) as a Future completed on {@code context}. */
  static <T> Future<T> single(Context context, Publisher<T> publisher) {
    Promise<T> promise = Promise.promise();
    publisher.subscribe(new Subscriber<T>() {
      private T last;

      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(T item) {
        last = item;
      }

      @Override
      public void onError(Throwable error) {
        context.runOnContext(v -> promise.tryFail(error));
      }

      @Override
      public void onComplete() {
        T value = last;
        context.runOnContext(v -> promise.tryComplete(value));
      }
    });
    return promise.future();
  }
}
