package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Publishers;
import io.stockroom.platform.mongo.Storage;

import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.TransactionOptions;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.ClientSession;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Context;
import io.stockroom.platform.mongo.Fields;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * For replica sets and sharded clusters: each unit is one multi-document transaction through the MongoDB
 * reactive-streams driver (vertx-mongo-client has no session API), with snapshot read concern and the write concern
 * of every other write ({@link Storage#DURABLE_WRITES}: majority, journaled). The whole transaction is retried with
 * jittered backoff on {@code TransientTransactionError} (write conflicts included) and the commit on {@code UnknownTransactionCommitResult}, each a bounded number of times; a
 * commit that cannot be confirmed is reported as an unknown outcome, never as "nothing changed". Steps of one
 * transaction run one after another, never
 * concurrent (a ClientSession is not thread-safe), and every callback is brought back onto the caller's context.
 * Queued writes ({@link Unit#queueInsert} and its kin) are held and sent per collection as one ordered bulk write in
 * the transaction ({@link HeldWrites}): before the commit, and before any other write to the same collection, so that
 * the writes to one document keep their order.
 *
 * <p>A retry runs the work again from the start on the state it was given (work never changes its inputs). All
 * attempts share the unit's deadline ({@link UnitSpec#deadline}): no attempt starts past it, each database call and
 * the commit are bounded by what is left of it (the driver's operation timeout, which becomes the server's {@code maxTimeMS}, and a client-side timeout),
 * and a unit that ran out of time before committing is aborted, so none commits after its locks expired or its
 * caller was told it failed.
 */
public final class TransactionalUnitRunner implements UnitRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalUnitRunner.class);
  /** Units of one tenant all touch its dashboard totals, so write conflicts are expected under load: retry with backoff. */
  private static final int MAX_ATTEMPTS = 8;
  private static final int MAX_COMMIT_ATTEMPTS = 3;
  private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
  private static final TransactionOptions OPTIONS = TransactionOptions.builder()
    .readConcern(ReadConcern.SNAPSHOT)
    .writeConcern(Storage.DURABLE_WRITES)
    .readPreference(ReadPreference.primary())
    .build();

  private final Vertx vertx;
  private final MongoClient client;
  private final MongoDatabase database;
  private final Failpoints failpoints;

  /** Runs on the process's one driver client ({@link Storage#driver}), which it never closes. */
  public TransactionalUnitRunner(Vertx vertx, com.mongodb.reactivestreams.client.MongoClient client, String databaseName,
                                 Failpoints failpoints) {
    this.vertx = vertx;
    this.client = client;
    this.database = client.getDatabase(databaseName);
    this.failpoints = failpoints;
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public <T> Future<T> run(UnitSpec spec, Function<Unit, Future<T>> work) {
    return attempt(spec, work, 1);
  }

  private <T> Future<T> attempt(UnitSpec spec, Function<Unit, Future<T>> work, int attempt) {
    String name = spec.name();
    String tenantId = spec.tenantId();
    Context context = vertx.getOrCreateContext();
    if (remainingMs(spec) <= 0) return Future.failedFuture(outOfTime());
    Boolean unknownOutcome = failpoints.takeUnknownOutcome(name, tenantId);
    return single(context, client.startSession(), remainingMs(spec)).compose(session -> {
      // one timeout for the whole transaction, its steps and its commit: what is left of the deadline (the driver
      // sends what remains of it as each command's maxTimeMS; it refuses a step-level timeout inside a transaction)
      session.startTransaction(TransactionOptions.merge(TransactionOptions.builder()
        .timeout(Math.max(1, remainingMs(spec)), TimeUnit.MILLISECONDS).build(), OPTIONS));
      TransactionUnit unit = new TransactionUnit(context, session, spec);
      Future<T> result;
      try {
        result = work.apply(unit);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result
        .compose(value -> unit.held.flushAll().map(value))
        .compose(value -> remainingMs(spec) > 0 ? Future.succeededFuture(value) : Future.<T>failedFuture(outOfTime()))
        .recover(err -> abort(context, session).transform(ignored -> Future.<T>failedFuture(err)))
        .compose(value -> commit(context, session, spec, 1, unknownOutcome).map(value))
        .eventually(() -> {
          session.close();
          return Future.succeededFuture();
        });
    }).recover(err -> {
      if (err instanceof CommitUnknown unknown) return Future.failedFuture(Outcomes.unknown(name, unknown.getCause()));
      long backoffMs = Math.max(1, 2L * attempt + ThreadLocalRandom.current().nextLong(5L * attempt));
      if (hasLabel(err, MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL) && attempt < MAX_ATTEMPTS
          && remainingMs(spec) > backoffMs) {
        LOG.debug("Unit {} hit a transient transaction error, retrying (attempt {})", name, attempt + 1);
        Meters.unitRetried();
        Promise<T> retried = Promise.promise();
        vertx.setTimer(backoffMs, id -> attempt(spec, work, attempt + 1).onComplete(retried));
        return retried.future();
      }
      return Future.failedFuture(Outcomes.rolledBack(name, err));
    });
  }

  /**
   * Commits; an {@code UnknownTransactionCommitResult} is retried up to {@link #MAX_COMMIT_ATTEMPTS} times. A commit
   * that still fails, or fails without a label that proves it did not apply, has an unknown outcome.
   */
  private Future<Void> commit(Context context, ClientSession session, UnitSpec spec, int attempt, Boolean injectedUnknown) {
    if (injectedUnknown != null) {
      Future<Void> applied = injectedUnknown ? single(context, session.commitTransaction(), remainingMs(spec)).mapEmpty()
        : abort(context, session);
      return applied.compose(v -> Future.failedFuture(new CommitUnknown(new Failpoints.InjectedFailure("lost ack"))));
    }
    return single(context, session.commitTransaction(), Math.max(1, remainingMs(spec))).<Void>mapEmpty().recover(err -> {
      if (hasLabel(err, MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL) && attempt < MAX_COMMIT_ATTEMPTS
          && remainingMs(spec) > 0) {
        return commit(context, session, spec, attempt + 1, null);
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
    return single(context, session.abortTransaction(), ABORT_TIMEOUT_MS).<Void>mapEmpty().recover(err -> Future.succeededFuture());
  }

  private static long remainingMs(UnitSpec spec) {
    return spec.deadline() - System.currentTimeMillis();
  }

  private static ServiceError outOfTime() {
    return new ServiceError(ErrorCode.UNAVAILABLE, "The operation ran out of time and was rolled back; nothing changed. Retry.");
  }

  private static boolean hasLabel(Throwable err, String label) {
    return err instanceof MongoException me && me.hasErrorLabel(label);
  }

  private final class TransactionUnit implements Unit {
    private final String id = io.stockroom.platform.mongo.Mongo.newId();
    private final Context context;
    private final ClientSession session;
    private final UnitSpec spec;
    private final String name;
    private final String tenantId;
    private final HeldWrites held;
    private int step;

    TransactionUnit(Context context, ClientSession session, UnitSpec spec) {
      this.context = context;
      this.session = session;
      this.spec = spec;
      this.name = spec.name();
      this.tenantId = spec.tenantId();
      this.held = new HeldWrites((collection, models) ->
        single(context, collection(collection).bulkWrite(session, models, ORDERED), budgetMs()));
    }

    /** The next step's number, while the unit's deadline has not passed. */
    private int next() {
      failpoints.check(name, tenantId, step);
      if (remainingMs(spec) <= 0) throw outOfTime();
      return step++;
    }

    /** What is left of the deadline, for the server ({@code maxTimeMS}) and for the client-side timeout. */
    private long budgetMs() {
      return Math.max(1, remainingMs(spec));
    }

    private MongoCollection<Document> collection(String name) {
      return database.getCollection(name);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Future<Void> insert(String collection, JsonObject document) {
      next();
      return held.flush(collection)
        .compose(v -> single(context, collection(collection).insertOne(session, bson(document)), budgetMs())).mapEmpty();
    }

    @Override
    public Future<JsonObject> compareAndSet(String collection, JsonObject before, JsonObject guard, JsonObject set,
                                            JsonObject unset) {
      int at = next();
      Long fence = spec.fenceOf(before.getValue(Fields.ID));
      if (CompareAndSet.fencedOut(before, fence)) return Future.succeededFuture(null);
      return findOneAndUpdate(collection, CompareAndSet.filter(before, guard, fence),
        CompareAndSet.update(before, set, unset, CompareAndSet.writeId(id, at), fence), AFTER);
    }

    @Override
    public Future<Void> queueInsert(String collection, JsonObject document) {
      next();
      return held.hold(collection, new InsertOneModel<>(bson(document)), false);
    }

    @Override
    public Future<JsonObject> queueCompareAndSet(String collection, JsonObject before, JsonObject set, JsonObject unset) {
      if (!CompareAndSet.predictable(set, unset)) return Unit.super.queueCompareAndSet(collection, before, set, unset);
      int at = next();
      Long fence = spec.fenceOf(before.getValue(Fields.ID));
      if (CompareAndSet.fencedOut(before, fence)) return Future.failedFuture(CompareAndSet.changed(collection, before));
      String writeId = CompareAndSet.writeId(id, at);
      return held.hold(collection, new UpdateOneModel<>(bson(CompareAndSet.filter(before, null, fence)),
          bson(CompareAndSet.update(before, set, unset, writeId, fence))), true)
        .map(v -> CompareAndSet.after(before, set, unset, writeId, fence));
    }

    /** Held only with {@code upsert}, which always applies; otherwise written at once, to tell whether it matched. */
    @Override
    public Future<Void> queueUpdateShared(String collection, JsonObject filter, JsonObject update, JsonObject undo,
                                          boolean upsert, Throwable unmatched) {
      if (!upsert) return Unit.super.queueUpdateShared(collection, filter, update, undo, false, unmatched);
      next();
      return held.hold(collection, new UpdateOneModel<>(bson(filter), bson(update), UPSERT), true);
    }

    @Override
    public Future<Boolean> delete(String collection, JsonObject before) {
      next();
      if (CompareAndSet.fencedOut(before, spec.fenceOf(before.getValue(Fields.ID)))) return Future.succeededFuture(false);
      return held.flush(collection).compose(v -> single(context, collection(collection).deleteOne(session,
          bson(CompareAndSet.filter(before, null, spec.fenceOf(before.getValue(Fields.ID))))), budgetMs()))
        .map(result -> result != null && result.getDeletedCount() == 1);
    }

    @Override
    public Future<JsonObject> updateShared(String collection, JsonObject filter, JsonObject update, JsonObject undo,
                                           boolean upsert) {
      next();
      return findOneAndUpdate(collection, filter, update, upsert ? SHARED_UPSERT : SHARED);
    }

    private Future<JsonObject> findOneAndUpdate(String collection, JsonObject filter, JsonObject update,
                                                FindOneAndUpdateOptions options) {
      return held.flush(collection)
        .compose(v -> single(context, collection(collection).findOneAndUpdate(session, bson(filter), bson(update), options), budgetMs()))
        .map(doc -> doc == null ? null : new JsonObject(doc.toJson(RELAXED)));
    }
  }

  private static final BulkWriteOptions ORDERED = new BulkWriteOptions().ordered(true);
  private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

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

  /** How long an abort may take: it only frees the server sooner (an abandoned transaction is aborted by the server). */
  private static final long ABORT_TIMEOUT_MS = 2_000;

  /** The publisher's last item (or null) on {@code context}, within {@code timeoutMs} ({@link Publishers#last}). */
  static <T> Future<T> single(Context context, Publisher<T> publisher, long timeoutMs) {
    return Publishers.last(context, publisher, timeoutMs);
  }
}
