package io.stockroom.platform.eventloop;

import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/**
 * State kept by one verticle and touched only on its event loop: created on the verticle's context, it tells whether
 * the caller runs there (requests run on duplicates of that context, which count as the same) and hands work back to
 * it. Outside any context (a plain thread) nothing is confined and {@link #isHere()} is false.
 */
public final class Confinement {
  private final ContextInternal owner;

  private Confinement(ContextInternal owner) {
    this.owner = owner;
  }

  /** Confined to the context the caller runs on. */
  public static Confinement toCurrent() {
    ContextInternal current = ContextInternal.current();
    return new Confinement(current == null ? null : current.unwrap());
  }

  public boolean isHere() {
    ContextInternal current = ContextInternal.current();
    return owner != null && current != null && current.unwrap() == owner;
  }

  /** Runs {@code work} on the owner's event loop, later (never on the caller's stack). */
  public void later(Runnable work) {
    owner.runOnContext(v -> work.run());
  }

  /** A promise whose callbacks run on the caller's own context (its duplicate included, with its request data). */
  public static <T> Promise<T> promiseForCaller() {
    ContextInternal current = ContextInternal.current();
    return current == null ? Promise.promise() : current.promise();
  }
}
