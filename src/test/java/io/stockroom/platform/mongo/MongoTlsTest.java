package io.stockroom.platform.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import com.mongodb.WriteConcern;
import io.stockroom.MainVerticle;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.Settings;
import io.stockroom.support.TestStack;
import io.stockroom.support.TlsRedis;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS to MongoDB (the stand-in speaks no TLS, so the driver's settings are checked): the connection string's TLS and
 * SRV options reach the driver untouched, and mongo.tls.caFile becomes a TLS context that trusts exactly that CA,
 * proved by a handshake with a TLS server whose certificate it signed.
 */
@Timeout(120)
class MongoTlsTest {
  private static Vertx vertx;
  private static TlsRedis tlsServer;

  @BeforeAll
  static void start() {
    TlsRedis.requireBinaries();
    vertx = Vertx.vertx();
    tlsServer = TlsRedis.start();
  }

  @AfterAll
  static void stop() {
    if (tlsServer != null) tlsServer.close();
    if (vertx != null) vertx.close().await();
  }

  private static MongoClientSettings driver(JsonObject explicit) {
    Settings settings = Settings.resolve(new JsonObject(), new JsonObject(), new JsonObject(), explicit);
    JsonObject config = new JsonObject().put("connection_string", settings.string(io.stockroom.platform.config.ConfigKey.MONGO_URI))
      .put("db_name", "stockroom");
    return Storage.driverSettings(vertx, config, settings);
  }

  @Test
  @DisplayName("mongodb+srv:// reaches the driver as an SRV lookup with TLS on; the service's own settings still apply")
  void srvConnectionString() throws Exception {
    MongoClientSettings settings = driver(new JsonObject().put("mongo.uri",
      "mongodb+srv://stockroom.abc12.mongodb.example.net/?authSource=admin&appName=stockroom"));
    assertEquals("stockroom.abc12.mongodb.example.net", settings.getClusterSettings().getSrvHost());
    assertTrue(settings.getSslSettings().isEnabled(), "SRV connection strings imply TLS");
    // no CA file: the JVM's trusted CAs, which do not include this run's CA (and never trust all)
    SSLContext jvmTrust = settings.getSslSettings().getContext();
    if (jvmTrust != null) assertThrows(SSLHandshakeException.class, () -> handshake(jvmTrust));
    assertEquals("stockroom", settings.getApplicationName());
    assertEquals(WriteConcern.MAJORITY.withJournal(true), settings.getWriteConcern());
  }

  @Test
  @DisplayName("tls=true and the replica set of a mongodb:// string reach the driver; without them TLS stays off")
  void tlsConnectionString() {
    MongoClientSettings settings = driver(new JsonObject().put("mongo.uri",
      "mongodb://db-0.example.net:27017,db-1.example.net:27017/?replicaSet=rs0&tls=true&tlsAllowInvalidHostnames=false"));
    assertTrue(settings.getSslSettings().isEnabled());
    assertEquals(false, settings.getSslSettings().isInvalidHostNameAllowed());
    assertEquals(List.of(new ServerAddress("db-0.example.net", 27017), new ServerAddress("db-1.example.net", 27017)),
      settings.getClusterSettings().getHosts());
    assertEquals("rs0", settings.getClusterSettings().getRequiredReplicaSetName());
    assertEquals(false, driver(new JsonObject().put("mongo.uri", "mongodb://db-0.example.net:27017/")).getSslSettings().isEnabled());
  }

  @Test
  @DisplayName("mongo.tls.caFile turns TLS on with a context that completes a handshake with a server its CA signed, "
    + "and only with such a server")
  void caFileBecomesTheTrust() throws Exception {
    MongoClientSettings settings = driver(new JsonObject().put("mongo.uri", "mongodb://db-0.example.net:27017/")
      .put("mongo.tls.caFile", tlsServer.caFile().toString()));
    assertTrue(settings.getSslSettings().isEnabled());
    SSLContext trusted = settings.getSslSettings().getContext();
    assertNotNull(trusted);
    handshake(trusted);

    SSLContext other = driver(new JsonObject().put("mongo.uri", "mongodb://db-0.example.net:27017/")
      .put("mongo.tls.caFile", tlsServer.otherCaFile().toString())).getSslSettings().getContext();
    assertThrows(SSLHandshakeException.class, () -> handshake(other));
  }

  @Test
  @DisplayName("a CA file that is missing or holds no certificate stops the start naming STOCKROOM_MONGO_TLS_CA_FILE")
  void badCaFile() throws Exception {
    ConfigException missing = assertThrows(ConfigException.class,
      () -> driver(new JsonObject().put("mongo.uri", "mongodb://h:27017/").put("mongo.tls.caFile", "/nonexistent/ca.pem")));
    assertTrue(missing.getMessage().contains("STOCKROOM_MONGO_TLS_CA_FILE"), missing.getMessage());
    ConfigException notPem = assertThrows(ConfigException.class, () -> driver(new JsonObject().put("mongo.uri", "mongodb://h:27017/")
      .put("mongo.tls.caFile", tlsServer.dir.resolve("server.ext").toString())));
    assertTrue(notPem.getMessage().contains("STOCKROOM_MONGO_TLS_CA_FILE"), notPem.getMessage());

    Vertx service = Vertx.vertx();
    try {
      JsonObject config = TestStack.overrides(TestStack.freePort()).put("mongo.tls.caFile", "/nonexistent/ca.pem");
      Throwable refused = service.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config))
        .<Throwable>transform(done -> Future.succeededFuture(done.cause())).await();
      assertInstanceOf(ConfigException.class, refused, String.valueOf(refused));
      assertTrue(refused.getMessage().contains("STOCKROOM_MONGO_TLS_CA_FILE"), refused.getMessage());
    } finally {
      service.close().await();
    }
  }

  @Test
  @DisplayName("a CA file without a MongoDB or Redis URI (the embedded stand-ins speak no TLS) stops the start naming the URI")
  void caFileWithoutUri() {
    for (String ca : new String[] {"mongo.tls.caFile", "redis.tls.caFile"}) {
      Vertx service = Vertx.vertx();
      try {
        JsonObject config = TestStack.overrides(TestStack.freePort()).put("mongo.uri", "").put("redis.uri", "")
          .put(ca, tlsServer.caFile().toString());
        Throwable refused = service.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config))
          .<Throwable>transform(done -> Future.succeededFuture(done.cause())).await();
        assertInstanceOf(ConfigException.class, refused, String.valueOf(refused));
        String uri = ca.startsWith("mongo") ? "STOCKROOM_MONGO_URI" : "STOCKROOM_REDIS_URI";
        assertTrue(refused.getMessage().contains(uri), refused.getMessage());
      } finally {
        service.close().await();
      }
    }
  }

  private static void handshake(SSLContext context) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tlsServer.port)) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
    }
  }
}
