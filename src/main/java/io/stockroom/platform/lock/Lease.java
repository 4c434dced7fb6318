package io.stockroom.platform.lock;

import io.vertx.core.Future;

/** Locks held for one unit of work. Release exactly once, after the unit finished (committed or rolled back). */
public interface Lease {
  Future<Void> release();
}
