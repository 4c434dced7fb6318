package io.stockroom.platform.redis;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.RedisType;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;

/**
 * The one place that turns {@code redis.type}, {@code redis.uri} and {@code redis.masterName} into a Redis client:
 * a standalone server, the master that Sentinel names (followed across a failover), or a Redis Cluster. Pool limits
 * are the same for every topology; command timeouts are the callers' (every call has one). {@code rediss://} endpoints
 * connect over TLS ({@link RedisTls}).
 */
public final class RedisConnections {
  private static final int MAX_POOL_SIZE = 8;
  private static final int MAX_POOL_WAITING = 256;

  private RedisConnections() {
  }

  /** A client for the configured topology. {@code redis.uri} must be set (the embedded server's, in trial mode). */
  public static Redis create(Vertx vertx, Settings settings) {
    Redis client = Redis.createClient(vertx, options(settings));
    // A client's first connection is its slowest (TLS context and handshake, Sentinel's master lookup, Cluster's slot
    // map): made now, into the pool, rather than inside the first caller's command timeout, which a rate limiter would
    // answer by failing open. Redis being down now changes nothing: callers connect again.
    client.connect().compose(RedisConnection::close);
    return client;
  }

  /** The client options for the configured topology, with the service's pool limits. */
  public static RedisOptions options(Settings settings) {
    check(settings);
    List<String> endpoints = endpoints(settings);
    if (endpoints.isEmpty()) {
      throw new ConfigException(ConfigKey.REDIS_URI.key() + " (env " + ConfigKey.REDIS_URI.envName() + ") is empty");
    }
    RedisOptions options = new RedisOptions().setEndpoints(endpoints)
      .setMaxPoolSize(MAX_POOL_SIZE).setMaxPoolWaiting(MAX_POOL_WAITING);
    if (tls(endpoints)) RedisTls.apply(options.getNetClientOptions(), settings);
    return switch (settings.redisType()) {
      case STANDALONE -> options.setType(RedisClientType.STANDALONE);
      case CLUSTER -> options.setType(RedisClientType.CLUSTER);
      case SENTINEL -> options.setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER)
        .setMasterName(settings.string(ConfigKey.REDIS_MASTER_NAME))
        // reconnects to the new master when a sentinel announces +switch-master, instead of at the next broken call
        .setAutoFailover(true);
    };
  }

  /**
   * Fails with a {@link ConfigException} naming the environment variable to fix when the Redis settings do not fit
   * together; answers them unchanged otherwise. An empty {@code redis.uri} is accepted for standalone only (the
   * embedded server fills it in).
   */
  public static Settings check(Settings settings) {
    RedisType type = settings.redisType();
    List<String> endpoints = endpoints(settings);
    String typeSetting = ConfigKey.REDIS_TYPE.envName() + "=" + type.configValue();
    if (type != RedisType.STANDALONE && endpoints.isEmpty()) {
      throw new ConfigException(typeSetting + " needs " + ConfigKey.REDIS_URI.envName() + " (" + ConfigKey.REDIS_URI.key()
        + "): the " + (type == RedisType.SENTINEL ? "sentinels'" : "cluster's seed nodes'")
        + " endpoints, comma-separated; the embedded redis-server is standalone only");
    }
    if (type == RedisType.STANDALONE && endpoints.size() > 1) {
      throw new ConfigException(ConfigKey.REDIS_URI.envName() + " lists " + endpoints.size() + " endpoints but "
        + typeSetting + " takes one: set " + ConfigKey.REDIS_TYPE.envName() + " to sentinel or cluster");
    }
    if (type == RedisType.SENTINEL && settings.isBlank(ConfigKey.REDIS_MASTER_NAME)) {
      throw new ConfigException(typeSetting + " needs " + ConfigKey.REDIS_MASTER_NAME.envName() + " ("
        + ConfigKey.REDIS_MASTER_NAME.key() + "): the name of the master set the sentinels monitor");
    }
    RedisTls.check(settings, endpoints.isEmpty() ? null : tls(endpoints));
    return settings;
  }

  /** True when the endpoints use TLS ({@code rediss://}); fails when only some of them do. */
  static boolean tls(List<String> endpoints) {
    long secure = endpoints.stream().filter(e -> e.startsWith("rediss://")).count();
    if (secure > 0 && secure < endpoints.size()) {
      throw new ConfigException(ConfigKey.REDIS_URI.envName() + " mixes rediss:// and plain endpoints: use rediss:// for "
        + "every endpoint (TLS) or for none (the client derives the addresses it discovers from them)");
    }
    return secure > 0;
  }

  /** {@code redis.uri} split at commas; a bare {@code host:port} gets the {@code redis://} scheme. */
  static List<String> endpoints(Settings settings) {
    return Arrays.stream(settings.string(ConfigKey.REDIS_URI).split(","))
      .map(String::trim).filter(e -> !e.isEmpty()).map(RedisConnections::endpoint).toList();
  }

  private static String endpoint(String text) {
    String uri = text.contains("://") ? text : "redis://" + text;
    try {
      URI parsed = new URI(uri);
      boolean tcp = "redis".equals(parsed.getScheme()) || "rediss".equals(parsed.getScheme());
      if (tcp && parsed.getHost() != null || "unix".equals(parsed.getScheme())) return uri;
    } catch (URISyntaxException e) {
      // answered below
    }
    throw new ConfigException(ConfigKey.REDIS_URI.key() + " (env " + ConfigKey.REDIS_URI.envName() + "): '" + withoutCredentials(text)
      + "' is not an endpoint (redis://host:port, rediss://host:port or host:port; encode special characters of a password)");
  }

  /** The endpoint as it may be logged: whatever stands before its last '@' (user and password) is left out. */
  static String withoutCredentials(String text) {
    int at = text.lastIndexOf('@');
    if (at < 0) return text;
    int scheme = text.indexOf("://");
    return (scheme >= 0 && scheme < at ? text.substring(0, scheme + 3) : "") + "***@" + text.substring(at + 1);
  }
}
