package io.stockroom.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stockroom's own meters, beside the Vert.x ones (HTTP server, event bus, pools, JVM), in the Prometheus registry
 * scraped at {@code /metrics}. Without metrics ({@code metrics.enabled=false}) they go to Micrometer's global
 * registry, which records nothing unless something is added to it. Features name their own meters through
 * {@link #count} and {@link #record}.
 */
public final class Meters {
  private static final AtomicInteger BRIDGE_SOCKETS = new AtomicInteger();

  private Meters() {
  }

  /** Vert.x options with Micrometer metrics (Prometheus, JVM) when enabled. */
  public static VertxOptions vertxOptions(boolean enabled) {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(enabled).setJvmMetricsEnabled(enabled)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(enabled)));
  }

  public static boolean enabled() {
    return BackendRegistries.getDefaultNow() != null;
  }

  private static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : Metrics.globalRegistry;
  }

  private static Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry());
  }

  /** Counts one more of a feature's own events ({@code stockroom.orders.placed}). */
  public static void count(String name, String description) {
    counter(name, description).increment();
  }

  /** Records one value of a feature's own distribution ({@code stockroom.orders.batch}). */
  public static void record(String name, String description, double value) {
    DistributionSummary.builder(name).description(description).register(registry()).record(value);
  }

  public static void idempotentReplay() { counter("stockroom.idempotency.replays", "Requests answered from a stored Idempotency-Key answer").increment(); }
  public static void unitRetried() { counter("stockroom.units.retries", "Units of work retried after a transient transaction error").increment(); }
  public static void unitCompensated() { counter("stockroom.units.compensations", "Units of work undone after a failure").increment(); }
  public static void unitNeedsRepair() { counter("stockroom.units.repairs.recorded", "Units whose undo could not finish").increment(); }
  public static void unitRecovered() { counter("stockroom.units.recovered", "Units of dead instances rolled back or settled").increment(); }
  public static void unitRepaired() { counter("stockroom.units.repairs.completed", "Recorded units repaired in the background").increment(); }

  public static void rateLimited(String limit) {
    Counter.builder("stockroom.ratelimit.refused").description("Requests refused with 429 by a rate limit").tag("limit", limit)
      .register(registry()).increment();
  }

  /** The rate limiter could not reach Redis; {@code outcome}: the request was allowed (fail open) or refused (fail closed). */
  public static void rateLimiterUnavailable(String outcome) {
    Counter.builder("stockroom.ratelimit.unavailable").description("Requests the rate limiter could not check (Redis down)")
      .tag("outcome", outcome).register(registry()).increment();
  }

  public static void loginThrottled(String reason) {
    Counter.builder("stockroom.auth.throttled").description("Logins refused or delayed by the failed-login throttle")
      .tag("reason", reason).register(registry()).increment();
  }

  public static void lockWaited(long nanos) {
    Timer.builder("stockroom.lock.wait").description("Time to take a unit's locks").register(registry())
      .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Open live-stock bridge sockets, up (+1) or down (−1). */
  public static void bridgeSockets(int delta) {
    if (BRIDGE_SOCKETS.getAndAdd(delta) == 0 && delta > 0) {
      io.micrometer.core.instrument.Gauge.builder("stockroom.bridge.sockets", BRIDGE_SOCKETS, AtomicInteger::get)
        .description("Open live-stock bridge sockets").register(registry());
    }
  }
}
