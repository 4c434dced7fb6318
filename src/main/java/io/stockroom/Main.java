package io.stockroom;

import io.stockroom.api.Lifecycle;
import io.stockroom.platform.cluster.Clustering;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigLoader;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.embedded.DevStores;
import io.stockroom.platform.logging.QueuedAppender;
import io.stockroom.platform.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the runnable jar: {@code java -jar target/stockroom.jar} runs the service (clustered when
 * {@code cluster.enabled}); {@code java -jar target/stockroom.jar migrate} brings the database to the schema manifest;
 * {@code java -jar target/stockroom.jar dev-stores} runs shared development stores.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("dev-stores")) {
      DevStores.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("migrate")) {
      int exitCode = Migrate.run(new JsonObject(), System.out);
      QueuedAppender.flush();
      System.exit(exitCode);
    }
    settings()
      .compose(settings -> Clustering.vertx(settings, Meters.vertxOptions(settings.bool(ConfigKey.METRICS_ENABLED))).compose(vertx -> {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, settings.integer(ConfigKey.SHUTDOWN_DRAIN_MS)),
          "stockroom-shutdown"));
        return vertx.deployVerticle(new MainVerticle(settings));
      }))
      .onFailure(err -> {
        LOG.error("Stockroom failed to start: {}", err.getMessage(), err instanceof ConfigException ? null : err);
        QueuedAppender.flush();
        System.exit(1);
      });
  }

  /** The settings decide how Vert.x itself starts (clustered or not), so they are read once before it. */
  private static Future<Settings> settings() {
    Vertx reader = Vertx.vertx();
    return ConfigLoader.load(reader, new JsonObject()).eventually(reader::close);
  }

  /**
   * SIGTERM: drain (readiness DOWN, new requests refused, accepted ones finish, bounded by {@code shutdown.drainMs}),
   * then close Vert.x: servers and bridge sockets close, verticles stop, the instance leaves the cluster.
   */
  private static void shutdown(Vertx vertx, int drainMs) {
    try {
      int left = Lifecycle.of(vertx).drain(drainMs);
      if (left > 0) LOG.warn("Stopping with {} request(s) still in flight after {} ms of draining", left, drainMs);
      else LOG.info("Drained: no request in flight; stopping");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close(vertx);
    QueuedAppender.flush();
  }

  private static void close(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown did not complete cleanly: {}", e.toString());
    }
  }
}
