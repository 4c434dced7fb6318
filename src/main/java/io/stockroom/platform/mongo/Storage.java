package io.stockroom.platform.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import io.stockroom.platform.config.CaFile;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.redis.RedisConnections;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;
import io.vertx.redis.client.Redis;

import javax.net.ssl.SSLContext;
import java.util.concurrent.TimeUnit;

/**
 * Clients to the data stores, shared by all verticles of this process: one MongoDB driver client (one pool), whatever
 * the number of verticles and whether units run as transactions.
 *
 * <p>The MongoDB settings hold for every command the process sends:
 * <ul>
 *   <li>{@code mongo.timeoutMs} is the driver's operation timeout: server selection, the wait for a pooled connection
 *       and the server's own work ({@code maxTimeMS}, which the driver adds to every command from what is left) all
 *       end within it, so the server stops no later than its caller gives up;</li>
 *   <li>writes wait for a majority of the replica set, journaled, so an acknowledged write survives a failover;</li>
 *   <li>reads go to the primary with majority read concern (snapshot inside transactions);</li>
 *   <li>retryable reads and writes ride out an election; server selection waits {@code mongo.serverSelectionTimeoutMs},
 *       longer than an election, within the operation timeout;</li>
 *   <li>TLS as the connection string says ({@code tls=true}, {@code mongodb+srv://}); {@code mongo.tls.caFile} turns it
 *       on and trusts the CAs of that PEM file instead of the JVM's.</li>
 * </ul>
 */
public final class Storage {
  private static final String MONGO_POOL = "stockroom-mongo";
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** Every write, inside a transaction (its commit) or not: acknowledged once a majority has it in its journal. */
  public static final WriteConcern DURABLE_WRITES = WriteConcern.MAJORITY.withJournal(true);

  private Storage() {
  }

  /** The Vert.x MongoDB client's configuration, in its own key names. */
  private record ClientConfig(@Key("connection_string") String connectionString, @Key("db_name") String dbName) {
  }

  public static MongoClient mongo(Vertx vertx, Settings settings) {
    return mongo(vertx, settings, MONGO_POOL);
  }

  /** A client with a pool of its own (the benchmark's floor), with the service's settings. */
  public static MongoClient mongo(Vertx vertx, Settings settings, String poolName) {
    JsonObject config = RecordCodec.toApi(new ClientConfig(settings.string(ConfigKey.MONGO_URI), settings.string(ConfigKey.MONGO_DATABASE)));
    return new SharedMongoClient(vertx, config, poolName, driverSettings(vertx, config, settings));
  }

  /** The driver client under {@code mongo}, for what the Vert.x API does not offer (sessions, transactions). */
  public static com.mongodb.reactivestreams.client.MongoClient driver(MongoClient mongo) {
    if (mongo instanceof SharedMongoClient shared) return shared.driver();
    throw new IllegalArgumentException("not a client made by Storage.mongo");
  }

  static MongoClientSettings driverSettings(Vertx vertx, JsonObject config, Settings settings) {
    // Vert.x's parser reads only part of the connection string (it drops appName, for one): the driver reads all of it
    // (tls=true, mongodb+srv://, replicaSet, authSource... as written); the settings below win over what it says
    MongoClientSettings.Builder builder = MongoClientSettings.builder(new MongoClientOptionsParser(vertx, config).settings())
      .applyConnectionString(new ConnectionString(config.getString("connection_string")));
    if (!settings.isBlank(ConfigKey.MONGO_TLS_CA_FILE)) {
      SSLContext trusted = CaFile.sslContext(settings, ConfigKey.MONGO_TLS_CA_FILE);
      builder.applyToSslSettings(ssl -> ssl.enabled(true).context(trusted));
    }
    return builder
      .timeout(settings.integer(ConfigKey.MONGO_TIMEOUT_MS), TimeUnit.MILLISECONDS)
      .writeConcern(DURABLE_WRITES)
      .readConcern(ReadConcern.MAJORITY)
      .readPreference(ReadPreference.primary())
      .retryWrites(true)
      .retryReads(true)
      .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
        settings.integer(ConfigKey.MONGO_SERVER_SELECTION_TIMEOUT_MS), TimeUnit.MILLISECONDS))
      .applyToSocketSettings(socket -> socket.connectTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
      .applyToConnectionPoolSettings(pool -> pool.maxSize(settings.integer(ConfigKey.MONGO_POOL_SIZE)))
      .addCommandListener(RoundTrips.LISTENER)
      .build();
  }

  public static Redis redis(Vertx vertx, Settings settings) {
    return RedisConnections.create(vertx, settings);
  }
}
