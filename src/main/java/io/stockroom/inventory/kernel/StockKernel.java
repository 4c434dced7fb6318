package io.stockroom.inventory.kernel;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.StaleRead;
import io.stockroom.platform.unit.Unit;
import io.stockroom.platform.unit.UnitInDoubt;
import io.stockroom.platform.unit.UnitRunner;
import io.stockroom.platform.unit.UnitSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one path every stock-changing operation takes:
 * <pre>
 *   lock (sorted) → re-read under the lock → [lock what the read names, re-read, re-check] → unit of work
 *   (its writes, plus the Idempotency-Key record) → release → publish after commit
 * </pre>
 * A unit that rolled back on a {@link StaleRead} runs once more under the same locks.
 * Operations describe themselves as a {@link Work}; nothing else takes stock locks or runs units.
 *
 * <p>Each unit gets one deadline: before the first of its locks can expire and, when a caller waits for it, before
 * that caller stops waiting ({@code bus.timeoutMs} from the moment its request reached the service), less a margin.
 * The runner gives up at it, retries included, so a unit never writes past its locks nor commits after its client was
 * told it failed.
 */
public final class StockKernel {
  /** How long work waits before it reads again a document whose last writer lost its lock and has not finished. */
  private static final long UNFINISHED_WRITER_WAIT_MS = 20;

  private final Vertx vertx;
  private final LockManager locks;
  private final UnitRunner units;
  private final long callerTimeoutMs;
  private final long lockTtlMs;
  private final long marginMs;

  /**
   * @param callerTimeoutMs how long the caller waits for the answer ({@code bus.timeoutMs})
   * @param lockTtlMs       the lock lifetime; a tenth of it (0.2-2 s) is kept as a margin below both limits
   */
  public StockKernel(Vertx vertx, LockManager locks, UnitRunner units, long callerTimeoutMs, long lockTtlMs) {
    this.vertx = vertx;
    this.locks = locks;
    this.units = units;
    this.callerTimeoutMs = callerTimeoutMs;
    this.lockTtlMs = lockTtlMs;
    this.marginMs = Math.max(200, Math.min(2_000, lockTtlMs / 10));
  }

  public <S> Future<Reply> run(Work<S> work) {
    Objects.requireNonNull(work.write, "work.writing(...) is required");
    long arrived = work.arrived;
    return locks.acquire(work.keys).compose(lease -> underLock(work, lease, arrived)
        .recover(err -> {
          if (!(err instanceof StaleRead stale)) return Future.failedFuture(err);
          stale.forget();
          return underLock(work, lease, arrived);
        })
        .transform(done -> letGo(lease, done.failed() ? done.cause() : null).transform(released -> done.succeeded()
          ? Future.succeededFuture(done.result()) : Future.<Work.Done>failedFuture(done.cause()))))
      .map(done -> {
        done.afterCommit().run();
        return done.reply();
      });
  }

  /**
   * Releases the locks, except those of a unit left to recovery: they stay until they expire, so that nothing builds
   * on writes that recovery may still undo.
   */
  private static Future<Void> letGo(LockManager.Lease lease, Throwable failure) {
    if (!(failure instanceof UnitInDoubt)) return lease.release();
    lease.abandon();
    return Future.succeededFuture();
  }

  private <S> Future<Work.Done> underLock(Work<S> work, LockManager.Lease lease, long arrived) {
    return readFinished(work, lease, arrived).compose(state -> {
      List<String> subjects = lease.keys().stream().map(LockKeys::subjectId).filter(Objects::nonNull).toList();
      String claimId = work.claim == null ? null : work.claim.id();
      UnitSpec spec = new UnitSpec(work.unitName, work.tenantId, subjects, claimId, lease.keys(), lease.token(),
        LockKeys.byDocument(lease.fences()), lease.expiresAt(), deadline(work, lease, arrived));
      return units.run(spec, unit -> {
        Unit bounded = new BoundedUnit(unit, work.unitName);
        return work.write.apply(bounded, state)
          .compose(done -> IdempotencyStore.completeInUnit(bounded, work.claim, done.reply()).map(done));
      });
    });
  }

  /**
   * The read under the lock, taken again (after a short wait) while a document it covers carries writes of a unit
   * that lost its lock and has not finished: work never builds on writes that may still be undone. Checked only for
   * keys granted while an earlier grant was still open.
   */
  private <S> Future<S> readFinished(Work<S> work, LockManager.Lease lease, long arrived) {
    return read(work, lease, deadline(work, lease, arrived)).compose(state -> writersFinished(work.tenantId, lease).compose(finished -> {
      if (finished) return Future.succeededFuture(state);
      if (System.currentTimeMillis() + UNFINISHED_WRITER_WAIT_MS >= deadline(work, lease, arrived)) {
        return Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE, "The item is still being changed by an operation "
          + "that lost its lock; nothing was changed, retry shortly", ServiceError.retryAfter(1)));
      }
      Promise<Void> waited = Promise.promise();
      vertx.setTimer(UNFINISHED_WRITER_WAIT_MS, t -> waited.complete());
      return waited.future().compose(v -> readFinished(work, lease, arrived));
    }));
  }

  private <S> Future<S> read(Work<S> work, LockManager.Lease lease, long deadline) {
    Future<S> read = work.read.apply(deadline);
    if (work.moreKeys == null) return read;
    return read.compose(first -> lease.extend(work.moreKeys.apply(first)).recover(err -> err instanceof IllegalStateException
        ? ServiceError.fail(ErrorCode.CONFLICT, "The document changed while it was being locked; nothing was changed, retry")
        : Future.failedFuture(err)))
      .compose(extended -> work.read.apply(deadline))
      .compose(state -> new HashSet<>(lease.keys()).containsAll(work.moreKeys.apply(state))
        ? Future.succeededFuture(state)
        : ServiceError.fail(ErrorCode.CONFLICT, "The document changed while it was being locked; nothing was changed, retry"));
  }

  private Future<Boolean> writersFinished(String tenantId, LockManager.Lease lease) {
    Map<String, List<String>> documents = new HashMap<>();
    for (String key : lease.uncleanKeys()) {
      String collection = LockKeys.collectionOf(key);
      if (collection != null) documents.computeIfAbsent(collection, c -> new ArrayList<>()).add(LockKeys.documentId(key));
    }
    return documents.isEmpty() ? Future.succeededFuture(true) : units.writersFinished(tenantId, documents);
  }

  /** When a request that reached the service at {@code receivedAt} must have its answer: before its caller stops waiting. */
  public long callerDeadline(long receivedAt) {
    return receivedAt + callerTimeoutMs - marginMs;
  }

  private long deadline(Work<?> work, LockManager.Lease lease, long arrived) {
    long callerGone = work.awaited ? arrived + callerTimeoutMs : Long.MAX_VALUE;
    // a unit without locks still gets no more time than a lock would give it
    long locksGone = lease.expiresAt() == Long.MAX_VALUE ? arrived + lockTtlMs : lease.expiresAt();
    return Math.min(callerGone, locksGone) - marginMs;
  }
}
