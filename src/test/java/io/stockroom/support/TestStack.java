package io.stockroom.support;

import io.stockroom.MainVerticle;
import io.stockroom.management.ManagementVerticle;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;

/**
 * One running Stockroom for the whole test JVM: the real MainVerticle with its real verticles, the embedded MongoDB
 * stand-in (or STOCKROOM_MONGO_URI) and a real redis-server (embedded, or STOCKROOM_REDIS_URI), over real HTTP.
 * Tests isolate themselves by signing up their own tenants; the database name is unique per run.
 */
public final class TestStack {
  /** Test-only HS256 secret, so tests can forge tokens (expired, wrong audience, ...). Never used outside tests. */
  public static final String TEST_JWT_SECRET = "test-only-secret-0123456789abcdefghijklmnop";
  public static final String ISSUER = "stockroom";
  public static final String AUDIENCE = "stockroom-api";

  private static TestStack instance;

  public final Vertx vertx;
  public final int port;
  public final WebClient client;
  public final Api api;
  /** The management server (metrics, probes), on a free port of its own. */
  public final int managementPort;
  public final Api management;
  public final MongoClient mongo;
  /** The settings the stack runs with (after embedded servers were started: their URIs included). */
  public final Settings settings;

  private TestStack(Vertx vertx, int port, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.port = port;
    this.managementPort = ManagementVerticle.boundPort(vertx);
    this.management = management(vertx);
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        // below the server's 60 s idle timeout: a pooled connection is never reused just as the server closes it
        .setKeepAliveTimeout(30),
      new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    this.api = new Api(client);
    this.mongo = MongoClient.createShared(vertx, new JsonObject()
      .put("connection_string", settings.string(ConfigKey.MONGO_URI)).put("db_name", settings.string(ConfigKey.MONGO_DATABASE)), "tests");
  }

  /** A client of the management server of the instance running on {@code vertx}. */
  public static Api management(Vertx vertx) {
    return new Api(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(ManagementVerticle.boundPort(vertx)).setKeepAliveTimeout(30)));
  }

  /** The stack of this JVM if one was started, else null (without starting one). */
  public static synchronized TestStack started() {
    return instance;
  }

  public static synchronized TestStack get() {
    QueryShapes.record();
    if (instance == null) instance = start();
    return instance;
  }

  /** Flat overrides the suite runs with; environment variables for Mongo/Redis URIs still apply. */
  public static JsonObject overrides(int port) {
    return new JsonObject()
      .put("http.port", port)
      .put("http.host", "127.0.0.1")
      .put("http.instances", 2)
      // each instance in the JVM gets a free management port (TestStack.management finds it)
      .put("management.port", 0)
      .put("management.host", "127.0.0.1")
      .put("auth.bcryptCost", 4)
      // The suite's many tenants all come from 127.0.0.1: limits high enough never to bind (AbuseResistanceTest has its own).
      .put("rateLimits.tenantPerSecond", 1_000_000)
      .put("rateLimits.userPerSecond", 1_000_000)
      .put("rateLimits.addressPerMinute", 10_000_000)
      .put("rateLimits.loginPerMinute", 1_000_000)
      .put("auth.addressLockoutFailures", 1_000_000)
      .put("auth.hashingQueue", 1_000)
      .put("mongo.database", "stockroom_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
      .put("jwt.hmacSecret", TEST_JWT_SECRET)
      .put("testing.failpoints", true)
      .put("webhooks.allowPrivateTargets", true)
      .put("webhooks.timeoutMs", 3_000)
      .put("imports.maxBytes", 2 * 1024 * 1024)
      .put("imports.maxRunningPerTenant", 3)
      // the rerun-units execution (pom.xml): every unit's first run is undone and the work runs again
      .put("testing.rerunUnits", Boolean.getBoolean("stockroom.testing.rerunUnits"));
  }

  /** A free port can be taken by someone else before it is bound (the embedded redis-server picks one too): retry. */
  private static TestStack start() {
    LogCapture.install();
    for (int attempt = 1; ; attempt++) {
      Vertx vertx = Vertx.vertx(io.stockroom.platform.metrics.Meters.vertxOptions(true));
      int port = freePort();
      MainVerticle main = new MainVerticle();
      try {
        vertx.deployVerticle(main, new io.vertx.core.DeploymentOptions().setConfig(overrides(port))).await();
      } catch (RuntimeException e) {
        vertx.close().await();
        if (attempt == 3 || !(e instanceof java.io.UncheckedIOException || e.getCause() instanceof java.net.BindException
          || e.toString().contains("BindException") || e.toString().contains("Address already in use"))) throw e;
        continue;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
      return new TestStack(vertx, port, main.settings());
    }
  }

  /** A redis-server of a test's own on {@code port} (loopback, nothing persisted), not started yet. */
  public static RedisServer privateRedis(int port) throws IOException {
    return RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no")
      .onShutdownForceStop(true).build();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A free port below the kernel's ephemeral range (32768 and up on Linux), for a server that another process binds
   * seconds later: a port from {@link #freePort} is an ephemeral one, which any outgoing connection on the machine (the
   * other instances' connections to MongoDB, Redis and each other) may take meanwhile.
   */
  public static int freeListenPort() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    return freePort();
  }
}
