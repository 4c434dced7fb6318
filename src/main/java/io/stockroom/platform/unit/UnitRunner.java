package io.stockroom.platform.unit;

import io.vertx.core.Future;

import java.util.List;
import java.util.function.Function;

/**
 * Runs a unit of work so that either all of its writes are visible afterwards or none are.
 * Failure modes: the work's own {@code ServiceError} (after everything was undone); UNAVAILABLE when an unexpected
 * failure aborted the unit and it was rolled back; OUTCOME_UNKNOWN when it cannot be known whether the unit committed
 * (retry with the same Idempotency-Key); INTERNAL when a rollback could not finish (recorded in {@link UnitRepairs}).
 * The returned future always completes.
 */
public interface UnitRunner {

  /**
   * @param name     names the unit in logs and failpoints, e.g. {@code order.place}
   * @param subjects the variants the unit may change (named in the repair journal if its undo cannot finish)
   */
  <T> Future<T> run(String name, String tenantId, List<String> subjects, Function<Unit, Future<T>> work);

  /** Releases the runner's own connections, if any. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
