package io.stockroom.platform.unit;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
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

  /**
   * Whether the documents (ids by collection, all of tenant {@code tenantId}) carry only writes of units that finished (committed, or undone), so
   * that work may build on what was read of them. A runner whose unfinished writes nobody else can see (transactions)
   * answers true at once.
   */
  default Future<Boolean> writersFinished(String tenantId, Map<String, List<String>> idsByCollection) {
    return Future.succeededFuture(true);
  }

  /** Releases the runner's own connections, if any. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
