package io.stockroom.platform.ratelimit;

import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RateLimiter.Decision;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.support.OwnRedis;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.redis.client.Redis;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limiter against a real redis-server of its own: concurrent requests share calls and get exactly the quota. */
class RateLimiterTest {
  private static OwnRedis own;
  private static Redis redis;
  private static Context context;
  private static RateLimiter limiter;

  @BeforeAll
  static void start() throws Exception {
    own = OwnRedis.start();
    redis = own.redis;
    context = own.context;
    limiter = onContext(() -> Future.succeededFuture(new RateLimiter(redis, 2_000)));
  }

  @AfterAll
  static void stop() throws Exception {
    own.close();
  }

  /** Runs on the limiter's own context, as the HTTP verticle that created it would. */
  private static <T> T onContext(Callable<Future<T>> work) {
    return own.onContext(work);
  }

  private static long scriptCalls() {
    String info = RedisAPI.api(redis).info(List.of("commandstats")).await().toString();
    long calls = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        calls += Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
      }
    }
    return calls;
  }

  @Test
  @DisplayName("300 concurrent requests on a bucket of 40: exactly 40 pass, in arrival order, in far fewer Redis calls")
  void concurrentRequestsShareCalls() {
    List<Bucket> buckets = List.of(new Bucket("tenant", "rl:test:tenant", 1_000, 60), new Bucket("user", "rl:test:user", 40, 3_600));
    long callsBefore = scriptCalls();
    List<Decision> decisions = onContext(() -> {
      List<Future<Decision>> asks = new ArrayList<>();
      for (int i = 0; i < 300; i++) asks.add(limiter.take(buckets, WhenDown.ALLOW));
      return Future.all(asks).map(all -> all.<Decision>list());
    });
    long calls = scriptCalls() - callsBefore;

    assertEquals(40, decisions.stream().filter(Decision::allowed).count(), "the user's 40 tokens, and not one more");
    int firstRefused = decisions.indexOf(decisions.stream().filter(d -> !d.allowed()).findFirst().orElseThrow());
    assertEquals(40, firstRefused, "tokens go in arrival order");
    assertTrue(decisions.subList(40, 300).stream().noneMatch(Decision::allowed), "once the bucket is empty nobody passes");
    Set<Long> remainingSeen = new TreeSet<>();
    decisions.subList(0, 40).forEach(d -> remainingSeen.add(d.remaining().get(d.tightest())));
    assertEquals(40, remainingSeen.size(), "each allowed request reports its own remaining count: " + remainingSeen);
    Decision refused = decisions.get(299);
    assertEquals("user", refused.buckets().get(refused.tightest()).name());
    assertTrue(refused.retryAfterMs() > 0, "a refusal says when to retry");
    assertTrue(calls < 300 / 4, "300 requests shared " + calls + " script calls");

    Decision tenantState = onContext(() -> limiter.take(List.of(buckets.get(0)), WhenDown.ALLOW));
    assertTrue(tenantState.allowed());
    long tenantRemaining = tenantState.remaining().get(0);
    assertTrue(tenantRemaining >= 1_000 - 41 - 1 && tenantRemaining <= 1_000 - 41 + 20,
      "the tenant bucket lost one token per allowed request and none for refused ones: " + tenantRemaining);
  }

  @Test
  @DisplayName("requests on duplicates of the limiter's context (as HTTP requests run) share calls too, and are answered there")
  void duplicatedContexts() {
    List<Bucket> buckets = List.of(new Bucket("user", "rl:test:duplicated", 1_000, 3_600));
    long callsBefore = scriptCalls();
    Promise<List<Boolean>> answeredWhereAsked = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Boolean>> asks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ContextInternal request = ((ContextInternal) context).duplicate();
        Promise<Boolean> asked = Promise.promise();
        request.runOnContext(w -> limiter.take(buckets, WhenDown.ALLOW)
          .onComplete(done -> asked.complete(done.succeeded() && done.result().allowed() && ContextInternal.current() == request)));
        asks.add(asked.future());
      }
      Future.all(asks).map(all -> all.<Boolean>list()).onComplete(answeredWhereAsked);
    });
    List<Boolean> answers = answeredWhereAsked.future().await();
    assertTrue(answers.stream().allMatch(Boolean::booleanValue), "every request allowed and answered on its own context");
    long calls = scriptCalls() - callsBefore;
    assertTrue(calls < 100 / 4, "100 requests shared " + calls + " script calls");
  }

  @Test
  @DisplayName("a Redis that hangs: every waiting request is answered within one command timeout (passed, or refused for sign-in)")
  void hangingRedis() throws Exception {
    RateLimiter impatient = onContext(() -> Future.succeededFuture(new RateLimiter(redis, 400)));
    List<Bucket> buckets = List.of(new Bucket("user", "rl:test:hang", 1_000, 60));
    RedisAPI.api(redis).client(List.of("PAUSE", "2000")).await();
    long started = System.nanoTime();
    List<Future<Decision>> asks = onContext(() -> {
      List<Future<Decision>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) all.add(impatient.take(buckets, i % 2 == 0 ? WhenDown.ALLOW : WhenDown.REFUSE));
      return Future.join(new ArrayList<>(all)).transform(done -> Future.succeededFuture(all));
    });
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    // one timeout, not one per call the waiting requests would have made after it (2 x 400 ms)
    assertTrue(tookMs < 700, "50 requests behind a hung Redis were all answered after " + tookMs + " ms (timeout 400 ms)");
    for (int i = 0; i < 50; i++) {
      Future<Decision> ask = asks.get(i);
      if (i % 2 == 0) {
        assertTrue(ask.succeeded() && ask.result().allowed() && ask.result().unchecked(), "authenticated traffic passes unchecked");
      } else {
        assertTrue(ask.failed(), "sign-in is refused while the limiter cannot ask Redis");
      }
    }
    Thread.sleep(Math.max(0, 2_100 - tookMs));
    assertTrue(onContext(() -> impatient.take(buckets, WhenDown.REFUSE)).allowed(), "back to normal once Redis answers");
  }

  @Test
  @DisplayName("a request alone is answered by its own call, and different buckets never share one")
  void loneRequestsAndSeparateBuckets() {
    long callsBefore = scriptCalls();
    Decision alone = onContext(() -> limiter.take(List.of(new Bucket("address", "rl:test:alone", 2, 60)), WhenDown.REFUSE));
    assertTrue(alone.allowed());
    assertEquals(1L, alone.remaining().get(0));
    assertEquals(1, scriptCalls() - callsBefore);

    List<Decision> twoBuckets = onContext(() -> Future.all(
        limiter.take(List.of(new Bucket("address", "rl:test:a", 1, 60)), WhenDown.ALLOW),
        limiter.take(List.of(new Bucket("address", "rl:test:b", 1, 60)), WhenDown.ALLOW),
        limiter.take(List.of(new Bucket("address", "rl:test:a", 1, 60)), WhenDown.ALLOW))
      .map(all -> all.<Decision>list()));
    assertTrue(twoBuckets.get(0).allowed());
    assertTrue(twoBuckets.get(1).allowed(), "bucket b has its own token");
    assertFalse(twoBuckets.get(2).allowed(), "bucket a had one token");
  }
}
