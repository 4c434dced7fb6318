package io.stockroom.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events this instance handed on lately ({@link WebhookEvent#key}), the oldest forgotten past {@code capacity}:
 * spares re-reading or re-inserting deliveries when the ledger shows an event again. Forgetting costs only that work
 * (the deliveries' unique key refuses a second one). Confined to the dispatcher's event loop.
 */
final class HandedOnMemory {
  private final Map<String, Boolean> keys;

  HandedOnMemory(int capacity) {
    this.keys = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  boolean contains(String key) {
    return keys.containsKey(key);
  }

  void add(String key) {
    keys.put(key, Boolean.TRUE);
  }
}
