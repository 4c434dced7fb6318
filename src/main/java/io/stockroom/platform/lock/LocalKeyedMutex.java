package io.stockroom.platform.lock;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A FIFO mutex per key for one event loop (not thread-safe: use from a single verticle's context). Requests for a
 * hot key queue here, in arrival order, instead of hammering Redis with retries.
 */
final class LocalKeyedMutex {
  private final Map<String, Queue<Promise<Void>>> waiting = new HashMap<>();

  /** Completes when the caller holds {@code key}; release with {@link #release}. */
  Future<Void> acquire(String key) {
    Queue<Promise<Void>> queue = waiting.get(key);
    if (queue == null) {
      waiting.put(key, new ArrayDeque<>());
      return Future.succeededFuture();
    }
    Promise<Void> turn = Promise.promise();
    queue.add(turn);
    return turn.future();
  }

  /** Abandons a queued request (timed out); harmless when it already holds the key. */
  void release(String key) {
    Queue<Promise<Void>> queue = waiting.get(key);
    if (queue == null) return;
    Promise<Void> next = queue.poll();
    if (next == null) {
      waiting.remove(key);
    } else {
      next.complete();
    }
  }
}
