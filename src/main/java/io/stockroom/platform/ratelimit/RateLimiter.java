package io.stockroom.platform.ratelimit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.List;

/**
 * Token buckets kept in Redis, so a limit holds across every instance. A request takes one token from each of its
 * buckets, or from none of them: a refused request costs no bucket anything. Time is Redis's own clock
 * ({@code TIME}), so instances with skewed clocks agree. An idle bucket expires once it would be full again.
 *
 * <p>Two ways to take: {@link WhenDown#REFUSE} requests (login, sign-up, refresh) always ask Redis, which keeps
 * their limits exact and refuses them whenever Redis cannot be asked ({@link ExactTakes}). {@link WhenDown#ALLOW}
 * requests spend tokens this limiter leased ahead ({@link TokenLeases}, when {@link Leasing} is on): most cost no Redis
 * call, and a limit may be exceeded by at most one lease per limiter (docs/rate-limits.md states the bound).
 *
 * <p>When Redis does not answer within the command timeout, ALLOW requests pass unchecked and REFUSE requests get 503;
 * either way it is logged (at most once a minute) and counted.
 */
public final class RateLimiter {
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

  private final ExactTakes exact;
  private final TokenLeases leases;
  private final LeasedTakes leased;

  /** Every request asks Redis. Create it on the context that will call {@link #take}. */
  public RateLimiter(Redis redis, long commandTimeoutMs) {
    this(null, redis, commandTimeoutMs, Leasing.NONE);
  }

  /**
   * ALLOW requests spend leased tokens when {@code leasing} is on. Create it on the context that will call
   * {@link #take} (an HTTP verticle's): its leases are confined to that event loop.
   */
  public RateLimiter(Vertx vertx, Redis redis, long commandTimeoutMs, Leasing leasing) {
    RedisAPI api = RedisAPI.api(redis);
    LimiterOutage outage = new LimiterOutage();
    this.exact = new ExactTakes(api, commandTimeoutMs, outage);
    this.leases = leasing.enabled() ? new TokenLeases(vertx, api, commandTimeoutMs, leasing) : null;
    this.leased = leases == null ? null : new LeasedTakes(leases, exact, outage);
  }

  /**
   * Takes one token from every bucket, or none; fails (503) only when Redis is down and {@code whenDown} is REFUSE.
   * Concurrent requests for the same buckets share Redis calls.
   */
  public Future<Decision> take(List<Bucket> buckets, WhenDown whenDown) {
    if (whenDown == WhenDown.ALLOW && leases != null && leases.usableHere()) return leased.take(buckets);
    return exact.take(buckets, whenDown);
  }

  /**
   * Sends leased tokens back to Redis, those of top-ups still out once they answer (bounded by twice the command
   * timeout); later requests ask Redis each time.
   */
  public Future<Void> close() {
    return leases == null ? Future.succeededFuture() : leases.close();
  }
}
