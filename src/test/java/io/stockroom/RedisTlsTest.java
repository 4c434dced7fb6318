package io.stockroom;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.support.ServiceOnRedis;
import io.stockroom.support.TlsRedis;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stockroom on a redis-server that speaks only TLS (rediss://), its certificate signed by a CA made for this run and
 * given as redis.tls.caFile: locks, fences, rate limits, login throttling, sessions and a race run as on plain Redis
 * (the contract's tests). A certificate the service does not trust, or one that does not name the host, stops the
 * start, naming the setting to fix.
 */
@Timeout(120)
class RedisTlsTest extends RedisTopologyContract {
  private static TlsRedis redis;
  private static ServiceOnRedis service;

  @BeforeAll
  static void start() {
    TlsRedis.requireBinaries();
    redis = TlsRedis.start();
    service = ServiceOnRedis.start(overrides("standalone", redis.uri("127.0.0.1"))
      .put("redis.tls.caFile", redis.caFile().toString()));
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
    if (redis != null) redis.close();
  }

  @Override
  ServiceOnRedis service() {
    return service;
  }

  @Test
  @DisplayName("without the CA file, or with another CA's, the start stops naming STOCKROOM_REDIS_TLS_CA_FILE")
  void untrustedCertificateStopsTheStart() {
    for (JsonObject config : new JsonObject[] {
      overrides("standalone", redis.uri("localhost")),
      overrides("standalone", redis.uri("localhost")).put("redis.tls.caFile", redis.otherCaFile().toString())}) {
      Throwable refused = startFails(config);
      assertTrue(refused.getMessage().contains("STOCKROOM_REDIS_TLS_CA_FILE"), refused.getMessage());
      assertTrue(refused.getMessage().contains("not trusted"), refused.getMessage());
    }
  }

  @Test
  @DisplayName("a host the certificate does not name stops the start naming STOCKROOM_REDIS_TLS_VERIFY_HOSTNAME; "
    + "turned off, the CA alone is checked and the service works")
  void hostnameVerification() {
    JsonObject unnamed = overrides("standalone", redis.uri("127.0.0.2")).put("redis.tls.caFile", redis.caFile().toString());
    Throwable refused = startFails(unnamed);
    assertTrue(refused.getMessage().contains("STOCKROOM_REDIS_TLS_VERIFY_HOSTNAME"), refused.getMessage());

    try (ServiceOnRedis unverified = ServiceOnRedis.start(unnamed.copy().put("redis.tls.verifyHostname", false))) {
      assertEquals("UP", unverified.api.get("/health/ready", null).healthChecks().get("redis"));
      // sign-up is rate limited per address in Redis; the product list per user
      assertEquals(200, unverified.api.get("/api/v1/products", unverified.api.signup("Tls Co").token()).status());
    }
  }

  @Test
  @DisplayName("a CA file that does not exist stops the start naming STOCKROOM_REDIS_TLS_CA_FILE")
  void missingCaFile() {
    Throwable refused = startFails(overrides("standalone", redis.uri("localhost")).put("redis.tls.caFile", "/nonexistent/ca.pem"));
    assertTrue(refused instanceof ConfigException || refused.getCause() instanceof ConfigException, String.valueOf(refused));
    assertTrue(refused.getMessage().contains("STOCKROOM_REDIS_TLS_CA_FILE"), refused.getMessage());
  }

  private static Throwable startFails(JsonObject config) {
    return assertThrows(Throwable.class, () -> ServiceOnRedis.start(config).close());
  }
}
