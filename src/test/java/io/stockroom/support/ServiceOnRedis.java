package io.stockroom.support;

import io.stockroom.MainVerticle;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.Callable;

/**
 * A Stockroom of its own (its own Vert.x, its own embedded MongoDB stand-in unless STOCKROOM_MONGO_URI is set) on a
 * Redis topology given by {@code redis.*} overrides, with the suite's other settings.
 */
public final class ServiceOnRedis implements AutoCloseable {
  public final Vertx vertx;
  public final Settings settings;
  public final WebClient client;
  public final Api api;
  public final MongoClient mongo;
  /** An event-loop context for Redis-backed pieces a test drives directly (they stay on the context that made them). */
  public final Context context;

  private ServiceOnRedis(Vertx vertx, Settings settings, WebClient client) {
    this.vertx = vertx;
    this.settings = settings;
    this.client = client;
    this.api = new Api(client);
    this.mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", settings.string(ConfigKey.MONGO_URI))
      .put("db_name", settings.string(ConfigKey.MONGO_DATABASE)));
    this.context = vertx.getOrCreateContext();
  }

  /** Starts one with the suite's settings plus {@code overrides} (flat keys: {@code redis.type}, {@code redis.uri}, ...). */
  public static ServiceOnRedis start(JsonObject overrides) {
    Vertx vertx = Vertx.vertx();
    int port = TestStack.freePort();
    MainVerticle main = new MainVerticle();
    try {
      vertx.deployVerticle(main, new DeploymentOptions().setConfig(TestStack.overrides(port).mergeIn(overrides))).await();
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setKeepAliveTimeout(30), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    return new ServiceOnRedis(vertx, main.settings(), client);
  }

  /** Runs {@code work} on {@link #context} and waits for its result. */
  public <T> T onContext(Callable<Future<T>> work) {
    return OnContext.await(context, work);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
