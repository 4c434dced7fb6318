package io.stockroom.platform.unit;

import io.vertx.core.Future;

import java.util.function.Function;

/**
 * Runs a unit of work so that either all of its writes are visible afterwards or none are.
 * Failure modes: the work's own {@code ServiceError} (after everything was undone); UNAVAILABLE when an unexpected
 * failure aborted the unit and it was rolled back; INTERNAL when a rollback itself failed (logged for repair).
 */
public interface UnitRunner {

  /** @param name names the unit in logs and failpoints, e.g. {@code order.place} */
  <T> Future<T> run(String name, String tenantId, Function<Unit, Future<T>> work);

  /** Releases the runner's own connections, if any. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
