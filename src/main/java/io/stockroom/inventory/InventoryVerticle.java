package io.stockroom.inventory;

import io.stockroom.platform.ConfigKey;
import io.stockroom.platform.ServiceConsumers;
import io.stockroom.platform.Settings;
import io.stockroom.platform.Storage;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.UnitRunners;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.redis.client.Redis;

import java.time.Duration;

/** Owns the movement ledger and adjustments: manual stock changes, counts, movement queries and the audit. */
public class InventoryVerticle extends VerticleBase {
  private Redis redis;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    redis = Storage.redis(vertx, settings);
    LockManager locks = new LockManager(vertx, redis, settings.integer(ConfigKey.LOCKS_TTL_MS), settings.integer(ConfigKey.LOCKS_WAIT_MS));
    IdempotencyStore idempotency = new IdempotencyStore(mongo, Duration.ofHours(settings.integer(ConfigKey.IDEMPOTENCY_RETENTION_HOURS)));
    return UnitRunners.resolveMode(mongo, settings).compose(transactions -> {
      InventoryService inventory = new InventoryService(vertx, mongo, locks, UnitRunners.create(vertx, settings, mongo, transactions));
      return new ServiceConsumers(vertx.eventBus())
        .bind(InventoryContract.AUDIT, inventory::audit)
        .bind(InventoryContract.MOVEMENTS_LIST, inventory::listMovements)
        .bind(InventoryContract.ADJUST, idempotency.wrap("adjust", inventory::adjust))
        .bind(InventoryContract.COUNT, idempotency.wrap("count", inventory::count))
        .ready();
    });
  }

  @Override
  public Future<?> stop() {
    redis.close();
    return Future.succeededFuture();
  }
}
