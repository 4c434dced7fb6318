package io.stockroom.platform.kernel;

import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.UndoStep;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finishes the units of instances that died (compensating mode). Every journal entry whose lease expired is taken
 * over by compare-and-set. While the dead instance's locks still hold (the lease is a third of their lifetime), the
 * recovery works under them, as their holder: no other unit can see the half-applied state. Past that, it takes the
 * variants' locks itself first. A RUNNING unit is then undone step by step in reverse (a step that never happened
 * undoes to nothing) and its Idempotency-Key released; a COMMITTED unit is settled; the dead instance's locks are
 * released by their token. An undo that cannot finish goes to the repair journal. Runs on every instance; the
 * take-over makes each entry one instance's work.
 */
public final class UnitRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(UnitRecovery.class);
  private static final int ENTRIES_PER_SWEEP = 50;
  private static final long LOCK_MARGIN_MS = 500;

  private final MongoClient mongo;
  private final UnitJournal journal;
  private final UnitRepairs repairs;
  private final IdempotencyStore idempotency;
  private final LockManager locks;

  public UnitRecovery(MongoClient mongo, UnitJournal journal, IdempotencyStore idempotency, LockManager locks) {
    this.mongo = mongo;
    this.journal = journal;
    this.repairs = new UnitRepairs(mongo);
    this.idempotency = idempotency;
    this.locks = locks;
  }

  /** @return how many units were recovered */
  public Future<Integer> sweep() {
    return journal.expired(ENTRIES_PER_SWEEP).compose(entries -> Steps.map(entries, entry -> journal.takeOver(entry)
        .compose(taken -> taken == null ? Future.succeededFuture(false) : recover(taken))
        .otherwise(err -> {
          LOG.warn("Recovery of unit {} failed, retried next sweep: {}", entry.getString("_id"), err.toString());
          return false;
        })))
      .map(done -> (int) done.stream().filter(recovered -> recovered).count());
  }

  private Future<Boolean> recover(JsonObject entry) {
    String unitId = entry.getString("_id");
    List<String> keys = entry.getJsonArray("lockKeys").stream().map(String.class::cast).toList();
    Instant locksUntil = Instant.parse(entry.getJsonObject("locksUntil").getString("$date"));
    boolean deadLocksHold = Instant.now().plusMillis(LOCK_MARGIN_MS).isBefore(locksUntil);
    Future<LockManager.Lease> own = deadLocksHold ? Future.succeededFuture(null) : locks.acquire(keys);
    return own.compose(lease -> finish(entry)
        .compose(v -> journal.close(List.of(unitId)))
        .compose(v -> locks.releaseAbandoned(keys, entry.getString("lockToken")))
        .eventually(() -> lease == null ? Future.succeededFuture() : lease.release()))
      .map(v -> {
        Meters.unitRecovered();
        LOG.warn("Recovered unit {} ({}) of tenant {}, which its dead instance left {}", unitId, entry.getString("unit"),
          entry.getString("tenantId"), UnitJournal.State.COMMITTED.name().equals(entry.getString("state"))
            ? "committed (settled)" : "half-applied (rolled back)");
        return true;
      });
  }

  private Future<Void> finish(JsonObject entry) {
    return journal.steps(entry.getString("_id")).compose(written -> finish(entry, new ArrayList<>(written)));
  }

  private Future<Void> finish(JsonObject entry, List<UndoStep> steps) {
    if (UnitJournal.State.COMMITTED.name().equals(entry.getString("state"))) {
      return Steps.each(steps, step -> step.kind() == UndoStep.Kind.SHARED ? step.settleShared(mongo) : Future.succeededFuture());
    }
    Collections.reverse(steps);
    return UndoStep.applyEach(steps, step -> step.apply(mongo))
      .compose(pending -> pending.isEmpty() ? Future.<Void>succeededFuture()
        : repairs.record(entry.getString("_id"), entry.getString("unit"), entry.getString("tenantId"),
            entry.getJsonArray("variantIds").stream().map(String.class::cast).toList(), pending,
            new IllegalStateException("its instance died mid-unit")))
      .compose(v -> idempotency.releaseAbandoned(entry.getString("claimId")));
  }
}
