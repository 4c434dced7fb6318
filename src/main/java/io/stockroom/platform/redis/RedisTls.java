package io.stockroom.platform.redis;

import io.stockroom.platform.config.CaFile;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS to Redis ({@code rediss://} endpoints, as managed services require): the server's certificate must chain to the
 * CAs of {@code redis.tls.caFile} (else the JVM's trusted CAs) and, unless {@code redis.tls.verifyHostname} is off,
 * name the endpoint's host. Nodes the client discovers (Sentinel's master, Cluster's shards) inherit the scheme.
 */
public final class RedisTls {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTls.class);
  private static final long START_CHECK_MS = 10_000;

  private RedisTls() {
  }

  /** The TLS settings of the client's connections (the endpoints' scheme decides whether a connection uses them). */
  static void apply(NetClientOptions net, Settings settings) {
    net.setHostnameVerificationAlgorithm(settings.bool(ConfigKey.REDIS_TLS_VERIFY_HOSTNAME) ? "HTTPS" : "");
    if (!settings.isBlank(ConfigKey.REDIS_TLS_CA_FILE)) {
      net.setTrustOptions(new PemTrustOptions().addCertPath(settings.string(ConfigKey.REDIS_TLS_CA_FILE)));
    }
  }

  /**
   * Fails naming the setting when a CA file is set but unusable, or set while no endpoint uses TLS.
   *
   * @param tls whether the endpoints use TLS; null while they are not known yet (the embedded server's)
   */
  static void check(Settings settings, Boolean tls) {
    if (settings.isBlank(ConfigKey.REDIS_TLS_CA_FILE)) return;
    if (Boolean.FALSE.equals(tls)) {
      throw new ConfigException(ConfigKey.REDIS_TLS_CA_FILE.envName() + " is set but " + ConfigKey.REDIS_URI.envName()
        + " names no rediss:// endpoint: TLS is chosen by the scheme, rediss://host:port");
    }
    CaFile.certificates(settings, ConfigKey.REDIS_TLS_CA_FILE);
  }

  /**
   * At start, with {@code rediss://} endpoints: one connection, so a certificate the service does not trust stops the
   * start with what to set, instead of failing every Redis call later. Redis being unreachable does not stop it (the
   * service starts and reports Redis DOWN, as it does without TLS).
   */
  public static Future<Settings> checkAtStart(Vertx vertx, Settings settings) {
    List<String> endpoints = RedisConnections.endpoints(settings);
    if (endpoints.isEmpty() || !RedisConnections.tls(endpoints)) return Future.succeededFuture(settings);
    Redis client = RedisConnections.create(vertx, settings);
    String where = String.join(",", endpoints.stream().map(RedisConnections::withoutCredentials).toList());
    return client.connect()
      .timeout(START_CHECK_MS, TimeUnit.MILLISECONDS)
      .compose(connection -> connection.close())
      .eventually(client::close)
      .map(settings)
      .recover(err -> {
        SSLException refused = tlsFailure(err);
        if (refused == null) {
          LOG.warn("Redis at {} could not be reached at start ({}); starting anyway, readiness reports it", where, err.toString());
          return Future.succeededFuture(settings);
        }
        return Future.failedFuture(new ConfigException(explain(where, refused)));
      });
  }

  private static String explain(String where, SSLException refused) {
    String detail = String.valueOf(refused.getMessage());
    String lower = detail.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("subject alternative name") || lower.contains("no name matching")) {
      return "TLS to Redis at " + where + " failed: the server's certificate does not name the host connected to ("
        + detail + "). Connect by a name the certificate holds, or set " + ConfigKey.REDIS_TLS_VERIFY_HOSTNAME.envName() + "=false";
    }
    return "TLS to Redis at " + where + " failed: the server's certificate is not trusted (" + detail + "). Set "
      + ConfigKey.REDIS_TLS_CA_FILE.envName() + " (" + ConfigKey.REDIS_TLS_CA_FILE.key()
      + ") to a PEM file of the CA that signed it";
  }

  private static SSLException tlsFailure(Throwable err) {
    for (Throwable cause = err; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException ssl) return ssl;
    }
    return null;
  }
}
