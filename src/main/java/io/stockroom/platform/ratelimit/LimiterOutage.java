package io.stockroom.platform.ratelimit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RateLimiter.Decision;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The answer when Redis did not answer in time: pass unchecked ({@link WhenDown#ALLOW}) or 503
 * ({@link WhenDown#REFUSE}); counted every time, logged at most once a minute.
 */
final class LimiterOutage {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final long LOG_EVERY_MS = 60_000;
  private final AtomicLong lastLogged = new AtomicLong();

  Future<Decision> answer(List<Bucket> buckets, WhenDown whenDown, Throwable err) {
    Meters.rateLimiterUnavailable(whenDown == WhenDown.ALLOW ? "allowed" : "refused");
    long now = System.currentTimeMillis();
    long last = lastLogged.get();
    if (now - last >= LOG_EVERY_MS && lastLogged.compareAndSet(last, now)) {
      LOG.warn("Rate limiter cannot reach Redis ({}): authenticated requests pass unlimited, login and sign-up are refused",
        err.getClass().getSimpleName());
    }
    if (whenDown == WhenDown.REFUSE) {
      return Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE,
        "Sign-in is paused: the rate limiter (Redis) is unavailable; retry shortly", new JsonObject().put("retryAfterSeconds", 5)));
    }
    List<Long> full = buckets.stream().map(Bucket::quota).toList();
    return Future.succeededFuture(new Decision(true, 0, buckets, full, buckets.stream().map(b -> 0L).toList(), true));
  }
}
