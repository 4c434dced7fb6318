package io.stockroom.platform.redis;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.Settings;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How redis.type, redis.uri and redis.masterName become client options, and which combinations refuse to start. */
class RedisConnectionsTest {
  private static Settings settings(JsonObject explicit) {
    return Settings.resolve(new JsonObject(), new JsonObject(), new JsonObject(), explicit);
  }

  private static Settings env(String... nameAndValue) {
    JsonObject env = new JsonObject();
    for (int i = 0; i < nameAndValue.length; i += 2) env.put(nameAndValue[i], nameAndValue[i + 1]);
    return Settings.resolve(new JsonObject(), env, new JsonObject(), new JsonObject());
  }

  @Test
  @DisplayName("standalone is the default; one endpoint, with or without the redis:// scheme")
  void standalone() {
    RedisOptions options = RedisConnections.options(settings(new JsonObject().put("redis.uri", "127.0.0.1:6379")));
    assertEquals(RedisClientType.STANDALONE, options.getType());
    assertEquals(List.of("redis://127.0.0.1:6379"), options.getEndpoints());
    assertEquals(8, options.getMaxPoolSize());
    assertEquals(256, options.getMaxPoolWaiting());
  }

  @Test
  @DisplayName("sentinel: every sentinel an endpoint, the master of the named set, following failovers")
  void sentinel() {
    RedisOptions options = RedisConnections.options(env("STOCKROOM_REDIS_TYPE", "sentinel",
      "STOCKROOM_REDIS_URI", "redis://s1:26379, s2:26379,redis://s3:26379", "STOCKROOM_REDIS_MASTER_NAME", "stock"));
    assertEquals(RedisClientType.SENTINEL, options.getType());
    assertEquals(List.of("redis://s1:26379", "redis://s2:26379", "redis://s3:26379"), options.getEndpoints());
    assertEquals(RedisRole.MASTER, options.getRole());
    assertEquals("stock", options.getMasterName());
    assertTrue(options.isAutoFailover());
  }

  @Test
  @DisplayName("cluster: the endpoints are seed nodes")
  void cluster() {
    RedisOptions options = RedisConnections.options(env("STOCKROOM_REDIS_TYPE", "CLUSTER", "STOCKROOM_REDIS_URI", "n1:7000,n2:7000"));
    assertEquals(RedisClientType.CLUSTER, options.getType());
    assertEquals(List.of("redis://n1:7000", "redis://n2:7000"), options.getEndpoints());
  }

  @Test
  @DisplayName("settings that do not fit together refuse to start, naming the environment variable to fix")
  void invalidCombinations() {
    assertMessage(() -> env("STOCKROOM_REDIS_TYPE", "replicated"), "STOCKROOM_REDIS_TYPE");
    assertMessage(() -> RedisConnections.check(env("STOCKROOM_REDIS_TYPE", "sentinel")), "STOCKROOM_REDIS_URI");
    assertMessage(() -> RedisConnections.check(env("STOCKROOM_REDIS_TYPE", "cluster", "STOCKROOM_REDIS_URI", " , ")), "STOCKROOM_REDIS_URI");
    assertMessage(() -> RedisConnections.check(env("STOCKROOM_REDIS_URI", "h1:6379,h2:6379")), "STOCKROOM_REDIS_TYPE");
    assertMessage(() -> RedisConnections.check(env("STOCKROOM_REDIS_TYPE", "sentinel", "STOCKROOM_REDIS_URI", "s1:26379",
      "STOCKROOM_REDIS_MASTER_NAME", " ")), "STOCKROOM_REDIS_MASTER_NAME");
    assertMessage(() -> RedisConnections.check(env("STOCKROOM_REDIS_URI", "http://h1:6379")), "STOCKROOM_REDIS_URI");
    // the embedded server (empty uri) is standalone only, and standalone accepts it
    RedisConnections.check(env());
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable config, String envName) {
    ConfigException error = assertThrows(ConfigException.class, config);
    assertTrue(error.getMessage().contains(envName), error.getMessage());
  }

  @Test
  @DisplayName("an endpoint that does not parse is named without its password")
  void badEndpointHidesThePassword() {
    ConfigException bad = assertThrows(ConfigException.class,
      () -> RedisConnections.options(settings(new JsonObject().put("redis.uri", "redis://user:p@ss@host:6379"))));
    assertFalse(bad.getMessage().contains("p@ss") || bad.getMessage().contains("user"), bad.getMessage());
    assertTrue(bad.getMessage().contains("redis://***@host:6379"), bad.getMessage());
  }

  @Test
  @DisplayName("rediss:// endpoints: hostname verification on unless turned off, the CA file as trust; a CA file without "
    + "rediss://, a missing one or a mix of schemes refuses to start naming the setting")
  void tls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    RedisOptions plain = RedisConnections.options(settings(new JsonObject().put("redis.uri", "redis://h:6379")));
    assertEquals(null, plain.getNetClientOptions().getTrustOptions());

    RedisOptions secure = RedisConnections.options(env("STOCKROOM_REDIS_TYPE", "cluster", "STOCKROOM_REDIS_URI", "rediss://n1:7000,rediss://n2:7000"));
    assertEquals("HTTPS", secure.getNetClientOptions().getHostnameVerificationAlgorithm());
    assertEquals(null, secure.getNetClientOptions().getTrustOptions(), "no CA file: the JVM's trusted CAs");
    RedisOptions unverified = RedisConnections.options(env("STOCKROOM_REDIS_URI", "rediss://h:6380", "STOCKROOM_REDIS_TLS_VERIFY_HOSTNAME", "false"));
    assertEquals("", unverified.getNetClientOptions().getHostnameVerificationAlgorithm());

    java.nio.file.Path notPem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    assertMessage(() -> RedisConnections.options(env("STOCKROOM_REDIS_URI", "rediss://h:6380", "STOCKROOM_REDIS_TLS_CA_FILE",
      dir.resolve("missing.pem").toString())), "STOCKROOM_REDIS_TLS_CA_FILE");
    assertMessage(() -> RedisConnections.options(env("STOCKROOM_REDIS_URI", "rediss://h:6380", "STOCKROOM_REDIS_TLS_CA_FILE",
      notPem.toString())), "STOCKROOM_REDIS_TLS_CA_FILE");
    assertMessage(() -> RedisConnections.check(env("STOCKROOM_REDIS_URI", "redis://h:6379", "STOCKROOM_REDIS_TLS_CA_FILE",
      notPem.toString())), "STOCKROOM_REDIS_TLS_CA_FILE");
    assertMessage(() -> RedisConnections.check(env("STOCKROOM_REDIS_TYPE", "sentinel", "STOCKROOM_REDIS_URI",
      "rediss://s1:26379,redis://s2:26379")), "rediss://");
  }
}
