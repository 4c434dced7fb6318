package io.stockroom.platform.unit;

import io.vertx.core.Future;

import java.util.function.Function;

/**
 * Runs a unit of work so that either all of its writes are visible afterwards or none are.
 * Failure modes: the work's own {@code ServiceError} (after everything was undone); UNAVAILABLE when an unexpected
 * failure aborted the unit and it was rolled back; OUTCOME_UNKNOWN when it cannot be known whether the unit committed
 * (retry with the same Idempotency-Key); INTERNAL when a rollback could not finish (recorded in {@link UnitRepairs}).
 * The returned future always completes.
 */
public interface UnitRunner {

  <T> Future<T> run(UnitSpec spec, Function<Unit, Future<T>> work);

  /** Releases the runner's own connections, if any. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
