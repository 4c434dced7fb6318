package io.stockroom.platform.unit;

import io.stockroom.platform.metrics.Meters;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * For servers without transactions (the embedded stand-in): runs the steps in order, remembering how to undo each
 * ({@link UndoStep}), and on any failure undoes every applied step in reverse before failing. Each undo is retried a
 * few times; one that still fails does not stop the others, and the unit is then recorded in {@link UnitRepairs}
 * with what is left. Callers hold the locks of everything the unit touches until this completes.
 *
 * <p>Limit: a process crash between two steps leaves the applied steps in place (no journal is written ahead);
 * production runs with {@code mongo.transactions=required} on a replica set.
 */
public final class CompensatingUnitRunner implements UnitRunner {
  private static final long[] UNDO_RETRY_DELAYS_MS = {0, 20, 100};

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Failpoints failpoints;
  private final UnitRepairs repairs;

  public CompensatingUnitRunner(Vertx vertx, MongoClient mongo, Failpoints failpoints) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.failpoints = failpoints;
    this.repairs = new UnitRepairs(mongo);
  }

  @Override
  public <T> Future<T> run(String name, String tenantId, List<String> subjects, Function<Unit, Future<T>> work) {
    CompensatingUnit unit = new CompensatingUnit(name, tenantId, failpoints.takeUndoFailure(name, tenantId));
    Boolean unknownOutcome = failpoints.takeUnknownOutcome(name, tenantId);
    Future<T> result;
    try {
      result = work.apply(unit);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (unknownOutcome != null) {
      // Test-only: the work's outcome is hidden behind a lost acknowledgement; it stays applied when "committed".
      result = result.compose(value -> Future.failedFuture(unknownOutcome
        ? new CommittedButUnknown() : new Failpoints.InjectedFailure("lost ack")));
    }
    return result.recover(err -> {
      if (err instanceof CommittedButUnknown) return Future.failedFuture(Outcomes.unknown(name, err));
      Meters.unitCompensated();
      return unit.undoAll().compose(pending -> {
        if (pending.isEmpty()) {
          return Future.failedFuture(unknownOutcome != null ? Outcomes.unknown(name, err) : Outcomes.rolledBack(name, err));
        }
        Meters.unitNeedsRepair();
        return repairs.record(unit.id(), name, tenantId, subjects, pending, err)
          .transform(recorded -> Future.failedFuture(Outcomes.needsRepair(name, unit.id(), err)));
      });
    });
  }

  private static final class CommittedButUnknown extends RuntimeException {
    CommittedButUnknown() {
      super("lost ack after commit (failpoint)", null, false, false);
    }
  }

  private final class CompensatingUnit implements Unit {
    private final String id = Mongo.newId();
    private final String name;
    private final String tenantId;
    private final int failingUndo;
    private final List<UndoStep> undo = new ArrayList<>();
    private final List<Integer> undoSteps = new ArrayList<>();
    private int step;

    CompensatingUnit(String name, String tenantId, int failingUndo) {
      this.name = name;
      this.tenantId = tenantId;
      this.failingUndo = failingUndo;
    }

    @Override
    public String id() {
      return id;
    }

    private int next() {
      failpoints.check(name, tenantId, step);
      return step++;
    }

    private void remember(int forwardStep, UndoStep reverse) {
      undo.add(reverse);
      undoSteps.add(forwardStep);
    }

    @Override
    public Future<Void> insert(String collection, JsonObject document) {
      int at = next();
      return mongo.insert(collection, document)
        .onSuccess(v -> remember(at, UndoStep.deleteInserted(id + ":" + at, collection, document.getValue("_id"))))
        .mapEmpty();
    }

    @Override
    public Future<JsonObject> compareAndSet(String collection, JsonObject before, JsonObject guard, JsonObject set,
                                            JsonObject unset) {
      int at = next();
      JsonObject update = CompareAndSet.update(before, set, unset);
      return mongo.findOneAndUpdateWithOptions(collection, CompareAndSet.filter(before, guard), update, new FindOptions(),
          new UpdateOptions().setReturningNewDocument(true))
        .onSuccess(after -> {
          if (after != null) remember(at, UndoStep.restore(id + ":" + at, collection, before, set, unset));
        });
    }

    @Override
    public Future<Boolean> delete(String collection, JsonObject before) {
      int at = next();
      return mongo.removeDocument(collection, CompareAndSet.filter(before, null)).map(res -> {
        boolean removed = res != null && res.getRemovedCount() == 1;
        if (removed) remember(at, UndoStep.reinsert(id + ":" + at, collection, before));
        return removed;
      });
    }

    @Override
    public Future<JsonObject> updateShared(String collection, JsonObject filter, JsonObject update, JsonObject reverse,
                                           boolean upsert) {
      int at = next();
      return mongo.findOneAndUpdateWithOptions(collection, filter, update, new FindOptions(),
          new UpdateOptions().setUpsert(upsert).setReturningNewDocument(true))
        .onSuccess(after -> {
          if (after != null) remember(at, UndoStep.shared(id + ":" + at, collection, after.getValue("_id"), reverse));
        });
    }

    /** Undoes every applied step, last first; answers the steps that could not be undone. */
    Future<List<UndoStep>> undoAll() {
      List<Integer> order = new ArrayList<>();
      for (int i = undo.size() - 1; i >= 0; i--) order.add(i);
      List<UndoStep> pending = new ArrayList<>();
      return Steps.each(order, i -> undoWithRetries(undo.get(i), undoSteps.get(i) == failingUndo, 0)
        .map(outcome -> outcome == UndoStep.Outcome.DONE ? null : pending.add(undo.get(i)))
        .otherwise(err -> pending.add(undo.get(i))))
        .map(v -> pending);
    }

    private Future<UndoStep.Outcome> undoWithRetries(UndoStep reverse, boolean injectFailure, int attempt) {
      Future<UndoStep.Outcome> tried = injectFailure
        ? Future.failedFuture(new Failpoints.InjectedFailure("undo failed (failpoint)"))
        : reverse.apply(mongo);
      return tried.recover(err -> {
        if (attempt + 1 >= UNDO_RETRY_DELAYS_MS.length) return Future.failedFuture(err);
        Promise<UndoStep.Outcome> retried = Promise.promise();
        vertx.setTimer(UNDO_RETRY_DELAYS_MS[attempt + 1], t -> undoWithRetries(reverse, injectFailure, attempt + 1).onComplete(retried));
        return retried.future();
      });
    }
  }
}
