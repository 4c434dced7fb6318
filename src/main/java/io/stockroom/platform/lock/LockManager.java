package io.stockroom.platform.lock;

import io.stockroom.platform.metrics.Meters;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.redis.SlotKeys;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Serializes work per key across instances: first a bounded local FIFO line (so a hot variant's buyers wait in line
 * on this node), then a Redis lock ({@code SET key token NX PX ttl}, released by a Lua compare-and-delete so only the
 * holder can release). Every Redis command has a timeout, so a Redis that hangs gives fast 503s like one that is down.
 *
 * <p>Every grant also carries a fencing token: a number that only grows per key (Kleppmann, "How to do distributed
 * locking"). The database writes of the holder record it and refuse to go below it (see {@code CompareAndSet}), so a
 * holder whose lock expired or was lost cannot change a document a newer holder already changed. The token is at
 * least Redis's clock in microseconds, so it keeps growing when a failover loses the last increments or the counter
 * key expires.
 *
 * <p>Deadlock freedom: keys are taken in one global order, by {@link LockKeys#rank} and then by name. A lease can be
 * extended (the second phase of "lock the order, re-read, lock its variants") only with keys that come later in that
 * order than every key it holds.
 *
 * <p>Each key is taken by a script call of its own, over the key, its fence counter and its grants only, which share
 * one hash slot: in a Redis Cluster the keys of one lease may live on different masters (docs/redis.md).
 *
 * <p>The lock is for efficiency only: correctness rests on the database guards. Failure modes: {@link ServiceError}
 * UNAVAILABLE when Redis does not answer in time, when the keys stay busy past the wait budget, or at once (with
 * {@code retryAfterSeconds}) when a key's waiting line is full. Must be used from the owning verticle's context.
 */
public final class LockManager {
  private static final Logger LOG = LoggerFactory.getLogger(LockManager.class);
  /**
   * KEYS: lock, its fence counter, its open grants; ARGV: token, ttl, counter lifetime, how long a grant counts as open.
   * Answers {fence, clean} (clean 1 when no earlier grant of the key is still open: every holder before released it),
   * or nil when the key is held.
   */
  private static final String ACQUIRE_SCRIPT = String.join("\n",
    "if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end",
    nextFence("KEYS[2]", "ARGV[3]"),
    "local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)",
    "redis.call('zremrangebyscore', KEYS[3], '-inf', nowMs - tonumber(ARGV[4]))",
    "local clean = redis.call('zcard', KEYS[3]) == 0 and 1 or 0",
    "redis.call('zadd', KEYS[3], nowMs, ARGV[1])",
    "redis.call('pexpire', KEYS[3], ARGV[4])",
    "return {fence, clean}");
  /** KEYS: a fence counter; ARGV: counter lifetime. Answers a new token, as a grant would take it. */
  private static final String BUMP_SCRIPT = String.join("\n", nextFence("KEYS[1]", "ARGV[1]"), "return fence");

  /**
   * Lua that sets {@code fence} to the next token of the counter at {@code counter}: one more than the last, and at
   * least Redis's clock in microseconds (compared as digit strings of equal length, exactly).
   */
  private static String nextFence(String counter, String lifetime) {
    return String.join("\n",
      "local now = redis.call('time')",
      "local floor = now[1] .. string.format('%06d', tonumber(now[2]))",
      "local last = redis.call('get', " + counter + ")",
      "if not last or #last < #floor or (#last == #floor and last < floor) then redis.call('set', " + counter + ", floor) end",
      "local fence = redis.call('incr', " + counter + ")",
      "redis.call('pexpire', " + counter + ", " + lifetime + ")");
  }

  /** How long a fence counter outlives its last grant (past it, the clock floor alone keeps tokens growing). */
  private static final long FENCE_COUNTER_LIFETIME_MS = 24 * 3_600_000L;
  /** KEYS: lock, its open grants; ARGV: token. The grant is closed whether or not the lock was still held. */
  private static final String RELEASE_SCRIPT = String.join("\n",
    "redis.call('zrem', KEYS[2], ARGV[1])",
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end");
  private static final long MAX_BACKOFF_MS = 25;
  private static final Comparator<String> ORDER = Comparator.comparingInt(LockKeys::rank).thenComparing(Comparator.naturalOrder());

  private final Vertx vertx;
  private final RedisAPI redis;
  private final LocalKeyedMutex local;
  private final long ttlMs;
  private final long waitMs;
  private final long commandTimeoutMs;
  private final int maxWaiters;

  public LockManager(Vertx vertx, Redis redis, LockSettings settings) {
    this.vertx = vertx;
    this.redis = RedisAPI.api(redis);
    this.local = new LocalKeyedMutex(vertx, settings.maxWaiters());
    this.ttlMs = settings.ttlMs();
    this.waitMs = settings.waitMs();
    this.commandTimeoutMs = settings.commandTimeoutMs();
    this.maxWaiters = settings.maxWaiters();
  }

  /** How many requests may wait for one key (callers that queue work per key use the same bound). */
  public int maxWaiters() {
    return maxWaiters;
  }

  /** Whether {@code err} is this manager's refusal to lock (busy past the wait budget, or waiting line full). */
  public static boolean isRefusal(Throwable err) {
    return err instanceof ServiceError se && se.code() == ErrorCode.UNAVAILABLE && se.extensions().containsKey("retryAfterSeconds");
  }

  /** The lock settings: lifetime, wait budget, waiting-line bound and Redis command timeout. */
  public record LockSettings(long ttlMs, long waitMs, int maxWaiters, long commandTimeoutMs) {
  }

  /**
   * The Redis key counting the fencing tokens of lock {@code key}, in the key's hash slot (one script uses both in a
   * Redis Cluster).
   */
  static String fenceKey(String key) {
    return SlotKeys.companion("fence:", key);
  }

  /** The Redis key listing the grants of lock {@code key} whose holders have not released them yet, in its slot. */
  static String grantsKey(String key) {
    return SlotKeys.companion("grants:", key);
  }

  /**
   * How long a grant counts as open when its holder never released it: past its lock's lifetime the holder stops
   * before writing (its unit's deadline), so only a write already on its way can land later; this leaves it time.
   */
  private long openGrantMs() {
    return 2 * ttlMs + 5_000;
  }

  /** Locks held for one unit of work. Release exactly once, after the unit finished (committed or rolled back). */
  public final class Lease {
    private final String token = UUID.randomUUID().toString();
    private final List<String> held = new ArrayList<>();
    private final Map<String, Long> fences = new HashMap<>();
    private final List<String> unclean = new ArrayList<>();
    private final long deadline = System.currentTimeMillis() + waitMs;
    private long expiresAt = Long.MAX_VALUE;

    public List<String> keys() {
      return List.copyOf(held);
    }

    /** The fencing token each held key was granted with. */
    public Map<String, Long> fences() {
      return Map.copyOf(fences);
    }

    /**
     * The held keys granted while an earlier grant of the same key was still open (its lock expired or was lost before
     * its holder released it): documents they guard may carry writes of a unit that has not finished.
     */
    public List<String> uncleanKeys() {
      return List.copyOf(unclean);
    }

    /**
     * When the first of the held keys expires at the latest (counted from before its grant was asked for): past it
     * another holder may have the key. {@code Long.MAX_VALUE} while nothing is held.
     */
    public long expiresAt() {
      return expiresAt;
    }

    /** The token the keys are held with in Redis. */
    public String token() {
      return token;
    }

    /** Also takes {@code keys} (those not held yet), each later in the lock order than every key held. */
    public Future<Lease> extend(List<String> keys) {
      TreeSet<String> wanted = new TreeSet<>(ORDER);
      wanted.addAll(keys);
      held.forEach(wanted::remove);
      if (!held.isEmpty() && !wanted.isEmpty() && ORDER.compare(wanted.first(), held.get(held.size() - 1)) < 0) {
        return Future.failedFuture(new IllegalStateException("Lock order violated: " + wanted.first() + " after " + held));
      }
      return Steps.each(wanted, key -> {
        long asked = System.currentTimeMillis();
        return acquireOne(key, token, deadline).onSuccess(grant -> {
          held.add(key);
          fences.put(key, grant.fence());
          if (!grant.clean()) unclean.add(key);
          expiresAt = Math.min(expiresAt, asked + ttlMs);
        });
      }).map(this);
    }

    public Future<Void> release() {
      List<String> keys = new ArrayList<>(held);
      held.clear();
      return Future.join(keys.stream().map(key -> releaseOne(key, token)).toList()).mapEmpty();
    }

    /**
     * Leaves the Redis locks to expire by themselves (or to be released by the recovery of the unit they cover); only
     * this instance's local lines move on. For a unit whose outcome is left to recovery.
     */
    public void abandon() {
      held.forEach(local::release);
      held.clear();
    }
  }

  /** Acquires every key (deduplicated, in lock order), or none. */
  public Future<Lease> acquire(List<String> keys) {
    Lease lease = new Lease();
    long started = System.nanoTime();
    return lease.extend(keys).onSuccess(held -> Meters.lockWaited(System.nanoTime() - started))
      .recover(err -> lease.release().transform(ignored -> Future.failedFuture(err)));
  }

  /** One key's grant: its fencing token, and whether every earlier grant of the key had been released. */
  private record Grant(long fence, boolean clean) {
  }

  private Future<Grant> acquireOne(String key, String token, long deadline) {
    long remaining = deadline - System.currentTimeMillis();
    return local.acquire(key, remaining)
      .recover(err -> Future.failedFuture(err instanceof LocalKeyedMutex.Refused refused
        && refused.reason == LocalKeyedMutex.Refusal.LINE_FULL ? lineFull() : busy()))
      .compose(v -> redisLock(key, token, deadline, 0).onFailure(err -> local.release(key)));
  }

  private Future<Grant> redisLock(String key, String token, long deadline, int attempt) {
    return redis.eval(List.of(ACQUIRE_SCRIPT, "3", key, fenceKey(key), grantsKey(key), token, Long.toString(ttlMs),
        Long.toString(Math.max(FENCE_COUNTER_LIFETIME_MS, 4 * ttlMs)), Long.toString(openGrantMs())))
      .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
      .recover(err -> {
        // A SET that timed out may still run once Redis answers again: take it back so the key is not held until its TTL.
        redis.eval(List.of(RELEASE_SCRIPT, "2", key, grantsKey(key), token));
        return Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE,
          "Stock changes are paused: the lock service (Redis) is unavailable; nothing was changed"));
      })
      .compose(reply -> {
        if (reply != null) return Future.succeededFuture(new Grant(reply.get(0).toLong(), reply.get(1).toInteger() == 1));
        if (System.currentTimeMillis() >= deadline) return Future.failedFuture(busy());
        long backoff = Math.min(MAX_BACKOFF_MS, 1L << Math.min(attempt, 5)) + ThreadLocalRandom.current().nextLong(3);
        Promise<Grant> retry = Promise.promise();
        vertx.setTimer(backoff, id -> redisLock(key, token, deadline, attempt + 1).onComplete(retry));
        return retry.future();
      });
  }

  /**
   * Background jobs (sweeps) run on every instance and are idempotent; this only spares the cluster redundant runs:
   * the first instance to ask in a period gets the turn ({@code SET turn:<job> NX PX}, 90 % of the period, never
   * released, so it also covers an instance that dies mid-run). When Redis does not answer the caller runs anyway.
   */
  public Future<Boolean> takeTurn(String job, long periodMs) {
    return redis.set(List.of("turn:" + job, UUID.randomUUID().toString(), "NX", "PX", Long.toString(Math.max(1, periodMs * 9 / 10))))
      .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
      .map(reply -> reply != null)
      .otherwise(true);
  }

  /**
   * New fencing tokens for {@code keys} without taking them, as their next holder would get: a recovery that undoes a
   * unit records them on the documents it gives back, so that the unit's owner, if it was only paused, can no longer
   * write them. Answers the token per key. One call per key (their counters lie in different hash slots); tokens that
   * were taken before a call failed stay taken, which only makes later tokens larger.
   */
  public Future<Map<String, Long>> bumpFences(List<String> keys) {
    List<String> distinct = keys.stream().distinct().toList();
    String lifetime = Long.toString(Math.max(FENCE_COUNTER_LIFETIME_MS, 4 * ttlMs));
    List<Future<Response>> bumps = distinct.stream().map(key -> redis.eval(List.of(BUMP_SCRIPT, "1", fenceKey(key), lifetime))
      .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)).toList();
    return Future.all(bumps).map(all -> {
      Map<String, Long> fences = new HashMap<>();
      for (int i = 0; i < distinct.size(); i++) fences.put(distinct.get(i), bumps.get(i).result().toLong());
      return fences;
    });
  }

  /**
   * Releases Redis locks a dead instance held with {@code token} (its units were recovered): only those it still holds
   * are deleted. This instance's local lines are not involved.
   */
  public Future<Void> releaseAbandoned(List<String> keys, String token) {
    if (token == null) return Future.succeededFuture();
    return Future.join(keys.stream().map(key -> redis.eval(List.of(RELEASE_SCRIPT, "2", key, grantsKey(key), token))
      .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS).otherwiseEmpty()).toList()).mapEmpty();
  }

  private Future<Void> releaseOne(String key, String token) {
    return redis.eval(List.of(RELEASE_SCRIPT, "2", key, grantsKey(key), token))
      .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
      .map(this::checkReleased)
      .recover(err -> {
        LOG.warn("Could not release lock {} (it expires after {} ms): {}", key, ttlMs, err.toString());
        return Future.succeededFuture();
      })
      .onComplete(ar -> local.release(key));
  }

  private Void checkReleased(Response released) {
    if (released == null || released.toInteger() == 0) {
      LOG.warn("A lock expired before its holder released it; the database guards kept the data consistent");
    }
    return null;
  }

  private ServiceError busy() {
    return new ServiceError(ErrorCode.UNAVAILABLE, "The item is busy with other stock changes; retry shortly",
      new JsonObject().put("retryAfterSeconds", retryAfterSeconds()));
  }

  /** The answer when a key's waiting line is full. */
  public ServiceError lineFull() {
    return new ServiceError(ErrorCode.UNAVAILABLE, "Too many requests are waiting for this item; retry shortly",
      new JsonObject().put("retryAfterSeconds", retryAfterSeconds()));
  }

  private long retryAfterSeconds() {
    return Math.max(1, (waitMs + 999) / 1000);
  }
}
