package io.stockroom.tools;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A closed-loop load: {@code workers} callers, each starting its next operation when the previous one ended, for a
 * fixed time. Records each operation's latency and outcome (an operation answers a label, e.g. an HTTP status; a
 * failed future counts as "error (" its exception and message ")", so that a table row says what failed).
 */
public final class ClosedLoop {
  /** What a run measured, and how long the same load ran before it as a warm-up. */
  public record Result(long operations, double perSecond, double p50Ms, double p95Ms, double p99Ms, Map<String, Long> outcomes,
                       double warmupSeconds) {
    public long count(String outcome) {
      return outcomes.getOrDefault(outcome, 0L);
    }

    /** A run of a fixed number of operations, timed as a whole (no latencies). */
    static Result of(long operations, double seconds, Map<String, Long> outcomes) {
      return new Result(operations, operations / seconds, 0, 0, 0, Map.copyOf(outcomes), 0);
    }

    Result afterWarmup(double seconds) {
      return new Result(operations, perSecond, p50Ms, p95Ms, p99Ms, outcomes, seconds);
    }
  }

  private ClosedLoop() {
  }

  /** Runs {@code operation(worker)} in a loop on {@code workers} workers for {@code durationMs}. */
  static Future<Result> run(Vertx vertx, int workers, long durationMs, IntFunction<Future<String>> operation) {
    Latencies latencies = new Latencies();
    AtomicLong recorded = new AtomicLong();
    Map<String, Long> outcomes = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    long deadline = started + durationMs * 1_000_000;
    List<Future<Void>> loops = new ArrayList<>();
    for (int worker = 0; worker < workers; worker++) {
      int id = worker;
      Promise<Void> loop = Promise.promise();
      vertx.runOnContext(v -> next(vertx, id, deadline, operation, latencies, recorded, outcomes, loop));
      loops.add(loop.future());
    }
    return Future.all(loops).map(done -> {
      double seconds = (System.nanoTime() - started) / 1e9;
      long[] sorted = latencies.sorted();
      return new Result(recorded.get(), recorded.get() / seconds, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
        Map.copyOf(outcomes), 0);
    });
  }

  private static void next(Vertx vertx, int worker, long deadline, IntFunction<Future<String>> operation, Latencies latencies, AtomicLong recorded,
                           Map<String, Long> outcomes, Promise<Void> loop) {
    if (System.nanoTime() >= deadline) {
      loop.complete();
      return;
    }
    long sent = System.nanoTime();
    Future<String> pending = operation.apply(worker);
    // An operation that completed at once must not start the next one on the same stack (a long run would overflow it).
    boolean immediate = pending.isComplete();
    pending.onComplete(outcome -> {
      recorded.incrementAndGet();
      latencies.add(System.nanoTime() - sent);
      outcomes.merge(label(outcome), 1L, Long::sum);
      if (immediate) vertx.runOnContext(v -> next(vertx, worker, deadline, operation, latencies, recorded, outcomes, loop));
      else next(vertx, worker, deadline, operation, latencies, recorded, outcomes, loop);
    });
  }

  /** The outcome's label: what the operation answered, or what it failed with. */
  static String label(AsyncResult<String> outcome) {
    if (outcome.succeeded()) return outcome.result();
    Throwable cause = outcome.cause();
    String message = String.valueOf(cause.getMessage());
    return "error (" + cause.getClass().getSimpleName() + ": " + (message.length() > 80 ? message.substring(0, 80) + "..." : message) + ")";
  }

  /**
   * The load generator's client of a service on {@code port} for {@code workers} callers. Idle connections are dropped
   * well before the server's 60 s idle timeout could close one just as it is reused.
   */
  static WebClient httpClient(Vertx vertx, int port, int workers) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true)
        .setKeepAliveTimeout(30),
      new PoolOptions().setHttp1MaxSize(Math.max(16, workers * 2)).setMaxWaitQueueSize(-1));
  }

  /** An HTTP answer's label: its status code. */
  static String status(HttpResponse<Buffer> response) {
    return Integer.toString(response.statusCode());
  }

  /** Latencies in nanoseconds, from any thread. */
  private static final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = nanos;
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private static double percentile(long[] sorted, int percentile) {
    if (sorted.length == 0) return Double.NaN;
    int index = (int) Math.ceil(sorted.length * percentile / 100.0) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
