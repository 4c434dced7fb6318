package io.stockroom.inventory.kernel;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;


import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.UnitRunner;
import io.stockroom.platform.unit.UnitRunners;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.redis.client.Redis;


/**
 * What every stock-changing service verticle needs, built once per verticle from its settings: the shared Mongo
 * pool, a Redis client with its lock manager, the idempotency store, the stock kernel (locks + unit-of-work runner
 * for the server's transaction mode). Close it when the verticle stops.
 */
public record StockServiceKit(MongoClient mongo, Redis redis, LockManager locks, IdempotencyStore idempotency, UnitRunner units,
                              StockKernel kernel, long lockTtlMs) {

  public static Future<StockServiceKit> create(Vertx vertx, Settings settings) {
    MongoClient mongo = Storage.mongo(vertx, settings);
    return UnitRunners.resolveMode(mongo, settings).map(transactions -> {
      Redis redis = Storage.redis(vertx, settings);
      LockManager locks = new LockManager(vertx, redis, new LockManager.LockSettings(settings.integer(ConfigKey.LOCKS_TTL_MS),
        settings.integer(ConfigKey.LOCKS_WAIT_MS), settings.integer(ConfigKey.LOCKS_MAX_WAITERS),
        settings.integer(ConfigKey.REDIS_COMMAND_TIMEOUT_MS)));
      UnitRunner units = UnitRunners.create(vertx, settings, mongo, transactions);
      IdempotencyStore idempotency = new IdempotencyStore(mongo, units, IdempotencyStore.retention(settings),
        IdempotencyStore.staleAfter(settings));
      return new StockServiceKit(mongo, redis, locks, idempotency, units, new StockKernel(vertx, locks, units,
        settings.integer(ConfigKey.BUS_TIMEOUT_MS), settings.integer(ConfigKey.LOCKS_TTL_MS)),
        settings.integer(ConfigKey.LOCKS_TTL_MS));
    });
  }

  public Future<Void> close() {
    redis.close();
    return units.close();
  }
}
