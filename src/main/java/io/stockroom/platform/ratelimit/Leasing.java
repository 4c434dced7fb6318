package io.stockroom.platform.ratelimit;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;

/**
 * How a limiter leases tokens from Redis: {@code percent} of a bucket's quota per call (at least one token; 0 turns
 * leasing off), for at most {@code maxKeys} buckets at a time, each lease's unused tokens going back to Redis
 * {@code leaseMs} after it was granted.
 */
public record Leasing(int percent, int maxKeys, long leaseMs) {
  /** How long leased tokens stay here unused before they go back to Redis. */
  static final long LEASE_MS = 1_000;

  public Leasing {
    if (percent < 0 || percent > 100 || maxKeys < 1 || leaseMs < 1) {
      throw new IllegalArgumentException("A lease is 0-100 % of a quota, for at least one bucket, for at least 1 ms");
    }
  }

  /** Every request asks Redis. */
  public static final Leasing NONE = new Leasing(0, 1, LEASE_MS);

  public static Leasing of(Settings settings) {
    int percent = settings.integer(ConfigKey.RATE_LIMITS_LEASE_PERCENT);
    if (percent > 100) {
      throw new ConfigException(ConfigKey.RATE_LIMITS_LEASE_PERCENT.key() + " (env " + ConfigKey.RATE_LIMITS_LEASE_PERCENT.envName()
        + ") is a share of a quota: 0 to 100, not " + percent);
    }
    return new Leasing(percent, settings.integer(ConfigKey.RATE_LIMITS_LEASE_KEYS), LEASE_MS);
  }

  public boolean enabled() {
    return percent > 0;
  }

  /** Tokens one call takes for {@code bucket}, and the most a limiter ever holds of it. */
  long size(Bucket bucket) {
    return Math.max(1, bucket.quota() * percent / 100);
  }
}
