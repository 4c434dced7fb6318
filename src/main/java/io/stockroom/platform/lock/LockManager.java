package io.stockroom.platform.lock;

import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serializes work per key across instances: first a local FIFO queue (so a hot variant's buyers wait in line on this
 * node), then a Redis lock ({@code SET key token NX PX ttl}, released by a Lua compare-and-delete so only the holder
 * can release). Several keys are always taken in sorted order, so crossing multi-key requests cannot deadlock.
 *
 * <p>The lock is for efficiency only: correctness rests on the database guards. Failure modes: {@link ServiceError}
 * UNAVAILABLE when Redis does not answer (fast, nothing was changed) or when the keys stay busy past the wait budget.
 * Must be used from the owning verticle's context.
 */
public final class LockManager {
  private static final Logger LOG = LoggerFactory.getLogger(LockManager.class);
  private static final String RELEASE_SCRIPT =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  private static final long MAX_BACKOFF_MS = 25;

  private final Vertx vertx;
  private final RedisAPI redis;
  private final LocalKeyedMutex local = new LocalKeyedMutex();
  private final long ttlMs;
  private final long waitMs;

  public LockManager(Vertx vertx, Redis redis, long ttlMs, long waitMs) {
    this.vertx = vertx;
    this.redis = RedisAPI.api(redis);
    this.ttlMs = ttlMs;
    this.waitMs = waitMs;
  }

  public static String variantKey(String tenantId, String variantId) {
    return "lock:variant:" + tenantId + ":" + variantId;
  }

  public static String purchaseOrderKey(String tenantId, String purchaseOrderId) {
    return "lock:purchaseOrder:" + tenantId + ":" + purchaseOrderId;
  }

  public static String orderKey(String tenantId, String orderId) {
    return "lock:order:" + tenantId + ":" + orderId;
  }

  /** Acquires every key (deduplicated, sorted), or none. */
  public Future<Lease> acquire(List<String> keys) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(keys));
    long deadline = System.currentTimeMillis() + waitMs;
    String token = UUID.randomUUID().toString();
    List<String> held = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String key : sorted) {
      chain = chain.compose(v -> acquireOne(key, token, deadline)).onSuccess(v -> held.add(key));
    }
    return chain
      .<Lease>map(v -> () -> releaseAll(held, token))
      .recover(err -> releaseAll(held, token).transform(ignored -> Future.failedFuture(err)));
  }

  private Future<Void> acquireOne(String key, String token, long deadline) {
    Future<Void> turn = local.acquire(key);
    long remaining = deadline - System.currentTimeMillis();
    if (!turn.isComplete()) {
      Promise<Void> bounded = Promise.promise();
      long timer = vertx.setTimer(Math.max(1, remaining), id -> bounded.tryFail(busy(key)));
      turn.onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (!bounded.tryComplete()) local.release(key);
      });
      turn = bounded.future();
    }
    return turn.compose(v -> redisLock(key, token, deadline, 0)
      .onFailure(err -> local.release(key)));
  }

  private Future<Void> redisLock(String key, String token, long deadline, int attempt) {
    return redis.set(List.of(key, token, "NX", "PX", Long.toString(ttlMs)))
      .recover(err -> Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE,
        "Stock changes are paused: the lock service (Redis) is unavailable; nothing was changed")))
      .compose(reply -> {
        if (reply != null) return Future.succeededFuture();
        if (System.currentTimeMillis() >= deadline) return Future.failedFuture(busy(key));
        long backoff = Math.min(MAX_BACKOFF_MS, 1L << Math.min(attempt, 5)) + ThreadLocalRandom.current().nextLong(3);
        Promise<Void> retry = Promise.promise();
        vertx.setTimer(backoff, id -> redisLock(key, token, deadline, attempt + 1).onComplete(retry));
        return retry.future();
      });
  }

  private Future<Void> releaseAll(List<String> held, String token) {
    List<Future<Void>> releases = new ArrayList<>();
    for (int i = held.size() - 1; i >= 0; i--) {
      String key = held.get(i);
      releases.add(redis.eval(List.of(RELEASE_SCRIPT, "1", key, token))
        .map(this::checkReleased)
        .recover(err -> {
          LOG.warn("Could not release lock {} (it expires after {} ms): {}", key, ttlMs, err.toString());
          return Future.succeededFuture();
        })
        .onComplete(ar -> local.release(key)));
    }
    return Future.join(releases).mapEmpty();
  }

  private Void checkReleased(Response released) {
    if (released == null || released.toInteger() == 0) {
      LOG.warn("A lock expired before its holder released it; the database guards kept the data consistent");
    }
    return null;
  }

  private static ServiceError busy(String key) {
    return new ServiceError(ErrorCode.UNAVAILABLE, "The item is busy with other stock changes; retry shortly");
  }
}
