package io.stockroom.platform.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** {@code redis.type}: the Redis topology {@code redis.uri} names. */
public enum RedisType {
  /** One server (the embedded one when {@code redis.uri} is empty). */
  STANDALONE,
  /** Sentinels that name the current master of {@code redis.masterName}; the client follows a failover. */
  SENTINEL,
  /** A Redis Cluster: the endpoints are seed nodes, keys are spread over hash slots. */
  CLUSTER;

  /** The configured value ({@code standalone}, {@code sentinel}, {@code cluster}), in any case. */
  public static Optional<RedisType> parse(String text) {
    return Arrays.stream(values()).filter(t -> t.name().equals(text.trim().toUpperCase(Locale.ROOT))).findFirst();
  }

  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
