package io.stockroom.support;

import io.stockroom.MainVerticle;
import io.stockroom.platform.config.ConfigKey;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.ArrayList;
import java.util.List;

/**
 * A second Stockroom instance in the test JVM, on the test stack's MongoDB and Redis but with a Vert.x of its own and
 * no cluster: only the database and Redis coordinate the two, as two pods whose cluster link broke. Its failpoints are
 * armed on {@link #vertx}.
 */
public final class SecondInstance implements AutoCloseable {
  public final Vertx vertx;
  public final Api api;
  /** Its management server (metrics, probes), on a free port of its own. */
  public final Api management;
  /** A Redis client on the shared Redis, for tests that take locks away. */
  public final RedisAPI redis;

  private SecondInstance(Vertx vertx, Api api, RedisAPI redis) {
    this.vertx = vertx;
    this.api = api;
    this.management = TestStack.management(vertx);
    this.redis = redis;
  }

  /**
   * One with 1 s locks: its units' deadlines and journal leases (a third of that) follow, so a lock it loses expires,
   * and a unit it leaves is recovered, within about a second.
   */
  public static SecondInstance withShortLocks(TestStack stack) {
    return start(stack, new JsonObject().put("locks.ttlMs", 1_000));
  }

  /** Starts one with the suite's settings plus {@code overrides} (flat keys such as {@code locks.ttlMs}). */
  public static SecondInstance start(TestStack stack, JsonObject overrides) {
    Vertx vertx = Vertx.vertx();
    int port = TestStack.freePort();
    JsonObject config = TestStack.overrides(port)
      .put("mongo.uri", stack.settings.string(ConfigKey.MONGO_URI))
      .put("mongo.database", stack.settings.string(ConfigKey.MONGO_DATABASE))
      .put("redis.uri", stack.settings.string(ConfigKey.REDIS_URI))
      .mergeIn(overrides);
    vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config)).await();
    Api api = new Api(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        // below the server's 60 s idle timeout: a pooled connection is never reused just as the server closes it
        .setKeepAliveTimeout(30),
      new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64)));
    return new SecondInstance(vertx, api, RedisAPI.api(Redis.createClient(vertx, stack.settings.string(ConfigKey.REDIS_URI))));
  }

  /** Deletes every lock key in Redis (as a failover that lost them would); answers how many there were. */
  public int deleteLocks() {
    List<String> keys = new ArrayList<>();
    redis.keys("lock:*").await().forEach(key -> keys.add(key.toString()));
    if (keys.isEmpty()) return 0;
    redis.del(keys).await();
    return keys.size();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
