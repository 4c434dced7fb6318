package io.stockroom.platform.mongo;

import com.mongodb.MongoClientSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.impl.MongoClientImpl;

/**
 * The Vert.x client over the process's one driver client. Vert.x shares the driver client (and its pool) between
 * every {@code MongoClient} created under the same name; the transactional runner needs sessions, which the Vert.x API
 * does not offer, so it takes the same driver client from here instead of opening a second pool.
 */
final class SharedMongoClient extends MongoClientImpl {
  SharedMongoClient(Vertx vertx, JsonObject config, String poolName, MongoClientSettings settings) {
    super(vertx, config, poolName, settings);
  }

  com.mongodb.reactivestreams.client.MongoClient driver() {
    return mongo;
  }
}
