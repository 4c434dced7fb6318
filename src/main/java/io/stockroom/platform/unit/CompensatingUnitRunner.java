package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.mongo.DeadlineCalls;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * For servers without transactions (the embedded stand-in): runs the steps in order, remembering how to undo each
 * ({@link UndoStep}), and on any failure undoes every step that applied or may have applied, in reverse, before
 * failing. Each undo is retried a few times; one that still fails does not stop the others, and the unit is then
 * recorded in {@link UnitRepairs} with what is left. Callers hold the locks of everything the unit touches until this
 * completes.
 *
 * <p>Every undo is written ahead to the {@link UnitJournal} before its write (inline in the unit's entry when the entry
 * is written with it), and at the unit's commit point the entry is deleted (a unit that changed no shared document) or
 * turns COMMITTED (its shared documents' markers are settled after), so a unit whose instance died half-way is rolled
 * back by another instance once the entry's lease expired. A write that failed counts as maybe applied (its undo is
 * kept, and tells when applied); only an insert refused as a duplicate is dropped from the undo, whose delete would
 * remove the document that was there first. The unit stops before its deadline ({@link UnitSpec#deadline}) and when
 * its entry was taken over. Production runs with {@code mongo.transactions=required} on a replica set instead.
 *
 * <p>In rerun mode (tests) every unit runs twice, as a retried transaction does: the first run is completely undone,
 * then the work runs again from the start and commits. Work that changes its own inputs fails there.
 */
public final class CompensatingUnitRunner implements UnitRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CompensatingUnitRunner.class);
  private static final long[] UNDO_RETRY_DELAYS_MS = {0, 20, 100};
  /** Tries to learn whether a commit mark whose answer was lost landed, before the unit is left to recovery. */
  private static final long[] RESOLVE_DELAYS_MS = {0, 50, 250};

  private final Vertx vertx;
  private final MongoClient mongo;
  /** The steps' own calls, each bounded by the unit's deadline on the server too. */
  private final DeadlineCalls steps;
  private final Failpoints failpoints;
  private final UnitRepairs repairs;
  private final UnitJournal journal;
  private final Settlements settlements;
  private final WriteBatches batches;
  private final boolean rerun;

  public CompensatingUnitRunner(Vertx vertx, MongoClient mongo, Failpoints failpoints, long lockTtlMs, boolean rerun) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.steps = DeadlineCalls.of(mongo);
    this.failpoints = failpoints;
    this.repairs = new UnitRepairs(mongo);
    this.journal = new UnitJournal(mongo, lockTtlMs);
    this.settlements = new Settlements(vertx, mongo, journal);
    this.batches = new WriteBatches(mongo);
    this.rerun = rerun;
  }

  @Override
  public Future<Void> close() {
    return settlements.drain();
  }

  @Override
  public <T> Future<T> run(UnitSpec spec, Function<Unit, Future<T>> work) {
    return rerun ? rehearse(spec, work).compose(v -> attempt(spec, work)) : attempt(spec, work);
  }

  /**
   * Reads who last wrote each document, then whether any of those units is still open (RUNNING or ROLLING_BACK in the
   * journal): only possible when a lock was lost while its holder ran, and checked only then.
   */
  @Override
  public Future<Boolean> writersFinished(String tenantId, Map<String, List<String>> idsByCollection) {
    Set<String> writers = new HashSet<>();
    return Steps.each(idsByCollection.entrySet(), documents -> mongo.findWithOptions(documents.getKey(),
        Ops.where(Fields.TENANT_ID, tenantId).put(Fields.ID, Ops.in(List.copyOf(documents.getValue()))),
        new FindOptions().setFields(Ops.only(CompareAndSet.WRITTEN_BY)))
      .onSuccess(found -> found.forEach(doc -> {
        String writer = CompareAndSet.unitOf(doc.getString(CompareAndSet.WRITTEN_BY));
        if (writer != null) writers.add(writer);
      })))
      .compose(v -> writers.isEmpty() ? Future.succeededFuture(true) : journal.anyOpen(writers).map(open -> !open));
  }

  /** Rerun mode: the work runs and every write it made is undone, as an aborted transaction's are. */
  private <T> Future<Void> rehearse(UnitSpec spec, Function<Unit, Future<T>> work) {
    CompensatingUnit unit = new CompensatingUnit(spec, false);
    long heartbeat = vertx.setPeriodic(journal.heartbeatMs(), id -> unit.renew());
    return unit.perform(work).compose(value -> unit.flush(false))
      .transform(done -> done.succeeded() ? undo(unit, spec, null)
        : leftToRecovery(unit, spec, done.cause(), () -> rollBack(unit, spec, done.cause(), false)))
      .onComplete(ended -> vertx.cancelTimer(heartbeat));
  }

  private <T> Future<T> attempt(UnitSpec spec, Function<Unit, Future<T>> work) {
    String name = spec.name();
    CompensatingUnit unit = new CompensatingUnit(spec, true);
    Boolean unknownOutcome = failpoints.takeUnknownOutcome(name, spec.tenantId());
    long heartbeat = vertx.setPeriodic(journal.heartbeatMs(), id -> unit.renew());
    Future<T> result = unit.perform(work);
    if (Boolean.FALSE.equals(unknownOutcome)) {
      // Test-only: a lost acknowledgement of a unit that did not commit.
      result = result.compose(value -> Future.failedFuture(new Failpoints.InjectedFailure("lost ack")));
    }
    return result.compose(value -> unit.flush(true).transform(committed -> {
        if (committed.succeeded()) return unit.settle().map(value);
        if (committed.cause() instanceof WriteBatches.CommitUnknown unknown) return resolve(unit, spec, value, unknown, 0);
        return leftToRecovery(unit, spec, committed.cause(), () -> rollBack(unit, spec, committed.cause(), false));
      }), err -> leftToRecovery(unit, spec, err, () -> rollBack(unit, spec, err, unknownOutcome != null)))
      .compose(value -> Boolean.TRUE.equals(unknownOutcome)
        ? Future.<T>failedFuture(Outcomes.unknown(name, new Failpoints.InjectedFailure("lost ack after commit")))
        : Future.succeededFuture(value))
      .onComplete(ended -> vertx.cancelTimer(heartbeat));
  }

  /**
   * The commit point's answer was lost: the entry is turned ROLLING_BACK if it is still RUNNING (then no late commit
   * point can land, and the unit is undone), or found COMMITTED (then it is settled), or found gone, which for a unit
   * committing by the delete of its entry means committed as long as its lease holds (no recovery can have taken the
   * entry over and closed it). Otherwise, and when the database does not answer, the unit is left to recovery
   * ({@link UnitInDoubt}).
   */
  private <T> Future<T> resolve(CompensatingUnit unit, UnitSpec spec, T value, Throwable err, int attempt) {
    Future<UnitJournal.Verdict> asked = unit.commitInDoubt != null
      ? Future.failedFuture(new Failpoints.InjectedFailure("database out of reach")) : journal.rollingBack(unit.id());
    return asked.transform(decided -> {
      if (decided.succeeded()) {
        UnitJournal.Verdict verdict = decided.result();
        if (verdict == UnitJournal.Verdict.ROLLING_BACK) return rollBack(unit, spec, err.getCause(), false);
        if (verdict == UnitJournal.Verdict.COMMITTED) return unit.settle().map(value);
        if (verdict == UnitJournal.Verdict.CLOSED && !unit.settlesShared() && unit.leaseHolds()) return unit.settle().map(value);
        // taken over, or closed by a recovery: it decides, and may still undo the unit's writes
        unit.abandon();
        return Future.failedFuture(new UnitInDoubt(spec.name(), err.getCause()));
      }
      if (attempt + 1 >= RESOLVE_DELAYS_MS.length || System.currentTimeMillis() >= spec.deadline()) {
        unit.abandon();
        return Future.failedFuture(new UnitInDoubt(spec.name(), err.getCause()));
      }
      Promise<T> retried = Promise.promise();
      vertx.setTimer(RESOLVE_DELAYS_MS[attempt + 1], t -> resolve(unit, spec, value, err, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  /**
   * A unit whose entry was taken over is not undone here: the recovery that holds the entry decides, and may be undoing
   * it under the unit's locks right now, so the unit is left to it (its locks stay until they expire) and its outcome
   * is unknown to the caller. Any other failure goes to {@code otherwise}.
   */
  private <T> Future<T> leftToRecovery(CompensatingUnit unit, UnitSpec spec, Throwable err, Supplier<Future<T>> otherwise) {
    if (!(err instanceof UnitJournal.TakenOver) && !unit.takenOver) return otherwise.get();
    unit.abandon();
    return Future.failedFuture(new UnitInDoubt(spec.name(), err));
  }

  /** Undoes the unit and fails with what the caller is told: rolled back, unknown, or recorded for repair. */
  private <T> Future<T> rollBack(CompensatingUnit unit, UnitSpec spec, Throwable err, boolean outcomeUnknown) {
    return undo(unit, spec, err).compose(v -> Future.failedFuture(outcomeUnknown
      ? Outcomes.unknown(spec.name(), err) : Outcomes.rolledBack(spec.name(), err)));
  }

  /**
   * Undoes every step that applied or may have applied; succeeds when nothing is left. Otherwise the unit is recorded
   * for repair and this fails with 500; if even that record cannot be written, the journal entry stays for recovery.
   */
  private Future<Void> undo(CompensatingUnit unit, UnitSpec spec, Throwable err) {
    Meters.unitCompensated();
    return unit.undoAll().compose(pending -> {
      if (pending.isEmpty()) {
        return unit.close().recover(closeFailed -> {
          LOG.warn("Unit {} ({}) was undone, but its journal entry could not be removed; recovery removes it once its lease "
            + "expired: {}", unit.id(), spec.name(), closeFailed.toString());
          return Future.succeededFuture();
        });
      }
      Meters.unitNeedsRepair();
      Throwable cause = err == null ? new IllegalStateException("rerun mode: the first run's undo") : err;
      return repairs.record(unit.id(), spec.name(), spec.tenantId(), spec.subjects(), pending, cause)
        .compose(recorded -> unit.close())
        .transform(recorded -> Future.failedFuture(Outcomes.needsRepair(spec.name(), unit.id(), cause)));
    });
  }

  private final class CompensatingUnit implements Unit, WriteBatches.Member {
    private final String id = Mongo.newId();
    private final UnitSpec spec;
    private final String name;
    private final String tenantId;
    private final int failingUndo;
    private final int lostAck;
    private final Failpoints.Point pause;
    private final Boolean commitInDoubt;
    private final Boolean commitAnswerLost;
    private final boolean committing;
    /** Whether the journal entry was (or may have been) written: only then is there anything to commit or remove. */
    private boolean opened;
    /** Whether undo steps were (or may have been) written as step documents beside the entry. */
    private boolean stepDocuments;
    private final UnitJournal.InlineRoom inline = new UnitJournal.InlineRoom();
    /** Until when (epoch ms) the entry's lease holds at least: as written, or as last renewed. */
    private long leaseUntil;
    /** The entry is no longer this unit's (its renewals failed and another instance took it over). */
    private boolean takenOver;
    /** Left to recovery: the entry is no longer renewed. */
    private boolean abandoned;
    private final List<UndoStep> undo = new ArrayList<>();
    private final List<UndoStep> shared = new ArrayList<>();
    private final List<QueuedWrite> queued = new ArrayList<>();
    private UndoStep failpointUndo;
    private int step;

    /** @param committing false for a rerun-mode rehearsal, which never commits */
    CompensatingUnit(UnitSpec spec, boolean committing) {
      this.spec = spec;
      this.name = spec.name();
      this.tenantId = spec.tenantId();
      this.committing = committing;
      // the rehearsal of rerun mode leaves every failpoint to the run that commits
      this.failingUndo = committing ? failpoints.takeUndoFailure(name, tenantId) : -1;
      this.lostAck = committing ? failpoints.takeLostAck(name, tenantId) : -1;
      this.pause = committing ? failpoints.takePause(name, tenantId) : null;
      this.commitInDoubt = committing ? failpoints.takeCommitInDoubt(name, tenantId) : null;
      this.commitAnswerLost = committing && commitInDoubt == null ? failpoints.takeCommitAnswerLost(name, tenantId) : null;
    }

    @Override
    public String id() {
      return id;
    }

    <T> Future<T> perform(Function<Unit, Future<T>> work) {
      try {
        return work.apply(this);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }

    void renew() {
      if (!opened || abandoned || takenOver) return;
      long until = System.currentTimeMillis() + journal.leaseMs();
      journal.renew(id, until).onSuccess(renewal -> {
        if (renewal == UnitJournal.Renewal.RENEWED) leaseUntil = Math.max(leaseUntil, until);
        if (renewal == UnitJournal.Renewal.TAKEN_OVER) takenOver = true;
      });
    }

    void abandon() {
      abandoned = true;
    }

    /** The next step's number, once the unit may still write: before its deadline and while its entry is its own. */
    private int next() {
      if (committing) failpoints.check(name, tenantId, step);
      checkStillOurs();
      return step++;
    }

    private void checkStillOurs() {
      if (takenOver) throw UnitJournal.takenOver(id);
      if (System.currentTimeMillis() >= spec.deadline()) {
        throw new ServiceError(ErrorCode.UNAVAILABLE, "The operation ran out of time and was rolled back; nothing changed. Retry.");
      }
    }

    /** {@link #checkStillOurs} as a future, for the moment just before a write leaves. */
    private Future<Void> stillOurs() {
      try {
        checkStillOurs();
        return Future.succeededFuture();
      } catch (ServiceError late) {
        return Future.failedFuture(late);
      }
    }

    private String writeId(int at) {
      return CompareAndSet.writeId(id, at);
    }

    private void remember(int forwardStep, UndoStep reverse) {
      undo.add(reverse);
      if (forwardStep == failingUndo) failpointUndo = reverse;
    }

    /** Test-only: the armed pause before step {@code at} reaches the database. */
    private Future<Void> paused(int at) {
      if (pause == null || pause.step() != at) return Future.succeededFuture();
      Promise<Void> resumed = Promise.promise();
      vertx.setTimer(pause.millis(), t -> resumed.complete());
      return resumed.future();
    }

    /**
     * Records the undo in the journal, then writes. The undo is kept for an in-process rollback once the write
     * applied, and also when the write failed (it may have applied); only an insert refused as a duplicate drops it.
     * Queued writes to the same document go out first, so that a document's writes keep their order (writes to
     * different documents, and their undos, commute).
     */
    private <R> Future<R> ahead(int at, UndoStep reverse, String collection, Object documentId, Supplier<Future<R>> write,
                                Predicate<R> applied) {
      boolean sameDocumentQueued = queued.stream().anyMatch(w -> w.collection().equals(collection) && w.documentId().equals(documentId));
      Future<Void> logged = (sameDocumentQueued ? flush(false) : Future.<Void>succeededFuture()).compose(v -> {
        List<UnitJournal.Undo> undo = List.of(new UnitJournal.Undo(at, reverse));
        if (!opened) {
          inline.take(List.of(reverse), true);
          return journal.open(entry(undo));
        }
        if (inline.take(List.of(reverse), false) == 1) return journal.appendInline(id, undo);
        stepDocuments = true;
        return journal.append(id, tenantId, at, reverse);
      });
      return logged.compose(v -> paused(at)).compose(v -> stillOurs()).compose(v -> sent(at, write)).onComplete(written -> {
        if (written.succeeded() ? applied.test(written.result()) : !Mongo.isDuplicateKey(written.cause())) remember(at, reverse);
      });
    }

    /** The write; with the lost-ack failpoint armed for this step, it applies but answers a timeout. */
    private <R> Future<R> sent(int at, Supplier<Future<R>> write) {
      Future<R> sent = write.get();
      return at == lostAck ? sent.transform(ignored -> Future.failedFuture(new Failpoints.InjectedFailure("acknowledgement lost"))) : sent;
    }

    @Override
    public Future<Void> insert(String collection, JsonObject document) {
      int at = next();
      return ahead(at, UndoStep.deleteInserted(writeId(at), collection, document), collection,
        document.getValue(Fields.ID), () -> steps.insert(spec.deadline(), collection, document), inserted -> true).mapEmpty();
    }

    @Override
    public Future<JsonObject> compareAndSet(String collection, JsonObject before, JsonObject guard, JsonObject set,
                                            JsonObject unset) {
      int at = next();
      Long fence = spec.fenceOf(before.getValue(Fields.ID));
      if (CompareAndSet.fencedOut(before, fence)) return Future.succeededFuture(null);
      JsonObject update = CompareAndSet.update(before, set, unset, writeId(at), fence);
      return ahead(at, UndoStep.restore(writeId(at), collection, before, set, unset, fence, !committing), collection, before.getValue(Fields.ID),
        () -> steps.findOneAndUpdate(spec.deadline(), collection, CompareAndSet.filter(before, guard, fence), update, null, false),
        after -> after != null);
    }

    @Override
    public Future<Boolean> delete(String collection, JsonObject before) {
      int at = next();
      Long fence = spec.fenceOf(before.getValue(Fields.ID));
      if (CompareAndSet.fencedOut(before, fence)) return Future.succeededFuture(false);
      return ahead(at, UndoStep.reinsert(writeId(at), collection, before), collection, before.getValue(Fields.ID),
        () -> steps.deleteOne(spec.deadline(), collection, CompareAndSet.filter(before, null, fence)), removed -> removed);
    }

    @Override
    public Future<JsonObject> updateShared(String collection, JsonObject filter, JsonObject update, JsonObject reverse,
                                           boolean upsert) {
      int at = next();
      UndoStep undo = UndoStep.shared(writeId(at), collection, filter, reverse);
      JsonObject marked = marked(update, undo);
      // a shared document (a rollup) can be large: only its id comes back
      return ahead(at, undo, collection, filter.getValue(Fields.ID),
          () -> steps.findOneAndUpdate(spec.deadline(), collection, filter, marked, Ops.only(Fields.ID), upsert),
        after -> after != null)
        .onSuccess(after -> {
          if (after != null) shared.add(undo);
        });
    }

    @Override
    public Future<Void> queueInsert(String collection, JsonObject document) {
      int at = next();
      queued.add(QueuedWrite.insert(at, UndoStep.deleteInserted(writeId(at), collection, document), collection, document));
      return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> queueCompareAndSet(String collection, JsonObject before, JsonObject set, JsonObject unset) {
      if (!CompareAndSet.predictable(set, unset)) return Unit.super.queueCompareAndSet(collection, before, set, unset);
      int at = next();
      Long fence = spec.fenceOf(before.getValue(Fields.ID));
      if (CompareAndSet.fencedOut(before, fence)) return Future.failedFuture(CompareAndSet.changed(collection, before));
      JsonObject after = CompareAndSet.after(before, set, unset, writeId(at), fence);
      queued.add(QueuedWrite.compareAndSet(at, UndoStep.restore(writeId(at), collection, before, set, unset, fence, !committing), collection,
        CompareAndSet.filter(before, null, fence), CompareAndSet.update(before, set, unset, writeId(at), fence)));
      return Future.succeededFuture(after);
    }

    @Override
    public Future<Void> queueUpdateShared(String collection, JsonObject filter, JsonObject update, JsonObject reverse,
                                          boolean upsert, Throwable unmatched) {
      int at = next();
      UndoStep undo = UndoStep.shared(writeId(at), collection, filter, reverse);
      queued.add(QueuedWrite.shared(at, undo, collection, filter, marked(update, undo), upsert, unmatched));
      return Future.succeededFuture();
    }

    /**
     * Sends the queued writes (and with {@code commit}, the commit point) through the write batches; not once the
     * deadline passed or the entry was taken over.
     */
    Future<Void> flush(boolean commit) {
      if (queued.isEmpty() && !(commit && opened)) return Future.succeededFuture();
      List<QueuedWrite> writes = List.copyOf(queued);
      queued.clear();
      int pausedStep = pause == null ? -1 : pause.step();
      boolean pausing = writes.stream().anyMatch(write -> write.step() == pausedStep);
      return (pausing ? paused(pausedStep) : Future.<Void>succeededFuture()).compose(v -> stillOurs())
        .compose(v -> batches.submit(this, writes, commit));
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
    public int takeInlineRoom(List<QueuedWrite> writes) {
      return inline.take(writes.stream().map(QueuedWrite::undo).toList(), !opened);
    }

    @Override
    public JournalEntry open(List<QueuedWrite> inline) {
      return entry(inline.stream().map(write -> new UnitJournal.Undo(write.step(), write.undo())).toList());
    }

    /** The unit's entry with {@code inline}: from here on the unit counts as opened, and its lease runs. */
    private JournalEntry entry(List<UnitJournal.Undo> inline) {
      opened = true;
      long now = System.currentTimeMillis();
      leaseUntil = now + journal.leaseMs();
      return journal.entry(id, spec, now, inline);
    }

    @Override
    public void wroteStepDocuments() {
      stepDocuments = true;
    }

    @Override
    public boolean settlesShared() {
      return !shared.isEmpty();
    }

    @Override
    public boolean leaseHolds() {
      return journal.leaseHolds(leaseUntil);
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

    @Override
    public boolean ackLost(QueuedWrite write) {
      return write.step() == lostAck;
    }

    @Override
    public Boolean commitInDoubt() {
      return commitInDoubt != null ? commitInDoubt : commitAnswerLost;
    }

    @Override
    public long deadline() {
      return spec.deadline();
    }

    /** The update with this step's undo marker set on the shared document. */
    private JsonObject marked(JsonObject update, UndoStep undo) {
      return Ops.merge(update.copy(), Ops.set(UndoStep.marker(undo.id()), true));
    }

    /**
     * After the commit point: this unit's markers leave the shared documents and its entry goes, batched with others'.
     * A unit that committed by deleting its entry only has its step documents left to remove, if it wrote any.
     */
    Future<Void> settle() {
      if (!opened || !settlesShared() && !stepDocuments) return Future.succeededFuture();
      return settlements.settle(id, shared);
    }

    /** Removes the unit's entry and steps, unless recovery took the entry over (then it finishes the unit). */
    Future<Void> close() {
      // retried as an undo is: an entry left behind is taken over by recovery, which applies every undo again, and a
      // restore that newer units' writes have passed would then be recorded for repair
      return opened ? withRetries(() -> journal.closeOwn(id, stepDocuments), 0) : Future.succeededFuture();
    }

    /** Undoes every applied step, last first; answers the steps that could not be undone. */
    Future<List<UndoStep>> undoAll() {
      List<UndoStep> lastFirst = new ArrayList<>(undo);
      Collections.reverse(lastFirst);
      return UndoStep.applyEach(lastFirst, reverse -> withRetries(() -> reverse == failpointUndo
        ? Future.failedFuture(new Failpoints.InjectedFailure("undo failed (failpoint)"))
        : reverse.apply(mongo), 0));
    }

    /** {@code call}, tried again after each of {@link #UNDO_RETRY_DELAYS_MS} while it fails. */
    private <T> Future<T> withRetries(Supplier<Future<T>> call, int attempt) {
      return call.get().recover(err -> {
        if (attempt + 1 >= UNDO_RETRY_DELAYS_MS.length) return Future.failedFuture(err);
        Promise<T> retried = Promise.promise();
        vertx.setTimer(UNDO_RETRY_DELAYS_MS[attempt + 1], t -> withRetries(call, attempt + 1).onComplete(retried));
        return retried.future();
      });
    }
  }
}
