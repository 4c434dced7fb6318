package io.stockroom.tools;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The soak scenario (issue 28): the service started by README's command ({@link TrialService}) under a mixed load for
 * a long time, one tenant of {@code --variants} variants and {@code --connections} closed-loop callers: a third
 * single-line orders, a third variant reads, a sixth order lists, a sixth dashboards. Reports each minute's answers,
 * latencies, resident memory and heap; then the invariant check (audit clean, stock moved by exactly the accepted
 * orders, every accepted order listed) and a restart check (SIGTERM, the same command on the same data: the orders and
 * a clean audit are still there).
 *
 * <pre>java -cp target/stockroom.jar:target/stockroom-tools.jar io.stockroom.tools.Soak --minutes 30 [--connections 16] [--variants 50] [--stores embedded|external] [--check]</pre>
 * A run shorter than two minutes ({@code --seconds 24}, a smoke) is cut into four intervals instead of minutes.
 * {@code --check} exits 1 unless the last interval's 2xx/s is at least 80 % of the second's, resident memory stayed at
 * most 400 MB, nothing answered 5xx, the invariant check passed and the restart kept every order.
 */
public final class Soak {
  private static final String TIMEOUT = "timeout";
  static final double MIN_LAST_TO_SECOND = 0.80;
  static final long MAX_RESIDENT_MB = 400;
  private static final int ORDER_PAGE = 200;
  private static final int REPLAY_TRIES = 5;

  /** Which stores the service uses: its own embedded ones, or those the harness's environment names (dev-stores). */
  public enum Stores {
    EMBEDDED, EXTERNAL
  }

  /** What to run; {@code seconds} is the load's whole length. */
  public record Options(int seconds, int connections, int variants, boolean check, Stores stores) {
    static Options parse(String[] args) {
      Map<String, String> flags = Flags.parse(args);
      int minutes = Integer.parseInt(flags.getOrDefault("minutes", "30"));
      return new Options(Integer.parseInt(flags.getOrDefault("seconds", Integer.toString(minutes * 60))),
        Integer.parseInt(flags.getOrDefault("connections", "16")), Integer.parseInt(flags.getOrDefault("variants", "50")),
        Boolean.parseBoolean(flags.getOrDefault("check", "false")),
        Stores.valueOf(flags.getOrDefault("stores", "embedded").toUpperCase(java.util.Locale.ROOT)));
    }

    /** Minutes; a run under two minutes in four intervals, so that it still has a second and a last one. */
    int intervalSeconds() {
      return seconds >= 120 ? 60 : Math.max(1, seconds / 4);
    }

    int intervals() {
      return Math.max(2, seconds / intervalSeconds());
    }
  }

  /** One interval of the load and the service's memory at its end ({@code heap} null when jstat could not read it). */
  public record Interval(int number, int seconds, ClosedLoop.Result load, long residentMb, HeapGauge.Sample heap) {
    public double successesPerSecond() {
      return load.operations() == 0 ? 0 : count(outcome -> outcome.startsWith("2")) * load.perSecond() / load.operations();
    }

    public long tooManyRequests() {
      return count(outcome -> outcome.equals("429"));
    }

    public long otherClientErrors() {
      return count(outcome -> outcome.startsWith("4") && !outcome.equals("429"));
    }

    public long serverErrors() {
      return count(outcome -> outcome.startsWith("5"));
    }

    public long timeouts() {
      return count(outcome -> outcome.equals(TIMEOUT));
    }

    /** Requests that failed without an answer other than a timeout (connection refused or reset). */
    public long failures() {
      return count(outcome -> outcome.startsWith("error"));
    }

    private long count(Predicate<String> outcome) {
      return load.outcomes().entrySet().stream().filter(e -> outcome.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }
  }

  /** After SIGTERM and the same command again: the orders listed before and after, or why the check failed. */
  public record Restart(long readyMs, long ordersBefore, long ordersAfter, String failure) {
    public boolean kept() {
      return failure == null && ordersAfter == ordersBefore;
    }
  }

  /** The whole run; {@code invariantFailure} is null when the check at the end passed. */
  public record Report(Options options, long readyMs, List<Interval> intervals, long ordersAccepted, String invariantFailure,
                       Restart restart) {
    /** The last interval's 2xx/s over the second's (the first still warms the JIT up). */
    public double lastToSecond() {
      return intervals.get(intervals.size() - 1).successesPerSecond() / intervals.get(1).successesPerSecond();
    }

    public long maxResidentMb() {
      return intervals.stream().mapToLong(Interval::residentMb).max().orElse(-1);
    }

    public long serverErrors() {
      return intervals.stream().mapToLong(Interval::serverErrors).sum();
    }

    public boolean met() {
      return lastToSecond() >= MIN_LAST_TO_SECOND && maxResidentMb() <= MAX_RESIDENT_MB && serverErrors() == 0 && invariantFailure == null
        && restart.kept();
    }
  }

  private final Options options;
  private final Vertx vertx = Vertx.vertx();
  /** Orders that timed out, by Idempotency-Key: each may or may not have been placed until it is sent again. */
  private final Map<String, String> unanswered = new ConcurrentHashMap<>();

  private Soak(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Report report = run(options);
    System.out.println(SoakTable.of(report));
    System.exit(options.check() && !report.met() ? 1 : 0);
  }

  public static Report run(Options options) throws Exception {
    Soak soak = new Soak(options);
    try {
      return soak.runOnce();
    } finally {
      soak.vertx.close().await();
    }
  }

  private Report runOnce() throws Exception {
    TrialService service = TrialService.start(vertx, options.stores(), options.connections());
    boolean passed = false;  // the log and data are kept for a look when a target was missed or the run broke off
    try {
      System.out.printf("soak: %s, %s, ready in %d ms; rate limits raised through the environment to %s "
          + "(tenant/s, user/s, address/min); %d connections, %d variants, %d x %d s%n", String.join(" ", ServiceLauncher.command()),
        service.describeStores(), service.readyMs(),
        ServiceLauncher.RAISED_RATE_LIMIT, options.connections(), options.variants(), options.intervals(), options.intervalSeconds());
      long readyMs = service.readyMs();
      String email = "soak-" + UUID.randomUUID() + "@bench.test";
      Tenant tenant = Tenant.signUp(service.http(), "Soak", options.variants(), email);
      List<Interval> intervals = load(tenant, email, service);
      tenant = tenant.logInAgain(service.http(), email);  // the first token may have expired during the load
      long accepted = intervals.stream().mapToLong(interval -> interval.load().count("201")).sum() + placeUnanswered(tenant);
      String invariantFailure = checkInvariants(tenant, accepted);
      Restart restart = restart(service, tenant, email, accepted);
      Report report = new Report(options, readyMs, intervals, accepted, invariantFailure, restart);
      passed = report.met();
      return report;
    } finally {
      service.close();
      if (passed) service.deleteFiles();
      else System.out.println("soak: the service's data and log are kept in " + service.log().getParent());
    }
  }

  /**
   * The intervals back to back; each one's memory is read while the next one's load already runs. Each interval
   * signs in afresh, as a client would refresh: an access token lives 15 minutes, a soak longer.
   */
  private List<Interval> load(Tenant tenant, String email, TrialService service) {
    long intervalMs = options.intervalSeconds() * 1_000L;
    List<Interval> intervals = new ArrayList<>();
    System.out.println(SoakTable.HEADER);
    Future<ClosedLoop.Result> running = ClosedLoop.run(vertx, options.connections(), intervalMs, worker -> mixed(tenant));
    for (int number = 1; number <= options.intervals(); number++) {
      ClosedLoop.Result result = running.await();
      if (number < options.intervals()) {
        Tenant signedIn = tenant.logInAgain(service.http(), email);
        running = ClosedLoop.run(vertx, options.connections(), intervalMs, worker -> mixed(signedIn));
      }
      Interval interval = new Interval(number, options.intervalSeconds(), result, ServiceLauncher.residentMb(service.pid()),
        HeapGauge.sample(service.pid()));
      intervals.add(interval);
      System.out.println(SoakTable.row(interval));
    }
    return intervals;
  }

  private Future<String> mixed(Tenant tenant) {
    int roll = ThreadLocalRandom.current().nextInt(6);
    Future<String> answer;
    if (roll < 2) answer = order(tenant);
    else if (roll < 4) answer = tenant.get("/api/v1/variants/" + tenant.randomVariant());
    else if (roll == 4) answer = tenant.get("/api/v1/orders?limit=20");
    else answer = tenant.get("/api/v1/dashboard");
    return answer.recover(failure -> failure instanceof TimeoutException ? Future.succeededFuture(TIMEOUT) : Future.failedFuture(failure));
  }

  private Future<String> order(Tenant tenant) {
    String key = UUID.randomUUID().toString();
    String variant = tenant.randomVariant();
    return tenant.order(variant, key).onFailure(failure -> {
      if (failure instanceof TimeoutException) unanswered.put(key, variant);
    });
  }

  /**
   * Sends each timed-out order again with its key: the service replays the order it placed, or places it now, so that
   * every order is known to be accepted or not. Answers how many were accepted.
   */
  private long placeUnanswered(Tenant tenant) throws InterruptedException {
    long accepted = 0;
    for (Map.Entry<String, String> order : unanswered.entrySet()) {
      String status = TIMEOUT;
      for (int attempt = 0; attempt < REPLAY_TRIES && !settled(status); attempt++) {
        if (attempt > 0) Thread.sleep(1_000);
        status = tenant.order(order.getValue(), order.getKey())
          .recover(failure -> Future.succeededFuture(failure instanceof TimeoutException ? TIMEOUT : ClosedLoop.label(Future.failedFuture(failure))))
          .await();
      }
      if (status.equals("201")) accepted++;
      else System.out.println("soak: a timed-out order, sent again, answered " + status);
    }
    return accepted;
  }

  /** Placed, or refused for good; a 409 is the first request with that key still in progress. */
  private static boolean settled(String status) {
    return status.equals("201") || status.startsWith("4") && !status.equals("409");
  }

  /** Null when the audit is clean, the stock moved by exactly the accepted orders and the tenant lists them all. */
  private static String checkInvariants(Tenant tenant, long accepted) {
    try {
      tenant.assertInvariants(accepted);
      long listed = countOrders(tenant);
      return listed == accepted ? null : "orders listed " + listed + ", accepted " + accepted;
    } catch (Exception failed) {  // await() rethrows a timeout as it is, a checked exception
      return String.valueOf(failed.getMessage());
    }
  }

  private Restart restart(TrialService service, Tenant tenant, String email, long accepted) {
    long before = -1;
    try {
      before = countOrders(tenant);
      service.restart();
      Tenant again = tenant.logInAgain(service.http(), email);
      long after = countOrders(again);
      again.assertInvariants(accepted);
      return new Restart(service.readyMs(), before, after, after == before ? null : "orders listed after the restart " + after + ", before " + before);
    } catch (Exception failed) {
      return new Restart(service.readyMs(), before, -1, String.valueOf(failed.getMessage()));
    }
  }

  /** Every order of the tenant, counted page by page. */
  static long countOrders(Tenant tenant) {
    long count = 0;
    String cursor = null;
    do {
      String path = "/api/v1/orders?limit=" + ORDER_PAGE + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonObject page = tenant.getJson(path);
      count += page.getJsonArray("items").size();
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return count;
  }
}
