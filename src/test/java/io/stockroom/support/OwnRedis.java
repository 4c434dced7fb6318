package io.stockroom.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import redis.embedded.RedisServer;

import java.util.concurrent.Callable;

/**
 * A redis-server of a test's own, a Vert.x client for it, and one event-loop context to run code on as a verticle
 * would (Redis-backed pieces keep state confined to the context that created them).
 */
public final class OwnRedis implements AutoCloseable {
  public final Vertx vertx;
  public final Redis redis;
  public final Context context;
  private final RedisServer server;

  private OwnRedis(Vertx vertx, Redis redis, Context context, RedisServer server) {
    this.vertx = vertx;
    this.redis = redis;
    this.context = context;
    this.server = server;
  }

  public static OwnRedis start() throws Exception {
    int port = TestStack.freePort();
    RedisServer server = TestStack.privateRedis(port);
    server.start();
    Vertx vertx = Vertx.vertx();
    return new OwnRedis(vertx, Redis.createClient(vertx, "redis://127.0.0.1:" + port), vertx.getOrCreateContext(), server);
  }

  /** Runs {@code work} on the context and waits for its result (a thrown exception fails it). */
  public <T> T onContext(Callable<Future<T>> work) {
    return OnContext.await(context, work);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await();
    server.stop();
  }
}
