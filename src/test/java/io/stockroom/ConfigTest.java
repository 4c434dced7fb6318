package io.stockroom;

import io.stockroom.platform.cluster.Clustering;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.support.TestStack;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static Settings resolve(JsonObject file, JsonObject env) {
    return Settings.resolve(file, env, new JsonObject(), new JsonObject());
  }

  @Test
  @DisplayName("every key maps to a STOCKROOM_ environment variable in upper snake case")
  void envNames() {
    assertEquals("STOCKROOM_HTTP_PORT", ConfigKey.HTTP_PORT.envName());
    assertEquals("STOCKROOM_MONGO_URI", ConfigKey.MONGO_URI.envName());
    assertEquals("STOCKROOM_REDIS_URI", ConfigKey.REDIS_URI.envName());
    assertEquals("STOCKROOM_JWT_HMAC_SECRET", ConfigKey.JWT_HMAC_SECRET.envName());
    assertEquals("STOCKROOM_JWT_TTL_SECONDS", ConfigKey.JWT_TTL_SECONDS.envName());
  }

  @Test
  @DisplayName("vertx.eventLoops sets the event-loop threads Vert.x starts with; 0 means Vert.x's default, two per core")
  void eventLoops() {
    for (int configured : new int[] {0, 3}) {
      Settings settings = resolve(new JsonObject(), new JsonObject().put("STOCKROOM_VERTX_EVENT_LOOPS", String.valueOf(configured)));
      Vertx started = Clustering.vertx(settings, new VertxOptions()).await();
      try {
        int threads = 0;
        for (var loop : ((VertxInternal) started).nettyEventLoopGroup()) threads++;
        assertEquals(configured == 0 ? 2 * Runtime.getRuntime().availableProcessors() : configured, threads);
      } finally {
        started.close().await();
      }
    }
  }

  @Test
  @DisplayName("precedence: defaults < file < environment < explicit overrides")
  void precedence() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("port", 9000)).put("jwt", new JsonObject().put("issuer", "file"));
    Settings fromFile = resolve(file, new JsonObject());
    assertEquals(9000, fromFile.integer(ConfigKey.HTTP_PORT));
    assertEquals("stockroom-api", fromFile.string(ConfigKey.JWT_AUDIENCE));
    Settings fromEnv = resolve(file, new JsonObject().put("STOCKROOM_HTTP_PORT", "9100"));
    assertEquals(9100, fromEnv.integer(ConfigKey.HTTP_PORT));
    assertEquals("file", fromEnv.string(ConfigKey.JWT_ISSUER));
    Settings explicit = Settings.resolve(file, new JsonObject().put("STOCKROOM_HTTP_PORT", "9100"), new JsonObject(),
      new JsonObject().put("http.port", 9200));
    assertEquals(9200, explicit.integer(ConfigKey.HTTP_PORT));
  }

  @Test
  @DisplayName("invalid values fail naming the key and its environment variable")
  void invalidValuesNameTheKey() {
    ConfigException port = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_HTTP_PORT", "eighty")));
    assertTrue(port.getMessage().contains("http.port") && port.getMessage().contains("STOCKROOM_HTTP_PORT"), port.getMessage());
    ConfigException range = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_HTTP_PORT", "70000")));
    assertTrue(range.getMessage().contains("http.port"), range.getMessage());
    ConfigException alg = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_JWT_ALGORITHM", "none")));
    assertTrue(alg.getMessage().contains("jwt.algorithm"), alg.getMessage());
    ConfigException cost = assertThrows(ConfigException.class, () -> resolve(new JsonObject().put("auth", new JsonObject().put("bcryptCost", 2)), new JsonObject()));
    assertTrue(cost.getMessage().contains("auth.bcryptCost"), cost.getMessage());
    ConfigException schema = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_SCHEMA_MIGRATE_ON_START", "sometimes")));
    assertTrue(schema.getMessage().contains("STOCKROOM_SCHEMA_MIGRATE_ON_START"), schema.getMessage());
  }

  @Test
  @DisplayName("timeouts must nest: MongoDB, Redis and the lock wait below the bus timeout, the bus below the HTTP request")
  void timeoutsNest() {
    Settings defaults = resolve(new JsonObject(), new JsonObject());
    assertTrue(defaults.integer(ConfigKey.MONGO_TIMEOUT_MS) < defaults.integer(ConfigKey.BUS_TIMEOUT_MS));
    ConfigException mongo = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_MONGO_TIMEOUT_MS", "20000")));
    assertTrue(mongo.getMessage().contains("STOCKROOM_MONGO_TIMEOUT_MS") && mongo.getMessage().contains("STOCKROOM_BUS_TIMEOUT_MS"), mongo.getMessage());
    ConfigException bus = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_BUS_TIMEOUT_MS", "25000")));
    assertTrue(bus.getMessage().contains("STOCKROOM_HTTP_REQUEST_TIMEOUT_MS"), bus.getMessage());
    ConfigException wait = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_LOCKS_WAIT_MS", "15000")));
    assertTrue(wait.getMessage().contains("locks.waitMs"), wait.getMessage());
    resolve(new JsonObject(), new JsonObject().put("STOCKROOM_BUS_TIMEOUT_MS", "30000").put("STOCKROOM_HTTP_REQUEST_TIMEOUT_MS", "40000")
      .put("STOCKROOM_MONGO_TIMEOUT_MS", "25000"));
  }

  @Test
  @DisplayName("failpoints cannot be enabled by file, property or environment, only by an embedding harness")
  void failpointsAreHarnessOnly() {
    JsonObject file = new JsonObject().put("testing", new JsonObject().put("failpoints", true));
    Settings settings = Settings.resolve(file, new JsonObject().put("STOCKROOM_TESTING_FAILPOINTS", "true"),
      new JsonObject().put("stockroom.testing.failpoints", "true"), new JsonObject());
    assertEquals(false, settings.bool(ConfigKey.TESTING_FAILPOINTS));
  }

  @Test
  @DisplayName("mongo.transactions=required refuses to start on a server without transactions")
  void transactionsRequired() {
    JsonObject overrides = TestStack.overrides(TestStack.freePort()).put("mongo.transactions", "required");
    Throwable failure = assertThrows(Throwable.class, () -> vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(overrides)).await());
    assertTrue(failure.getMessage().contains("mongo.transactions=required"), failure.getMessage());
    ConfigException bad = assertThrows(ConfigException.class, () -> resolve(new JsonObject(), new JsonObject().put("STOCKROOM_MONGO_TRANSACTIONS", "sometimes")));
    assertTrue(bad.getMessage().contains("mongo.transactions"), bad.getMessage());
  }

  @Test
  @DisplayName("outside embedded mode the service refuses to start without JWT keys")
  void refusesToStartWithoutKeys() {
    JsonObject overrides = TestStack.overrides(TestStack.freePort())
      .put("mongo.uri", "mongodb://127.0.0.1:1")
      .put("jwt.hmacSecret", "");
    Throwable failure = assertThrows(Throwable.class, () -> vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(overrides)).await());
    assertTrue(failure.getMessage().contains("STOCKROOM_JWT_HMAC_SECRET"), failure.getMessage());

    JsonObject es256 = overrides.copy().put("jwt.algorithm", "ES256");
    Throwable missingPem = assertThrows(Throwable.class, () -> vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(es256)).await());
    assertTrue(missingPem.getMessage().contains("jwt.privateKeyPath"), missingPem.getMessage());

    JsonObject weak = overrides.copy().put("jwt.hmacSecret", "short");
    Throwable weakSecret = assertThrows(Throwable.class, () -> vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(weak)).await());
    assertTrue(weakSecret.getMessage().contains("at least 32 bytes"), weakSecret.getMessage());
  }

  @Test
  @DisplayName("every configuration key is in conf/config.yaml and in README's table, with its environment variable")
  void keysDocumented() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("conf/config.yaml"));
    for (ConfigKey key : ConfigKey.values()) {
      if (key.explicitOnly()) continue;
      assertTrue(readme.contains("| `" + key.key() + "` | `" + key.envName() + "` |"), "README lacks " + key.key());
      String leaf = key.key().substring(key.key().lastIndexOf('.') + 1);
      String section = key.key().substring(0, key.key().indexOf('.'));
      assertTrue(yaml.contains("\n" + section + ":") && yaml.contains("  " + leaf + ":"), "conf/config.yaml lacks " + key.key());
    }
  }
}
