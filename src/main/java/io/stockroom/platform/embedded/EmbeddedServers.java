package io.stockroom.platform.embedded;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;

import io.stockroom.platform.embedded.standin.StandInStore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * The trial-mode stand-ins: an in-process MongoDB wire-protocol server (no transactions; its data in
 * {@code embedded.dataDir}, kept across restarts, or in memory) when no {@code mongo.uri} is configured, and a private
 * redis-server child process (nothing kept: locks and limits are transient) when no {@code redis.uri} is. Both bind
 * to 127.0.0.1 on free ports and stop with {@link #stop()}.
 */
public final class EmbeddedServers {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

  /** {@code embedded.dataDir}'s value for a stand-in that keeps its data in the heap only. */
  public static final String IN_MEMORY = "memory";

  private StandInStore mongo;
  private RedisServer redis;

  /** Starts what the settings leave unconfigured and returns settings pointing at it. */
  public Future<Settings> startMissing(Vertx vertx, Settings settings) {
    // the stand-ins speak no TLS: a CA file for one of them is a configuration that lost its URI
    for (ConfigKey[] uriAndCa : new ConfigKey[][] {{ConfigKey.MONGO_URI, ConfigKey.MONGO_TLS_CA_FILE},
      {ConfigKey.REDIS_URI, ConfigKey.REDIS_TLS_CA_FILE}}) {
      if (settings.isBlank(uriAndCa[0]) && !settings.isBlank(uriAndCa[1])) {
        return Future.failedFuture(new ConfigException(uriAndCa[1].envName() + " is set but " + uriAndCa[0].envName()
          + " is empty: set the URI of the server that certificate is for (the embedded stand-in speaks no TLS)"));
      }
    }
    return vertx.executeBlocking(() -> {
      Settings result = settings;
      if (settings.isBlank(ConfigKey.MONGO_URI)) {
        String dataDir = settings.string(ConfigKey.EMBEDDED_DATA_DIR);
        result = result.with(ConfigKey.MONGO_URI, startMongo(0, dataDir));
        LOG.warn("EMBEDDED MongoDB stand-in started at {} (no transactions, data {}): for trying Stockroom out only. "
            + "Set STOCKROOM_MONGO_URI for real use.", result.string(ConfigKey.MONGO_URI),
          mongo.file() == null ? "in memory, lost on exit" : "in " + mongo.file().toAbsolutePath());
      }
      if (settings.isBlank(ConfigKey.REDIS_URI)) {
        result = result.with(ConfigKey.REDIS_URI, startRedis(freePort()));
        LOG.warn("EMBEDDED redis-server started at {}: for trying Stockroom out only. "
          + "Set STOCKROOM_REDIS_URI for real use.", result.string(ConfigKey.REDIS_URI));
      }
      return result;
    });
  }

  /** Starts a MongoDB stand-in in memory on 127.0.0.1 ({@code port} 0: a free one) and answers its URI. Blocking. */
  public String startMongo(int port) {
    return startMongo(port, IN_MEMORY);
  }

  /**
   * Starts the MongoDB stand-in on 127.0.0.1 ({@code port} 0: a free one) with its data in {@code dataDir}
   * ({@link #IN_MEMORY}: the heap) and answers its URI. Blocking.
   */
  public String startMongo(int port, String dataDir) {
    if (dataDir.isBlank()) throw new ConfigException(ConfigKey.EMBEDDED_DATA_DIR.envName() + " is empty: set a directory, or "
      + IN_MEMORY + " to keep the embedded data in memory");
    mongo = IN_MEMORY.equals(dataDir) ? StandInStore.inMemory() : StandInStore.inDirectory(Path.of(dataDir));
    try {
      return mongo.bind("127.0.0.1", port);
    } catch (RuntimeException e) {
      mongo.close();
      mongo = null;
      throw e;
    }
  }

  /** Starts a private redis-server on 127.0.0.1:{@code port} and answers its URI. Blocking. */
  public String startRedis(int port) {
    try {
      redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
        .setting("save \"\"").setting("appendonly no").onShutdownForceStop(true).build();
      redis.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "redis://127.0.0.1:" + port;
  }

  public boolean mongoEmbedded() {
    return mongo != null;
  }

  public void stop() {
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException e) {
        LOG.warn("Embedded redis-server did not stop cleanly", e);
      }
      redis = null;
    }
    if (mongo != null) {
      mongo.close();
      mongo = null;
    }
  }

  /** A port free right now on this machine (someone may take it before it is bound). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
