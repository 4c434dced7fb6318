package io.stockroom.platform.lock;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A FIFO mutex per key for one verticle's context (not thread-safe). Requests for a hot key wait in line here instead
 * of hammering Redis with retries. The line is bounded: past {@code maxWaiters} a request is refused at once. A waiter
 * whose time runs out leaves the line, and a release hands the key to the next waiter still waiting, in a loop.
 */
final class LocalKeyedMutex {
  private final Vertx vertx;
  private final int maxWaiters;
  private final Map<String, ArrayDeque<Waiter>> lines = new HashMap<>();

  private static final class Waiter {
    final Promise<Void> turn = Promise.promise();
    long timer;
  }

  /** Why a request did not get the key. */
  enum Refusal { LINE_FULL, TIMED_OUT }

  static final class Refused extends RuntimeException {
    final Refusal reason;

    Refused(Refusal reason) {
      super(reason.name(), null, false, false);
      this.reason = reason;
    }
  }

  LocalKeyedMutex(Vertx vertx, int maxWaiters) {
    this.vertx = vertx;
    this.maxWaiters = maxWaiters;
  }

  /** Completes when the caller holds {@code key}; fails with {@link Refused} when the line is full or time runs out. */
  Future<Void> acquire(String key, long timeoutMs) {
    ArrayDeque<Waiter> line = lines.get(key);
    if (line == null) {
      lines.put(key, new ArrayDeque<>());
      return Future.succeededFuture();
    }
    if (line.size() >= maxWaiters) return Future.failedFuture(new Refused(Refusal.LINE_FULL));
    Waiter waiter = new Waiter();
    line.addLast(waiter);
    waiter.timer = vertx.setTimer(Math.max(1, timeoutMs), id -> {
      if (waiter.turn.tryFail(new Refused(Refusal.TIMED_OUT))) line.remove(waiter);
    });
    return waiter.turn.future();
  }

  /** Hands the key to the next waiter still waiting, or frees it. */
  void release(String key) {
    ArrayDeque<Waiter> line = lines.get(key);
    if (line == null) return;
    Waiter next;
    while ((next = line.pollFirst()) != null) {
      vertx.cancelTimer(next.timer);
      if (next.turn.tryComplete()) return;
    }
    lines.remove(key);
  }

  /** Keys held or waited for (for tests and metrics). */
  int activeKeys() {
    return lines.size();
  }
}
