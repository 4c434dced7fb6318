package io.stockroom.platform.unit;

import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * For servers without transactions (the embedded stand-in): runs the steps in order, remembering how to undo each,
 * and on any failure undoes the applied steps in reverse before failing. Callers hold the Redis locks of everything
 * the unit touches until this completes, so no other unit interleaves with the undo. Single-document updates are
 * atomic, and every guarded update re-checks its guard on the document itself.
 *
 * <p>Limit: a process crash between two steps leaves the applied steps in place (no transaction log); production
 * runs with {@code mongo.transactions=required} on a replica set.
 */
public final class CompensatingUnitRunner implements UnitRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CompensatingUnitRunner.class);

  private final MongoClient mongo;
  private final Failpoints failpoints;

  public CompensatingUnitRunner(MongoClient mongo, Failpoints failpoints) {
    this.mongo = mongo;
    this.failpoints = failpoints;
  }


  @Override
  public <T> Future<T> run(String name, String tenantId, Function<Unit, Future<T>> work) {
    CompensatingUnit unit = new CompensatingUnit(name, tenantId);
    Future<T> result;
    try {
      result = work.apply(unit);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.recover(err -> unit.undoAll().transform(undone -> undone.succeeded()
      ? Future.failedFuture(Units.afterRollback(name, err))
      : Future.failedFuture(Units.rollbackFailed(name, err, undone.cause()))));
  }

  private final class CompensatingUnit implements Unit {
    private final String name;
    private final String tenantId;
    private final Deque<Supplier<Future<?>>> undo = new ArrayDeque<>();
    private int step;

    CompensatingUnit(String name, String tenantId) {
      this.name = name;
      this.tenantId = tenantId;
    }

    @Override
    public Future<Void> insert(String collection, JsonObject document) {
      failpoints.check(name, tenantId, step++);
      return mongo.insert(collection, document).map(id -> {
        JsonObject byId = new JsonObject().put("_id", document.getValue("_id"));
        undo.push(() -> mongo.removeDocument(collection, byId));
        return null;
      });
    }

    @Override
    public Future<JsonObject> update(String collection, JsonObject filter, JsonObject update, JsonObject undoUpdate) {
      failpoints.check(name, tenantId, step++);
      return mongo.findOneAndUpdateWithOptions(collection, filter, update, new FindOptions(),
          new UpdateOptions().setReturningNewDocument(true))
        .onSuccess(after -> {
          if (after != null) {
            JsonObject byId = new JsonObject().put("_id", after.getValue("_id"));
            undo.push(() -> mongo.updateCollection(collection, byId, undoUpdate));
          }
        });
    }

    @Override
    public Future<Void> delete(String collection, JsonObject document) {
      failpoints.check(name, tenantId, step++);
      return mongo.removeDocument(collection, new JsonObject().put("_id", document.getValue("_id"))).map(res -> {
        if (res != null && res.getRemovedCount() == 1) undo.push(() -> mongo.insert(collection, document));
        return null;
      });
    }

    @Override
    public Future<Void> increment(String collection, String id, JsonObject increments, JsonObject onInsert) {
      failpoints.check(name, tenantId, step++);
      JsonObject byId = new JsonObject().put("_id", id);
      JsonObject update = new JsonObject().put("$inc", increments).put("$setOnInsert", onInsert);
      return mongo.findOneAndUpdateWithOptions(collection, byId, update, new FindOptions(),
          new UpdateOptions().setUpsert(true).setReturningNewDocument(false))
        .map(before -> {
          undo.push(before == null
            ? () -> mongo.removeDocument(collection, byId)
            : () -> mongo.updateCollection(collection, byId, new JsonObject().put("$inc", Increments.negate(increments))));
          return null;
        });
    }

    Future<Void> undoAll() {
      if (undo.isEmpty()) return Future.succeededFuture();
      Supplier<Future<?>> next = undo.pop();
      return next.get().compose(v -> undoAll());
    }
  }

  /** Shared failure mapping of both runners. */
  static final class Units {
    private Units() {
    }

    static Throwable afterRollback(String name, Throwable err) {
      if (err instanceof ServiceError) return err;
      LOG.warn("Unit {} aborted and rolled back: {}", name, err.toString());
      return new ServiceError(ErrorCode.UNAVAILABLE, "The operation was interrupted and rolled back; nothing changed. Retry.");
    }

    static Throwable rollbackFailed(String name, Throwable err, Throwable undoFailure) {
      LOG.error("Unit {} failed ({}) and its rollback failed too: data needs repair", name, err.toString(), undoFailure);
      return new ServiceError(ErrorCode.INTERNAL, "Internal server error");
    }
  }
}
