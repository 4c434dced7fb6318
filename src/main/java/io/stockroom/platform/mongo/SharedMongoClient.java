package io.stockroom.platform.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.impl.MongoClientImpl;

import java.util.concurrent.TimeUnit;

/**
 * The Vert.x client over the process's one driver client. Vert.x shares the driver client (and its pool) between
 * every {@code MongoClient} created under the same name; the transactional runner needs sessions, and a unit's steps
 * a timeout of their own ({@link DeadlineCalls}), which the Vert.x API does not offer, so they take the same driver
 * client from here instead of opening a second pool.
 */
final class SharedMongoClient extends MongoClientImpl {
  private final Vertx vertx;
  private final String databaseName;
  private final long timeoutMs;

  SharedMongoClient(Vertx vertx, JsonObject config, String poolName, MongoClientSettings settings) {
    super(vertx, config, poolName, settings);
    this.vertx = vertx;
    this.databaseName = config.getString("db_name");
    this.timeoutMs = settings.getTimeout(TimeUnit.MILLISECONDS);
  }

  com.mongodb.reactivestreams.client.MongoClient driver() {
    return mongo;
  }

  /** The database of this client, with its codecs (the Vert.x client's for {@code JsonObject} among them). */
  MongoDatabase database() {
    return mongo.getDatabase(databaseName);
  }

  /** Every operation's timeout unless a caller gives a shorter one ({@code mongo.timeoutMs}). */
  long timeoutMs() {
    return timeoutMs;
  }

  Vertx vertx() {
    return vertx;
  }
}
