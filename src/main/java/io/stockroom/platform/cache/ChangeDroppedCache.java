package io.stockroom.platform.cache;

import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A read-through cache of values that rarely change, where a change must show at once: the writer drops the key here
 * and announces it on a cluster-wide address that every instance's cache listens to; no entry is older than its
 * freshness bound, which covers a lost message; and a read that overlapped any change is not kept (it may have read
 * the value from before it). Bounded: past its maximum it starts over.
 *
 * @param <V> the cached value
 */
public final class ChangeDroppedCache<V> {
  private record Entry<V>(V value, long readAt) {
  }

  private final long freshMs;
  private final int maxEntries;
  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();

  public ChangeDroppedCache(long freshMs, int maxEntries) {
    this.freshMs = freshMs;
    this.maxEntries = maxEntries;
  }

  /** Drops a key whenever a message naming it arrives on {@code address}. */
  public ChangeDroppedCache<V> listen(Vertx vertx, String address) {
    vertx.eventBus().<String>consumer(address, changed -> forget(changed.body()));
    return this;
  }

  /** The value kept for {@code key} if it is still fresh, else null. */
  public V fresh(String key) {
    Entry<V> entry = entries.get(key);
    return entry != null && System.currentTimeMillis() - entry.readAt() < freshMs ? entry.value() : null;
  }

  /** A marker to take before reading the source; {@link #keep} keeps what was read only if nothing changed since. */
  public long changes() {
    return changes.get();
  }

  public void keep(String key, V value, long changesBefore, long readAt) {
    if (changes.get() != changesBefore) return;
    if (entries.size() >= maxEntries) entries.clear();
    entries.put(key, new Entry<>(value, readAt));
  }

  public void forget(String key) {
    changes.incrementAndGet();
    entries.remove(key);
  }
}
