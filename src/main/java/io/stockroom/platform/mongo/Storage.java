package io.stockroom.platform.mongo;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import com.mongodb.MongoClientSettings;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Clients to the data stores, shared by all verticles of this process (one connection pool each). */
public final class Storage {
  private static final String MONGO_POOL = "stockroom-mongo";

  private Storage() {
  }

  public static MongoClient mongo(Vertx vertx, Settings settings) {
    return mongo(vertx, settings, MONGO_POOL);
  }

  /** A client with a pool of its own (the benchmark's floor), counted like the service's. */
  public static MongoClient mongo(Vertx vertx, Settings settings, String poolName) {
    int timeoutMs = settings.integer(ConfigKey.MONGO_TIMEOUT_MS);
    JsonObject config = new JsonObject()
      .put("connection_string", settings.string(ConfigKey.MONGO_URI))
      .put("db_name", settings.string(ConfigKey.MONGO_DATABASE))
      .put("socketTimeoutMS", timeoutMs)
      .put("connectTimeoutMS", Math.min(timeoutMs, 5_000))
      .put("serverSelectionTimeoutMS", Math.min(timeoutMs, 5_000))
      .put("waitQueueTimeoutMS", timeoutMs);
    // The settings Vert.x would derive from this config, plus the round-trip counter; the client is shared by name.
    MongoClientSettings withCounter = MongoClientSettings.builder(new MongoClientOptionsParser(vertx, config).settings())
      .addCommandListener(RoundTrips.LISTENER).build();
    return MongoClient.createWithMongoSettings(vertx, config, poolName, withCounter);
  }

  public static Redis redis(Vertx vertx, Settings settings) {
    return io.stockroom.platform.redis.RedisConnections.create(vertx, settings);
  }
}
