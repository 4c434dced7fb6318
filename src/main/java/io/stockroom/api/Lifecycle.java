package io.stockroom.api;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's serving state, shared by its HTTP verticles: how many requests are in flight, and whether it is
 * draining (shutting down: readiness DOWN, new requests refused with 503, accepted ones allowed to finish).
 */
public final class Lifecycle implements Shareable {
  private static final String MAP = "stockroom.lifecycle";

  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();

  public static Lifecycle of(Vertx vertx) {
    return vertx.sharedData().<String, Lifecycle>getLocalMap(MAP).computeIfAbsent("instance", k -> new Lifecycle());
  }

  public boolean draining() {
    return draining.get();
  }

  /** A request was accepted; {@link #finished} when its response ended or its connection closed. */
  void accepted() {
    inFlight.incrementAndGet();
  }

  void finished() {
    inFlight.decrementAndGet();
  }

  /**
   * Stops accepting work and waits (blocking; call from a shutdown hook) until the accepted requests finished or
   * {@code maxWaitMs} passed. @return the requests still in flight
   */
  public int drain(long maxWaitMs) throws InterruptedException {
    draining.set(true);
    long deadline = System.currentTimeMillis() + maxWaitMs;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
    return inFlight.get();
  }
}
