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
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * For servers without transactions (the embedded stand-in): runs the steps in order, remembering how to undo each
 * ({@link UndoStep}), and on any failure undoes every applied step in reverse before failing. Each undo is retried a
 * few times; one that still fails does not stop the others, and the unit is then recorded in {@link UnitRepairs}
 * with what is left. Callers hold the locks of everything the unit touches until this completes.
 *
 * <p>Every undo is written ahead to the {@link UnitJournal} before its write, and the entry turns COMMITTED at the
 * unit's commit point, so a unit whose instance died half-way is rolled back by another instance once the entry's
 * lease expired. Production runs with {@code mongo.transactions=required} on a replica set instead.
 */
public final class CompensatingUnitRunner implements UnitRunner {
  private static final long[] UNDO_RETRY_DELAYS_MS = {0, 20, 100};

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Failpoints failpoints;
  private final UnitRepairs repairs;
  private final UnitJournal journal;
  private final Settlements settlements;
  private final WriteBatches batches;

  public CompensatingUnitRunner(Vertx vertx, MongoClient mongo, Failpoints failpoints, long lockTtlMs) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.failpoints = failpoints;
    this.repairs = new UnitRepairs(mongo);
    this.journal = new UnitJournal(mongo, lockTtlMs);
    this.settlements = new Settlements(vertx, mongo, journal);
    this.batches = new WriteBatches(mongo);
  }

  @Override
  public Future<Void> close() {
    return settlements.drain();
  }

  @Override
  public <T> Future<T> run(UnitSpec spec, Function<Unit, Future<T>> work) {
    String name = spec.name();
    String tenantId = spec.tenantId();
    CompensatingUnit unit = new CompensatingUnit(spec, failpoints.takeUndoFailure(name, tenantId));
    Boolean unknownOutcome = failpoints.takeUnknownOutcome(name, tenantId);
    long heartbeat = vertx.setPeriodic(journal.heartbeatMs(), id -> {
      if (unit.opened) journal.renew(unit.id());
    });
    Future<T> result;
    try {
      result = work.apply(unit);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (Boolean.FALSE.equals(unknownOutcome)) {
      // Test-only: a lost acknowledgement of a unit that did not commit.
      result = result.compose(value -> Future.failedFuture(new Failpoints.InjectedFailure("lost ack")));
    }
    return result.compose(value -> unit.flush(true).map(value))
      .transform(done -> done.succeeded()
        ? unit.settle().compose(v -> Boolean.TRUE.equals(unknownOutcome)
            ? Future.<T>failedFuture(Outcomes.unknown(name, new Failpoints.InjectedFailure("lost ack after commit")))
            : Future.succeededFuture(done.result()))
        : rollBack(unit, spec, done.cause(), unknownOutcome != null))
      .onComplete(ended -> vertx.cancelTimer(heartbeat));
  }

  /** Undoes every applied step; the unit is then rolled back, or recorded for repair with what is left. */
  private <T> Future<T> rollBack(CompensatingUnit unit, UnitSpec spec, Throwable err, boolean outcomeUnknown) {
    Meters.unitCompensated();
    return unit.undoAll().compose(pending -> {
      if (pending.isEmpty()) {
        return unit.close().transform(closed -> Future.failedFuture(outcomeUnknown
          ? Outcomes.unknown(spec.name(), err) : Outcomes.rolledBack(spec.name(), err)));
      }
      Meters.unitNeedsRepair();
      return repairs.record(unit.id(), spec.name(), spec.tenantId(), spec.subjects(), pending, err)
        .compose(recorded -> unit.close())
        .transform(recorded -> Future.failedFuture(Outcomes.needsRepair(spec.name(), unit.id(), err)));
    });
  }

  private final class CompensatingUnit implements Unit, WriteBatches.Member {
    private final String id = Mongo.newId();
    private final UnitSpec spec;
    private final String name;
    private final String tenantId;
    private final int failingUndo;
    /** Whether the journal entry was (or may have been) written: only then is there anything to commit or remove. */
    private boolean opened;
    private final List<UndoStep> undo = new ArrayList<>();
    private final List<UndoStep> shared = new ArrayList<>();
    private final List<QueuedWrite> queued = new ArrayList<>();
    private UndoStep failpointUndo;
    private int step;

    CompensatingUnit(UnitSpec spec, int failingUndo) {
      this.spec = spec;
      this.name = spec.name();
      this.tenantId = spec.tenantId();
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
      if (forwardStep == failingUndo) failpointUndo = reverse;
    }

    /**
     * Records the undo in the journal, then writes; once the write applied, the undo is kept for an in-process
     * rollback. Queued writes to the same document go out first, so that a document's writes keep their order
     * (writes to different documents, and their undos, commute).
     */
    private <R> Future<R> ahead(int at, UndoStep reverse, String collection, Object documentId,
                                java.util.function.Supplier<Future<R>> write, java.util.function.Predicate<R> applied) {
      boolean sameDocumentQueued = queued.stream().anyMatch(w -> w.collection().equals(collection) && w.documentId().equals(documentId));
      Future<Void> logged = (sameDocumentQueued ? flush(false) : Future.<Void>succeededFuture()).compose(v -> {
        if (opened) return journal.append(id, tenantId, at, reverse);
        opened = true;
        return journal.open(id, spec, at, reverse);
      });
      return logged.compose(v -> write.get()).onSuccess(result -> {
        if (applied.test(result)) remember(at, reverse);
      });
    }

    @Override
    public Future<Void> insert(String collection, JsonObject document) {
      int at = next();
      return ahead(at, UndoStep.deleteInserted(id + ":" + at, collection, document.getValue("_id")), collection,
        document.getValue("_id"), () -> mongo.insert(collection, document), inserted -> true).mapEmpty();
    }

    @Override
    public Future<JsonObject> compareAndSet(String collection, JsonObject before, JsonObject guard, JsonObject set,
                                            JsonObject unset) {
      int at = next();
      JsonObject update = CompareAndSet.update(before, set, unset);
      return ahead(at, UndoStep.restore(id + ":" + at, collection, before, set, unset), collection, before.getValue("_id"),
        () -> mongo.findOneAndUpdateWithOptions(collection, CompareAndSet.filter(before, guard), update, new FindOptions(),
          new UpdateOptions().setReturningNewDocument(true)), after -> after != null);
    }

    @Override
    public Future<Boolean> delete(String collection, JsonObject before) {
      int at = next();
      return ahead(at, UndoStep.reinsert(id + ":" + at, collection, before), collection, before.getValue("_id"),
        () -> mongo.removeDocument(collection, CompareAndSet.filter(before, null))
          .map(res -> res != null && res.getRemovedCount() == 1), removed -> removed);
    }

    @Override
    public Future<JsonObject> updateShared(String collection, JsonObject filter, JsonObject update, JsonObject reverse,
                                           boolean upsert) {
      int at = next();
      UndoStep undo = UndoStep.shared(id + ":" + at, collection, filter.getValue("_id"), reverse);
      JsonObject marked = marked(update, undo);
      // a shared document (a rollup) can be large: only its id comes back
      return ahead(at, undo, collection, filter.getValue("_id"), () -> mongo.findOneAndUpdateWithOptions(collection, filter, marked,
          new FindOptions().setFields(new JsonObject().put("_id", 1)), new UpdateOptions().setUpsert(upsert).setReturningNewDocument(true)),
        after -> after != null)
        .onSuccess(after -> {
          if (after != null) shared.add(undo);
        });
    }

    @Override
    public Future<Void> queueInsert(String collection, JsonObject document) {
      int at = next();
      queued.add(QueuedWrite.insert(at, UndoStep.deleteInserted(id + ":" + at, collection, document.getValue("_id")), collection, document));
      return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> queueCompareAndSet(String collection, JsonObject before, JsonObject set, JsonObject unset) {
      if (!CompareAndSet.predictable(set, unset)) return Unit.super.queueCompareAndSet(collection, before, set, unset);
      int at = next();
      JsonObject after = CompareAndSet.after(before, set, unset);
      queued.add(QueuedWrite.compareAndSet(at, UndoStep.restore(id + ":" + at, collection, before, set, unset), collection,
        CompareAndSet.filter(before, null), CompareAndSet.update(before, set, unset), after.getLong("version")));
      return Future.succeededFuture(after);
    }

    @Override
    public Future<Void> queueUpdateShared(String collection, JsonObject filter, JsonObject update, JsonObject reverse,
                                          boolean upsert, Throwable unmatched) {
      int at = next();
      UndoStep undo = UndoStep.shared(id + ":" + at, collection, filter.getValue("_id"), reverse);
      queued.add(QueuedWrite.shared(at, undo, collection, filter, marked(update, undo), upsert, unmatched));
      return Future.succeededFuture();
    }

    /** Sends the queued writes (and with {@code commit}, the commit point) through the write batches. */
    Future<Void> flush(boolean commit) {
      if (queued.isEmpty() && !(commit && opened)) return Future.succeededFuture();
      List<QueuedWrite> writes = List.copyOf(queued);
      queued.clear();
      return batches.submit(this, writes, commit);
    }

    @Override
    public String tenantId() {
      return tenantId;
    }

    @Override
    public boolean opened() {
      return opened;
    }

    @Override
    public JsonObject open() {
      opened = true;
      return journal.entry(id, spec);
    }

    @Override
    public void logged(QueuedWrite write) {
      remember(write.step(), write.undo());
      if (write.kind() == QueuedWrite.Kind.SHARED) shared.add(write.undo());
    }

    @Override
    public void refused(QueuedWrite write) {
      undo.remove(write.undo());
      shared.remove(write.undo());
    }

    /** The update with this step's undo marker set on the shared document. */
    private JsonObject marked(JsonObject update, UndoStep undo) {
      JsonObject marked = update.copy();
      marked.put("$set", marked.getJsonObject("$set", new JsonObject()).copy().put(UndoStep.marker(undo.id()), true));
      return marked;
    }

    /** After the commit point: this unit's markers leave the shared documents and its entry goes, batched with others'. */
    Future<Void> settle() {
      return opened ? settlements.settle(id, shared) : Future.succeededFuture();
    }

    Future<Void> close() {
      return opened ? journal.close(List.of(id)) : Future.succeededFuture();
    }

    /** Undoes every applied step, last first; answers the steps that could not be undone. */
    Future<List<UndoStep>> undoAll() {
      List<UndoStep> lastFirst = new ArrayList<>(undo);
      Collections.reverse(lastFirst);
      return UndoStep.applyEach(lastFirst, reverse -> undoWithRetries(reverse, reverse == failpointUndo, 0));
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
