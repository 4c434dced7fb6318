package io.stockroom.platform.embedded;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The trial-mode stand-ins: an in-process MongoDB wire-protocol server (no transactions, data in memory) when no
 * {@code mongo.uri} is configured, and a private redis-server child process when no {@code redis.uri} is. Both bind
 * to 127.0.0.1 on free ports and stop with {@link #stop()}.
 */
public final class EmbeddedServers {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

  private MongoServer mongo;
  private RedisServer redis;

  /** Starts what the settings leave unconfigured and returns settings pointing at it. */
  public Future<Settings> startMissing(Vertx vertx, Settings settings) {
    return vertx.executeBlocking(() -> {
      Settings result = settings;
      if (settings.isBlank(ConfigKey.MONGO_URI)) {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress address = mongo.getLocalAddress();
        result = result.with(ConfigKey.MONGO_URI, "mongodb://127.0.0.1:" + address.getPort());
        LOG.warn("EMBEDDED MongoDB stand-in started on 127.0.0.1:{} (in memory, no transactions): for trying Stockroom "
          + "out only, data is lost on exit. Set STOCKROOM_MONGO_URI for real use.", address.getPort());
      }
      if (settings.isBlank(ConfigKey.REDIS_URI)) {
        int port = freePort();
        redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
          .setting("save \"\"").setting("appendonly no").onShutdownForceStop(true).build();
        redis.start();
        result = result.with(ConfigKey.REDIS_URI, "redis://127.0.0.1:" + port);
        LOG.warn("EMBEDDED redis-server started on 127.0.0.1:{}: for trying Stockroom out only. "
          + "Set STOCKROOM_REDIS_URI for real use.", port);
      }
      return result;
    });
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
      mongo.shutdownNow();
      mongo = null;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
