package io.stockroom.inventory.kernel;

import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.unit.JournalEntry;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.UndoStep;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finishes the units of instances that died, or that gave a unit up (compensating mode). Every journal entry whose
 * lease expired is taken over by compare-and-set; the take-over then renews its own lease while it works, and its
 * close only matches while no later take-over happened, so two recoveries of one unit never both finish it (and since
 * every undo is idempotent, one that overlaps another changes nothing twice). While the dead instance's locks still
 * hold (until {@code locksUntil}, the first lock's expiry counted from its grant), the recovery works under them, as
 * their holder: no other unit can see the half-applied state. Past that, it takes the units' locks itself first.
 * A RUNNING (or ROLLING_BACK) unit is then undone step by step in reverse (a step that never happened undoes to
 * nothing) and its Idempotency-Key released; if an undo cannot finish, the unit goes to the repair journal and its
 * key answers 500 instead of being released. A COMMITTED unit is settled. Then the dead instance's locks are released
 * by their token. The sweep pages through every expired entry, so entries it cannot finish do not hide the others.
 * Undo steps are read from the entry (inline) and from the step documents beside it; step documents left without
 * their entry are removed by {@link #removeOrphanSteps}, and are never undone (recovery starts from entries).
 */
public final class UnitRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(UnitRecovery.class);
  private static final int ENTRIES_PER_PAGE = 50;
  private static final int STEP_DOCUMENTS_PER_PAGE = 200;
  private static final long LOCK_MARGIN_MS = 500;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final UnitJournal journal;
  private final UnitRepairs repairs;
  private final IdempotencyStore idempotency;
  private final LockManager locks;

  public UnitRecovery(Vertx vertx, MongoClient mongo, UnitJournal journal, IdempotencyStore idempotency, LockManager locks) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.journal = journal;
    this.repairs = new UnitRepairs(mongo);
    this.idempotency = idempotency;
    this.locks = locks;
  }

  /** @return how many units were recovered */
  public Future<Integer> sweep() {
    return sweepFrom(null, 0);
  }

  private Future<Integer> sweepFrom(String afterId, int recovered) {
    return journal.expired(afterId, ENTRIES_PER_PAGE).compose(entries -> Steps.map(entries, entry -> journal.takeOver(entry)
        .compose(taken -> taken == null ? Future.succeededFuture(false) : recover(taken))
        .otherwise(err -> {
          LOG.warn("Recovery of unit {} failed, retried next sweep: {}", entry.id(), err.toString());
          return false;
        }))
      .compose(done -> {
        int total = recovered + (int) done.stream().filter(finished -> finished).count();
        return entries.size() < ENTRIES_PER_PAGE ? Future.succeededFuture(total)
          : sweepFrom(entries.get(entries.size() - 1).id(), total);
      }));
  }

  /** Removes the step documents whose entry is gone, walking the journal's step documents page by page. */
  public Future<Void> removeOrphanSteps() {
    return orphanStepsFrom(null);
  }

  private Future<Void> orphanStepsFrom(String afterUnitId) {
    return journal.removeOrphanSteps(afterUnitId, STEP_DOCUMENTS_PER_PAGE)
      .compose(last -> last == null ? Future.succeededFuture() : orphanStepsFrom(last));
  }

  private Future<Boolean> recover(JournalEntry taken) {
    String unitId = taken.id();
    List<String> keys = taken.lockKeys();
    Instant locksUntil = taken.locksUntil();
    boolean deadLocksHold = Instant.now().plusMillis(LOCK_MARGIN_MS).isBefore(locksUntil);
    long heartbeat = vertx.setPeriodic(journal.heartbeatMs(), id -> journal.renewTaken(taken));
    Future<LockManager.Lease> own = deadLocksHold ? Future.succeededFuture(null) : locks.acquire(keys);
    return own.compose(lease -> finish(taken, keys)
        .compose(outcome -> journal.closeTaken(taken).compose(closed -> {
          if (!closed) return Future.succeededFuture(false);
          return locks.releaseAbandoned(keys, taken.lockToken()).map(true);
        }))
        .eventually(() -> lease == null ? Future.succeededFuture() : lease.release()))
      .onComplete(done -> vertx.cancelTimer(heartbeat))
      .onSuccess(closed -> {
        if (!closed) {
          LOG.info("Recovery of unit {} was taken over by a later recovery; it finishes the unit", unitId);
          return;
        }
        Meters.unitRecovered();
        LOG.warn("Recovered unit {} ({}) of tenant {}, which its instance left {}", unitId, taken.unit(),
          taken.tenantId(), taken.committed()
            ? "committed (settled)" : "half-applied (rolled back)");
      });
  }

  private Future<Void> finish(JournalEntry entry, List<String> keys) {
    return journal.steps(entry.id()).compose(written -> finish(entry, keys, new ArrayList<>(written)));
  }

  private Future<Void> finish(JournalEntry entry, List<String> keys, List<UndoStep> steps) {
    String claimId = entry.claimId();
    String tenantId = entry.tenantId();
    if (entry.committed()) {
      return Steps.each(steps, step -> step.kind() == UndoStep.Kind.SHARED ? step.settleShared(mongo) : Future.succeededFuture())
        .compose(v -> idempotency.settled(tenantId, claimId));
    }
    Collections.reverse(steps);
    // the owner may only be paused: the documents given back carry newer tokens than any of its writes can
    return locks.bumpFences(keys).map(LockKeys::byDocument)
      .compose(fences -> UndoStep.applyEach(steps, step -> step.apply(mongo, fences.get(String.valueOf(step.documentId())))))
      .compose(pending -> pending.isEmpty() ? idempotency.releaseAbandoned(tenantId, claimId)
        : repairs.record(entry.id(), entry.unit(), tenantId, entry.variantIds(), pending,
            new IllegalStateException("its instance died or gave it up mid-unit"))
          .compose(recorded -> idempotency.markForRepair(tenantId, claimId)));
  }
}
