package io.stockroom.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits from the test thread for asynchronous work to show: a probe is read again every {@link #POLL} until it is
 * done or the time is up. The one polling loop of the tests; callers assert on what it answers.
 */
public final class Eventually {
  private static final Duration POLL = Duration.ofMillis(50);

  private Eventually() {
  }

  /** The probe's first value that is done, or its last value once {@code within} has passed. */
  public static <T> T value(Duration within, Supplier<T> probe, Predicate<? super T> done) {
    return value(within, POLL, probe, done);
  }

  /**
   * {@link #value(Duration, Supplier, Predicate)}, reading the probe every {@code every}: for probes that are requests,
   * which draw on rate limits and load the service as often as they are sent.
   */
  public static <T> T value(Duration within, Duration every, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + within.toNanos();
    T value = probe.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(every.toNanos());
      value = probe.get();
    }
    return value;
  }

  /** Whether the condition held within the time. */
  public static boolean holds(Duration within, BooleanSupplier condition) {
    return value(within, condition::getAsBoolean, Boolean::booleanValue);
  }

  /** Fails the test unless the condition holds within the time. */
  public static void until(String what, Duration within, BooleanSupplier condition) {
    if (!holds(within, condition)) throw new AssertionError("timed out after " + within.toMillis() + " ms waiting for " + what);
  }
}
