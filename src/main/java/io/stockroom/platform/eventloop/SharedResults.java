package io.stockroom.platform.eventloop;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/**
 * Results loaded once for several verticles (the contract): a future completed on the loader's context would run a
 * verticle's continuation there, binding its server or consumers to another event loop than its own.
 */
public final class SharedResults {
  private SharedResults() {
  }

  /** {@code shared}, its continuations run on the caller's context. */
  public static <T> Future<T> onCurrentContext(Future<T> shared) {
    Promise<T> here = ContextInternal.current().promise();
    shared.onComplete(here);
    return here.future();
  }
}
