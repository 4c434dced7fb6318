package io.stockroom.platform.ratelimit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.eventloop.SharedCalls;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Token buckets kept in Redis, so a limit holds across every instance. One request takes one token from each of its
 * buckets in one atomic script, or from none of them: a refused request costs no bucket anything. Concurrent requests
 * for the same buckets share calls (see {@link #take}). Time is Redis's own
 * clock ({@code TIME}), so instances with skewed clocks agree. An idle bucket expires once it would be full again.
 *
 * <p>When Redis does not answer within the command timeout the caller chooses: {@link WhenDown#ALLOW} (authenticated
 * traffic keeps working) or {@link WhenDown#REFUSE} (login and sign-up, where an open door invites guessing); either
 * way it is logged (at most once a minute) and counted.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final long LOG_EVERY_MS = 60_000;

  /**
   * KEYS: the buckets. ARGV: quota and window (ms) per bucket, then how many tokens are asked for ({@code n}). Takes
   * the largest {@code k <= n} that every bucket can give, from every bucket. Returns k, the ms until the next token
   * once those are taken (0 when all n were given), then remaining and ms-to-full per bucket.
   */
  private static final RedisScript TAKE_SCRIPT = new RedisScript("""
    local clock = redis.call('TIME')
    local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
    local wanted = tonumber(ARGV[2 * #KEYS + 1])
    local levels = {}
    local granted = wanted
    for i = 1, #KEYS do
      local quota = tonumber(ARGV[2 * i - 1])
      local rate = quota / tonumber(ARGV[2 * i])
      local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
      local level = tonumber(state[1])
      local at = tonumber(state[2])
      if level == nil or at == nil then level = quota at = now end
      level = math.min(quota, level + math.max(0, now - at) * rate)
      levels[i] = level
      granted = math.max(0, math.min(granted, math.floor(level)))
    end
    local retry = 0
    local out = {granted, 0}
    for i = 1, #KEYS do
      local quota = tonumber(ARGV[2 * i - 1])
      local window = tonumber(ARGV[2 * i])
      local level = levels[i] - granted
      if granted > 0 then
        redis.call('HSET', KEYS[i], 'tokens', tostring(level), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[i], window + 1000)
      end
      if granted < wanted and level < 1 then
        retry = math.max(retry, math.ceil((1 - level) * window / quota))
      end
      out[#out + 1] = math.floor(level)
      out[#out + 1] = math.ceil((quota - level) * window / quota)
    end
    out[2] = retry
    return out
    """);

  /** What to do when Redis cannot be asked. */
  public enum WhenDown { ALLOW, REFUSE }

  /** One bucket: {@code quota} requests per {@code windowSeconds}, refilled continuously; {@code name} labels headers. */
  public record Bucket(String name, String key, long quota, int windowSeconds) {
    public Bucket {
      if (quota < 1 || windowSeconds < 1) throw new IllegalArgumentException("A bucket needs a quota and a window of at least 1");
    }
  }

  /** The answer for one request: allowed or not, and each bucket's state for the {@code RateLimit} headers. */
  public record Decision(boolean allowed, long retryAfterMs, List<Bucket> buckets, List<Long> remaining, List<Long> resetMs,
                         boolean unchecked) {

    /** The bucket closest to refusing (fewest remaining tokens), which the {@code RateLimit} header reports. */
    public int tightest() {
      int best = 0;
      for (int i = 1; i < remaining.size(); i++) if (remaining.get(i) < remaining.get(best)) best = i;
      return best;
    }

    /** A 429 naming the limit, with {@code Retry-After} in whole seconds (at least 1). */
    public ServiceError refusal() {
      Bucket bucket = buckets.get(tightest());
      long seconds = Math.max(1, (retryAfterMs + 999) / 1000);
      return new ServiceError(ErrorCode.RATE_LIMITED, "Rate limit exceeded: at most " + bucket.quota() + " requests per "
        + bucket.windowSeconds() + " s (" + bucket.name() + "); retry after " + seconds + " s",
        new JsonObject().put("retryAfterSeconds", seconds).put("limit", bucket.name()));
    }
  }

  /** Requests for the same buckets waiting while a call for those buckets is out, at most this many per buckets. */
  static final int MAX_WAITING = 4_096;

  private final RedisAPI redis;
  private final long commandTimeoutMs;
  private final AtomicLong lastLoggedOutage = new AtomicLong();
  private final SharedCalls<Ask, Decision> calls;

  /** Create it on the context that will call {@link #take}: its shared calls are confined to that context. */
  public RateLimiter(Redis redis, long commandTimeoutMs) {
    this.redis = RedisAPI.api(redis);
    this.commandTimeoutMs = commandTimeoutMs;
    // Any failure means Redis did not answer in time: those who waited behind the call get the same answer at once.
    this.calls = new SharedCalls<>(MAX_WAITING, Integer.MAX_VALUE, this::call,
      (ask, err) -> unavailable(ask.buckets(), ask.whenDown(), err), err -> true);
  }

  /** One request asking for one token of each of its buckets. */
  private record Ask(List<Bucket> buckets, WhenDown whenDown) {
  }

  /**
   * Takes one token from every bucket, or none; fails (503) only when Redis is down and {@code whenDown} is REFUSE.
   * Requests for the same buckets that arrive while a call for them is out go together in the next call, which asks
   * for as many tokens as there are requests: Redis hands out what it has, in arrival order, exactly as one call per
   * request would, and a busy tenant costs one Redis call per round trip instead of one per request.
   */
  public Future<Decision> take(List<Bucket> buckets, WhenDown whenDown) {
    return calls.submit(buckets.stream().map(Bucket::key).collect(Collectors.joining(" ")), new Ask(buckets, whenDown));
  }

  /** One script call for asks that share their buckets: the first {@code granted} of them pass. */
  private Future<List<Future<Decision>>> call(List<Ask> asks) {
    List<Bucket> buckets = asks.get(0).buckets();
    return send(buckets, asks.size()).map(reply -> IntStream.range(0, asks.size())
      .mapToObj(i -> Future.succeededFuture(decision(buckets, reply, i))).toList());
  }

  private Future<Response> send(List<Bucket> buckets, int tokens) {
    List<String> keys = buckets.stream().map(Bucket::key).toList();
    List<String> args = new ArrayList<>(buckets.size() * 2 + 1);
    for (Bucket bucket : buckets) {
      args.add(Long.toString(bucket.quota()));
      args.add(Long.toString(bucket.windowSeconds() * 1000L));
    }
    args.add(Integer.toString(tokens));
    return TAKE_SCRIPT.run(redis, keys, args).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The answer for the {@code position}-th ask of a call: granted in order while tokens lasted. */
  private static Decision decision(List<Bucket> buckets, Response reply, int position) {
    long granted = reply.get(0).toLong();
    boolean allowed = position < granted;
    long takenAfterThis = allowed ? granted - 1 - position : 0;
    List<Long> remaining = new ArrayList<>(buckets.size());
    List<Long> resetMs = new ArrayList<>(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      remaining.add(Math.max(0, reply.get(2 + 2 * i).toLong() + takenAfterThis));
      resetMs.add(Math.max(0, reply.get(3 + 2 * i).toLong()));
    }
    return new Decision(allowed, allowed ? 0 : reply.get(1).toLong(), buckets, remaining, resetMs, false);
  }

  private Future<Decision> unavailable(List<Bucket> buckets, WhenDown whenDown, Throwable err) {
    Meters.rateLimiterUnavailable(whenDown == WhenDown.ALLOW ? "allowed" : "refused");
    long now = System.currentTimeMillis();
    long last = lastLoggedOutage.get();
    if (now - last >= LOG_EVERY_MS && lastLoggedOutage.compareAndSet(last, now)) {
      LOG.warn("Rate limiter cannot reach Redis ({}): authenticated requests pass unlimited, login and sign-up are refused",
        err.getClass().getSimpleName());
    }
    if (whenDown == WhenDown.REFUSE) {
      return Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE,
        "Sign-in is paused: the rate limiter (Redis) is unavailable; retry shortly", new JsonObject().put("retryAfterSeconds", 5)));
    }
    List<Long> none = buckets.stream().map(b -> b.quota()).toList();
    return Future.succeededFuture(new Decision(true, 0, buckets, none, buckets.stream().map(b -> 0L).toList(), true));
  }
}
