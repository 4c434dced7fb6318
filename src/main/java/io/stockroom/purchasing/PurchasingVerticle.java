package io.stockroom.purchasing;

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

/** Owns purchase orders and receipts. */
public class PurchasingVerticle extends VerticleBase {
  private Redis redis;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    redis = Storage.redis(vertx, settings);
    LockManager locks = new LockManager(vertx, redis, settings.integer(ConfigKey.LOCKS_TTL_MS), settings.integer(ConfigKey.LOCKS_WAIT_MS));
    IdempotencyStore idempotency = new IdempotencyStore(mongo, Duration.ofHours(settings.integer(ConfigKey.IDEMPOTENCY_RETENTION_HOURS)));
    return UnitRunners.resolveMode(mongo, settings).compose(transactions -> {
      PurchaseOrderService purchaseOrders = new PurchaseOrderService(mongo, locks);
      ReceivingService receiving = new ReceivingService(vertx, mongo, locks, UnitRunners.create(vertx, settings, mongo, transactions));
      return new ServiceConsumers(vertx.eventBus())
        .bind(PurchasingContract.CREATE, idempotency.wrap("po.create", purchaseOrders::create))
        .bind(PurchasingContract.LIST, purchaseOrders::list)
        .bind(PurchasingContract.GET, purchaseOrders::get)
        .bind(PurchasingContract.UPDATE, purchaseOrders::update)
        .bind(PurchasingContract.DELETE, purchaseOrders::delete)
        .bind(PurchasingContract.SEND, purchaseOrders::send)
        .bind(PurchasingContract.CONFIRM, purchaseOrders::confirm)
        .bind(PurchasingContract.CANCEL, purchaseOrders::cancel)
        .bind(PurchasingContract.CLOSE, purchaseOrders::close)
        .bind(PurchasingContract.RECEIVE, idempotency.wrap("po.receive", receiving::receive))
        .bind(PurchasingContract.LIST_RECEIPTS, receiving::list)
        .ready();
    });
  }

  @Override
  public Future<?> stop() {
    redis.close();
    return Future.succeededFuture();
  }
}
