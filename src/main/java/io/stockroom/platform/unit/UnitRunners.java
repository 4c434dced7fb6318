package io.stockroom.platform.unit;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.config.TransactionMode;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;

/** Chooses how units of work are made atomic, from {@code mongo.transactions} and what the server supports. */
public final class UnitRunners {
  private UnitRunners() {
  }

  private static final String IS_MASTER = "isMaster";
  private static final String HELLO = "hello";

  /** What the server tells of its role: the replica set it belongs to, or {@code isdbgrid} from a mongos. */
  private record ServerRole(String setName, String msg) {
    boolean supportsTransactions() {
      return setName != null || "isdbgrid".equals(msg);
    }
  }

  /** True when the server is a replica-set member or mongos (multi-document transactions available). */
  public static Future<Boolean> serverSupportsTransactions(MongoClient mongo) {
    return mongo.runCommand(IS_MASTER, Ops.where(IS_MASTER, 1))
      .recover(notSupported -> mongo.runCommand(HELLO, Ops.where(HELLO, 1)))
      .map(reply -> RecordCodec.fromDocument(ServerRole.class, reply).supportsTransactions());
  }

  /**
   * Resolves {@code auto}/{@code required}/{@code off} against the server.
   * @return true for transactions, false for compensating units; fails when {@code required} cannot be honoured
   */
  public static Future<Boolean> resolveMode(MongoClient mongo, Settings settings) {
    TransactionMode mode = settings.transactionMode();
    if (mode == TransactionMode.OFF) return Future.succeededFuture(false);
    return serverSupportsTransactions(mongo).compose(supported -> {
      if (!supported && mode == TransactionMode.REQUIRED) {
        return Future.failedFuture(new ConfigException(ConfigKey.MONGO_TRANSACTIONS.key() + "=required (env "
          + ConfigKey.MONGO_TRANSACTIONS.envName() + ") but the MongoDB server does not support transactions "
          + "(it is not a replica set or sharded cluster)"));
      }
      return Future.succeededFuture(supported);
    });
  }

  /** The runner for a verticle; {@code transactions} is what {@link #resolveMode} answered. */
  public static UnitRunner create(Vertx vertx, Settings settings, MongoClient mongo, boolean transactions) {
    Failpoints failpoints = new Failpoints(vertx, settings.bool(ConfigKey.TESTING_FAILPOINTS));
    return transactions
      ? new TransactionalUnitRunner(vertx, Storage.driver(mongo), settings.string(ConfigKey.MONGO_DATABASE), failpoints)
      : new CompensatingUnitRunner(vertx, mongo, failpoints, settings.integer(ConfigKey.LOCKS_TTL_MS),
          settings.bool(ConfigKey.TESTING_RERUN_UNITS));
  }
}
