package io.stockroom.platform.kernel;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.StaleRead;
import io.stockroom.platform.unit.UnitRunner;
import io.stockroom.platform.unit.UnitSpec;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The one path every stock-changing operation takes:
 * <pre>
 *   lock (sorted) → re-read under the lock → [lock what the read names, re-read, re-check] → unit of work
 *   (its writes, plus the Idempotency-Key record) → release → publish after commit
 * </pre>
 * A unit that rolled back on a {@link StaleRead} runs once more under the same locks.
 * Operations describe themselves as a {@link Work}; nothing else takes stock locks or runs units.
 */
public final class StockKernel {
  private final LockManager locks;
  private final UnitRunner units;

  public StockKernel(LockManager locks, UnitRunner units) {
    this.locks = locks;
    this.units = units;
  }

  public <S> Future<Reply> run(Work<S> work) {
    Objects.requireNonNull(work.write, "work.writing(...) is required");
    return locks.acquire(work.keys).compose(lease -> underLock(work, lease)
        .recover(err -> {
          if (!(err instanceof StaleRead stale)) return Future.failedFuture(err);
          stale.forget();
          return underLock(work, lease);
        })
        .eventually(lease::release))
      .map(done -> {
        done.afterCommit().run();
        return done.reply();
      });
  }

  private <S> Future<Work.Done> underLock(Work<S> work, LockManager.Lease lease) {
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
      UnitSpec spec = new UnitSpec(work.unitName, work.tenantId, subjects, claimId, lease.keys(), lease.token());
      return units.run(spec, unit -> work.write.apply(unit, state)
        .compose(done -> IdempotencyStore.completeInUnit(unit, work.claim, done.reply()).map(done)));
    });
  }
}
