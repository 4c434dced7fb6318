package io.stockroom.platform.ratelimit;

import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RateLimiter.Decision;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.support.OnContext;
import io.stockroom.support.OwnRedis;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.internal.VertxInternal;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limiters that lease tokens, against a real redis-server of their own: the overshoot stays within one lease per
 * limiter, unused tokens go back, and most requests cost no Redis call. Each limiter lives on an event loop of its own,
 * as each HTTP verticle's does.
 */
class RateLimiterLeasesTest {
  private static OwnRedis own;
  private static RedisAPI redis;

  @BeforeAll
  static void start() throws Exception {
    own = OwnRedis.start();
    redis = RedisAPI.api(own.redis);
  }

  @AfterAll
  static void stop() throws Exception {
    own.close();
  }

  /** A new event-loop context: two of them stand for two HTTP verticles (or two instances) sharing one Redis. */
  private static Context newLoop() {
    return ((VertxInternal) own.vertx).createEventLoopContext();
  }

  private static RateLimiter limiterOn(Context context, Leasing leasing, long timeoutMs) {
    return OnContext.await(context, () -> Future.succeededFuture(new RateLimiter(own.vertx, own.redis, timeoutMs, leasing)));
  }

  private static <T> T on(Context context, Callable<Future<T>> work) {
    return OnContext.await(context, work);
  }

  private static long scriptCalls() {
    String info = redis.info(List.of("commandstats")).await().toString();
    long calls = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        calls += Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
      }
    }
    return calls;
  }

  /** The bucket's level in Redis now, refill included (its quota when it has no key: full). */
  private static double level(Bucket bucket) {
    var state = redis.hmget(List.of(bucket.key(), "tokens", "at")).await();
    if (state.get(0) == null) return bucket.quota();
    var clock = redis.time().await();
    long now = clock.get(0).toLong() * 1000 + clock.get(1).toLong() / 1000;
    double refill = Math.max(0, now - Double.parseDouble(state.get(1).toString())) * bucket.quota() / (bucket.windowSeconds() * 1000.0);
    return Math.min(bucket.quota(), Double.parseDouble(state.get(0).toString()) + refill);
  }

  /** {@code waves} waves of {@code perWave} concurrent requests, {@code gapMs} apart, on the limiter's own loop. */
  private static Future<List<Decision>> flood(Context context, RateLimiter limiter, List<Bucket> buckets, int waves, int perWave,
                                              long gapMs) {
    io.vertx.core.Promise<List<Decision>> all = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      List<Future<Decision>> asks = new ArrayList<>();
      List<Future<Void>> sent = new ArrayList<>();
      for (int wave = 0; wave < waves; wave++) {
        io.vertx.core.Promise<Void> waveSent = io.vertx.core.Promise.promise();
        sent.add(waveSent.future());
        own.vertx.setTimer(1 + wave * gapMs, id -> {
          for (int i = 0; i < perWave; i++) asks.add(limiter.take(buckets, WhenDown.ALLOW));
          waveSent.complete();
        });
      }
      Future.all(sent).compose(s -> Future.all(new ArrayList<>(asks))).map(done -> done.<Decision>list()).onComplete(all);
    });
    return all.future();
  }

  private static long allowed(List<Decision> decisions) {
    return decisions.stream().filter(Decision::allowed).count();
  }

  @Test
  @DisplayName("two limiters on two loops, both holding a lease when a flood starts: never more than quota + refill + 2 leases pass")
  void overshootIsAtMostOneLeasePerLimiter() {
    Bucket bucket = new Bucket("user", "rl:leases:bound", 100, 2);  // 50 tokens a second
    Leasing leasing = new Leasing(10, 100, 60_000);  // leases of 10 tokens that stay for the whole test
    long lease = leasing.size(bucket);
    Context first = newLoop();
    Context second = newLoop();
    RateLimiter a = limiterOn(first, leasing, 2_000);
    RateLimiter b = limiterOn(second, leasing, 2_000);

    // each takes a lease and spends one token of it; then Redis refills while both still hold the rest
    assertTrue(on(first, () -> a.take(List.of(bucket), WhenDown.ALLOW)).allowed());
    assertTrue(on(second, () -> b.take(List.of(bucket), WhenDown.ALLOW)).allowed());
    sleep(600);
    assertEquals(100.0, level(bucket), 0.001, "Redis is full again, while each limiter holds 9 tokens");

    long started = System.nanoTime();
    Future<List<Decision>> throughA = flood(first, a, List.of(bucket), 10, 40, 50);
    Future<List<Decision>> throughB = flood(second, b, List.of(bucket), 10, 40, 50);
    long passed = allowed(throughA.await()) + allowed(throughB.await());
    double elapsedSeconds = (System.nanoTime() - started) / 1e9;

    // Redis's own clock spans at most the local one: its refill is at most rate x elapsed
    long bound = bucket.quota() + 2 * lease + (long) Math.ceil(50 * elapsedSeconds);
    System.out.printf("Leases: %d of 800 requests passed in %.2f s through two limiters; bound quota + refill + 2 x %d = %d%n",
      passed, elapsedSeconds, lease, bound);
    assertTrue(passed <= bound, passed + " passed, more than quota + refill + one lease per limiter (" + bound + ")");
    assertTrue(passed >= bucket.quota(), "the whole bucket was usable: " + passed);
    on(first, a::close);
    on(second, b::close);
  }

  @Test
  @DisplayName("tokens a limiter leased and did not spend go back when its lease expires and at close: the others are not starved")
  void unusedTokensGoBack() {
    Bucket bucket = new Bucket("user", "rl:leases:back", 100, 3_600);  // practically no refill during the test
    Leasing leasing = new Leasing(10, 100, 300);
    Context first = newLoop();
    Context second = newLoop();
    RateLimiter idle = limiterOn(first, leasing, 2_000);
    RateLimiter busy = limiterOn(second, leasing, 2_000);

    assertTrue(on(first, () -> idle.take(List.of(bucket), WhenDown.ALLOW)).allowed(), "takes a lease of 10, spends 1");
    long firstFlood = allowed(flood(second, busy, List.of(bucket), 1, 200, 0).await());
    assertEquals(90, firstFlood, "the other limiter gets what Redis has: 100 - the idle lease");

    sleep(700);  // past the idle limiter's lease window: its 9 unused tokens went back to Redis
    long secondFlood = allowed(flood(second, busy, List.of(bucket), 1, 200, 0).await());
    assertEquals(9, secondFlood, "the idle limiter's unused tokens came back");

    Bucket another = new Bucket("user", "rl:leases:close", 100, 3_600);
    RateLimiter closing = limiterOn(first, new Leasing(10, 100, 60_000), 2_000);
    assertTrue(on(first, () -> closing.take(List.of(another), WhenDown.ALLOW)).allowed());
    assertEquals(90.0, level(another), 0.1, "a lease of 10 taken");
    on(first, closing::close);
    assertEquals(99.0, level(another), 0.1, "close sent the 9 unspent tokens back");
    on(first, idle::close);
    on(second, busy::close);
  }

  @Test
  @DisplayName("300 concurrent requests on a bucket of 40: exactly 40 pass, in arrival order, each told its own remaining count; "
    + "the tenant tokens of the refused ones are released, not spent")
  void concurrentRequestsGetExactlyTheBucket() {
    Context loop = newLoop();
    RateLimiter limiter = limiterOn(loop, new Leasing(10, 100, 60_000), 2_000);
    List<Bucket> buckets = List.of(new Bucket("tenant", "rl:leases:tenant", 1_000, 60), new Bucket("user", "rl:leases:user", 40, 3_600));
    long callsBefore = scriptCalls();
    long started = System.nanoTime();
    List<Decision> decisions = on(loop, () -> {
      List<Future<Decision>> asks = new ArrayList<>();
      for (int i = 0; i < 300; i++) asks.add(limiter.take(buckets, WhenDown.ALLOW));
      return Future.all(asks).map(all -> all.<Decision>list());
    });
    long calls = scriptCalls() - callsBefore;

    assertEquals(40, decisions.stream().filter(Decision::allowed).count(), "the user's 40 tokens, and not one more");
    assertEquals(40, decisions.indexOf(decisions.stream().filter(d -> !d.allowed()).findFirst().orElseThrow()), "in arrival order");
    Set<Long> remainingSeen = new TreeSet<>();
    decisions.subList(0, 40).forEach(d -> remainingSeen.add(d.remaining().get(d.tightest())));
    assertEquals(40, remainingSeen.size(), "each allowed request reports its own remaining count: " + remainingSeen);
    Decision refused = decisions.get(299);
    assertEquals("user", refused.buckets().get(refused.tightest()).name());
    assertTrue(refused.retryAfterMs() > 0, "a refusal says when to retry");
    assertTrue(calls < 300 / 4, "300 requests took " + calls + " script calls");

    // what the limiter still holds depends on when its lease was last topped up; closing sends all of it back
    on(loop, limiter::close);
    double level = level(buckets.get(0));
    // the bucket refills 1,000 tokens a minute: what came back while the test ran (a slow machine) is not a leak
    double refilled = (System.nanoTime() - started) / 1e9 * 1_000 / 60;
    assertTrue(level >= 960 - 1 && level <= 960 + refilled + 1, "Redis lost the 40 spent tenant tokens and nothing for the "
      + "260 refused requests: " + level + " tokens left, 960 expected, " + Math.round(refilled) + " refilled meanwhile");
  }

  @Test
  @DisplayName("closing while a top-up is out: the tokens it brings go back too, only the one spent stays taken")
  void closingWaitsForTheTopUpOut() {
    Context loop = newLoop();
    RateLimiter limiter = limiterOn(loop, new Leasing(10, 100, 60_000), 2_000);
    Bucket bucket = new Bucket("tenant", "rl:leases:closing", 1_000, 3_600);
    // Redis holds every command for 300 ms: the lease's top-up is still out when the limiter closes
    redis.client(List.of("PAUSE", "300")).await();
    List<Object> outcome = on(loop, () -> {
      Future<Decision> take = limiter.take(List.of(bucket), WhenDown.ALLOW);
      Future<Void> closed = limiter.close();
      return Future.all(take, closed).map(both -> List.of(take.result(), closed.succeeded()));
    });
    assertTrue(((Decision) outcome.get(0)).allowed(), "the request that was waiting for the top-up: " + outcome);
    double level = level(bucket);
    assertTrue(level >= 999 && level < 999.5, "one token spent and the rest of the lease sent back: " + level + " left, 999 expected");
  }

  @Test
  @DisplayName("a busy bucket costs one Redis call per lease, not per request")
  void mostRequestsCostNoCall() {
    Context loop = newLoop();
    RateLimiter limiter = limiterOn(loop, new Leasing(10, 100, 60_000), 2_000);
    List<Bucket> buckets = List.of(new Bucket("tenant", "rl:leases:busy-tenant", 10_000, 1), new Bucket("user", "rl:leases:busy-user", 5_000, 1));
    long callsBefore = scriptCalls();
    for (int round = 0; round < 20; round++) {
      List<Decision> decisions = on(loop, () -> {
        List<Future<Decision>> asks = new ArrayList<>();
        for (int i = 0; i < 100; i++) asks.add(limiter.take(buckets, WhenDown.ALLOW));
        return Future.all(asks).map(all -> all.<Decision>list());
      });
      assertTrue(decisions.stream().allMatch(Decision::allowed));
    }
    long calls = scriptCalls() - callsBefore;
    // 2,000 requests: leases of 1,000 (tenant) and 500 (user) tokens
    assertTrue(calls <= 8, "2,000 requests took " + calls + " script calls");
    on(loop, limiter::close);
  }

  @Test
  @DisplayName("at most leaseKeys buckets keep a lease; an evicted lease sends its unspent tokens back")
  void boundedLeases() {
    Context loop = newLoop();
    RateLimiter limiter = limiterOn(loop, new Leasing(10, 3, 60_000), 2_000);
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < 5; i++) buckets.add(new Bucket("address", "rl:leases:evict-" + i, 100, 3_600));
    for (Bucket bucket : buckets) assertTrue(on(loop, () -> limiter.take(List.of(bucket), WhenDown.ALLOW)).allowed());
    sleep(200);
    assertEquals(99.0, level(buckets.get(0)), 0.1, "evicted: 1 spent, 9 back");
    assertEquals(99.0, level(buckets.get(1)), 0.1, "evicted: 1 spent, 9 back");
    for (Bucket kept : buckets.subList(2, 5)) assertEquals(90.0, level(kept), 0.1, "still leased");
    on(loop, limiter::close);
  }

  @Test
  @DisplayName("a Redis that hangs: requests without a held token pass unchecked within one command timeout")
  void hangingRedis() {
    Context loop = newLoop();
    RateLimiter impatient = limiterOn(loop, new Leasing(10, 100, 60_000), 400);
    List<Bucket> buckets = List.of(new Bucket("user", "rl:leases:hang", 1_000, 60));
    redis.client(List.of("PAUSE", "1500")).await();
    long started = System.nanoTime();
    List<Decision> decisions = on(loop, () -> {
      List<Future<Decision>> asks = new ArrayList<>();
      for (int i = 0; i < 50; i++) asks.add(impatient.take(buckets, WhenDown.ALLOW));
      return Future.all(asks).map(all -> all.<Decision>list());
    });
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs < 700, "50 requests behind a hung Redis were all answered after " + tookMs + " ms (timeout 400 ms)");
    assertTrue(decisions.stream().allMatch(d -> d.allowed() && d.unchecked()), "authenticated traffic passes unchecked");
    sleep(1_600);
    assertTrue(on(loop, () -> impatient.take(buckets, WhenDown.ALLOW)).allowed(), "back to normal once Redis answers");
    on(loop, impatient::close);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
