package io.stockroom;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Entry point of the runnable jar: {@code java -jar target/stockroom.jar}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx(new VertxOptions());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Shutdown did not complete cleanly: {}", e.toString());
      }
    }, "stockroom-shutdown"));
    vertx.deployVerticle(new MainVerticle())
      .onFailure(err -> {
        LOG.error("Stockroom failed to start: {}", err.getMessage(), err instanceof io.stockroom.platform.config.ConfigException ? null : err);
        System.exit(1);
      });
  }
}
