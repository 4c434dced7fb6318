package io.stockroom.platform.kernel;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.StaleRead;
import io.stockroom.platform.unit.UnitInDoubt;
import io.stockroom.platform.unit.UnitRunner;
import io.stockroom.platform.unit.UnitSpec;
import io.vertx.core.Future;

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
 * <p>Each unit gets one deadline: before the first of its locks can expire and before its caller stops waiting
 * ({@code bus.timeoutMs} from the moment the work arrived), less a margin. The runner gives up at it, retries included,
 * so a unit never writes past its locks nor commits after its client was told it failed.
 */
public final class StockKernel {
  private final LockManager locks;
  private final UnitRunner units;
  private final long callerTimeoutMs;
  private final long marginMs;

  /**
   * @param callerTimeoutMs how long the caller waits for the answer ({@code bus.timeoutMs})
   * @param lockTtlMs       the lock lifetime; a tenth of it (0.2-2 s) is kept as a margin below both limits
   */
  public StockKernel(LockManager locks, UnitRunner units, long callerTimeoutMs, long lockTtlMs) {
    this.locks = locks;
    this.units = units;
    this.callerTimeoutMs = callerTimeoutMs;
    this.marginMs = Math.max(200, Math.min(2_000, lockTtlMs / 10));
  }

  public <S> Future<Reply> run(Work<S> work) {
    Objects.requireNonNull(work.write, "work.writing(...) is required");
    long arrived = System.currentTimeMillis();
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
    Future<S> read = work.read.get();
    if (work.moreKeys != null) {
      read = read.compose(first -> lease.extend(work.moreKeys.apply(first)))
        .compose(extended -> work.read.get())
        .compose(state -> new HashSet<>(lease.keys()).containsAll(work.moreKeys.apply(state))
          ? Future.succeededFuture(state)
          : ServiceError.fail(ErrorCode.CONFLICT, "The document changed while it was being locked; nothing was changed, retry"));
    }
    return read.compose(state -> {
      List<String> subjects = lease.keys().stream().map(LockKeys::variantId).filter(Objects::nonNull).toList();
      String claimId = work.claim == null ? null : work.claim.record().getString("_id");
      Map<String, Long> fences = new HashMap<>();
      lease.fences().forEach((key, fence) -> {
        String documentId = LockKeys.documentId(key);
        if (documentId != null) fences.put(documentId, fence);
      });
      long deadline = Math.min(arrived + callerTimeoutMs, lease.expiresAt()) - marginMs;
      UnitSpec spec = new UnitSpec(work.unitName, work.tenantId, subjects, claimId, lease.keys(), lease.token(), fences,
        lease.expiresAt(), deadline);
      return units.run(spec, unit -> work.write.apply(unit, state)
        .compose(done -> IdempotencyStore.completeInUnit(unit, work.claim, done.reply()).map(done)));
    });
  }
}
