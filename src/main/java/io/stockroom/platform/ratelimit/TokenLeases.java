package io.stockroom.platform.ratelimit;

import io.stockroom.platform.eventloop.Confinement;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tokens this limiter took from Redis ahead of its requests, one {@link Lease} per bucket. A request spends a held
 * token; only a bucket holding none costs a Redis call, which tops its lease up to the lease size for the requests
 * waiting on it (one call per bucket out at a time). Unused tokens go back to Redis {@link Leasing#leaseMs()} after
 * their grant, when an idle lease is evicted (at most {@link Leasing#maxKeys()} buckets keep one) and at
 * {@link #close()}. A return that cannot be sent (Redis down, {@link #MAX_RETURNS_IN_FLIGHT} already out) is
 * abandoned: the bucket refills those tokens by itself within its window, and fewer requests pass, never more.
 *
 * <p>Everything here runs on the creating context's event loop: {@link #usableHere()} tells callers whether they do.
 */
final class TokenLeases {
  /**
   * KEYS: the bucket. ARGV: quota, window (ms), tokens wanted, tokens returned. Adds the returned tokens (up to the
   * quota), then takes as many of the wanted as the bucket has. Returns the tokens taken, the level left, the ms until
   * the next token when fewer than wanted were taken (else 0), and the ms until the bucket is full.
   */
  private static final RedisScript LEASE_SCRIPT = new RedisScript("""
    local clock = redis.call('TIME')
    local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
    local quota = tonumber(ARGV[1])
    local window = tonumber(ARGV[2])
    local wanted = tonumber(ARGV[3])
    local returned = tonumber(ARGV[4])
    local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
    local level = tonumber(state[1])
    local at = tonumber(state[2])
    if level == nil or at == nil then level = quota at = now end
    level = math.min(quota, level + math.max(0, now - at) * quota / window + returned)
    local granted = math.max(0, math.min(wanted, math.floor(level)))
    level = level - granted
    if granted > 0 or returned > 0 then
      redis.call('HSET', KEYS[1], 'tokens', tostring(level), 'at', tostring(now))
      redis.call('PEXPIRE', KEYS[1], window + 1000)
    end
    local retry = 0
    if granted < wanted then retry = math.ceil((1 - level) * window / quota) end
    return {granted, math.floor(level), retry, math.ceil((quota - level) * window / quota)}
    """);

  /** Requests waiting on one bucket; past it a request asks Redis itself. */
  static final int MAX_WAITING = 4_096;
  /** Returns out at once; past it, tokens are abandoned. */
  static final int MAX_RETURNS_IN_FLIGHT = 64;
  /** Longest a bucket Redis found empty is refused here without asking again. */
  static final long MAX_LOCAL_REFUSAL_MS = 100;
  /** How many of the oldest leases eviction looks at for an idle one; none idle: the request asks Redis itself. */
  static final int EVICTION_SCAN = 16;

  /**
   * One token of a bucket for one request (reserved in {@code lease} until spent or released), or a refusal saying when
   * a token will be there; {@code remaining} and {@code resetMs} feed the {@code RateLimit} header.
   */
  record Grant(boolean granted, long remaining, long resetMs, long retryAfterMs, Lease lease) {
  }

  private final Vertx vertx;
  private final RedisAPI redis;
  private final long commandTimeoutMs;
  private final Leasing leasing;
  private final Confinement owner = Confinement.toCurrent();
  /** By grant (or creation) time, oldest first: the head expires first. */
  private final Map<String, Lease> leases = new LinkedHashMap<>();
  private final long sweeper;
  private int returnsInFlight;
  private boolean closed;
  /** Top-ups sent and not answered yet: at most one per lease. */
  private final Set<Future<Response>> callsOut = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Returns sent since {@link #close()} and not answered yet: close completes after them. */
  private final Set<Future<Void>> returnsOut = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Create it on the context that will use it (an HTTP verticle's). */
  TokenLeases(Vertx vertx, RedisAPI redis, long commandTimeoutMs, Leasing leasing) {
    this.vertx = vertx;
    this.redis = redis;
    this.commandTimeoutMs = commandTimeoutMs;
    this.leasing = leasing;
    this.sweeper = vertx.setPeriodic(Math.max(1, Math.min(250, leasing.leaseMs() / 4)), id -> sweep());
  }

  /** Whether the caller runs on this limiter's event loop (nothing here may be touched from elsewhere) and it is open. */
  boolean usableHere() {
    return !closed && owner.isHere();
  }

  /** Spends one held token of each bucket, or none at all (null) when any of them cannot give one now. */
  List<Grant> spendHeld(List<Bucket> buckets) {
    Lease[] found = new Lease[buckets.size()];
    for (int i = 0; i < found.length; i++) {
      found[i] = leases.get(buckets.get(i).key());
      if (found[i] == null || !found[i].canTakeNow()) return null;
    }
    List<Grant> grants = new ArrayList<>(found.length);
    for (Lease lease : found) {
      lease.reserve();
      lease.spend();
      grants.add(granted(lease));
    }
    return grants;
  }

  /**
   * Reserves one token of {@code bucket}: a held one at once, else one from the bucket's next call (or a refusal when
   * Redis has none). Null when this limiter cannot lease the bucket now (too many leases busy, too many waiting).
   */
  Future<Grant> reserve(Bucket bucket) {
    if (closed) return null;
    Lease lease = leaseOf(bucket);
    if (lease == null) return null;
    if (lease.canTakeNow()) {
      lease.reserve();
      return Future.succeededFuture(granted(lease));
    }
    // Redis just found the bucket empty: a flood is refused here for a moment, without a call each
    long emptyForMs = lease.emptyForMs(System.nanoTime());
    if (emptyForMs > 0 && lease.waiting().isEmpty()) return Future.succeededFuture(refusal(emptyForMs));
    if (lease.waiting().size() >= MAX_WAITING) return null;
    Promise<Grant> waiting = Promise.promise();
    lease.waiting().add(waiting);
    pump(lease);
    return waiting.future();
  }

  /**
   * Starts the calls a request's buckets will need (those holding nothing), so that their round trips overlap instead
   * of following each other as the request reserves one bucket after the other.
   */
  void prefetch(List<Bucket> buckets) {
    if (closed) return;
    long now = System.nanoTime();
    for (Bucket bucket : buckets) {
      Lease lease = leaseOf(bucket);
      if (lease != null && lease.held() == 0 && !lease.calling() && lease.room() > 0 && lease.emptyForMs(now) == 0) call(lease);
    }
  }

  /** The reserved token went to an admitted request. */
  void spend(Grant grant) {
    grant.lease().spend();
    pump(grant.lease());
  }

  /** The reserved token was not used (another bucket refused the request): free for the next request. */
  void release(Grant grant) {
    grant.lease().release();
    pump(grant.lease());
  }

  /** What this limiter knows of a bucket a refused request did not get to. */
  Grant estimate(Bucket bucket) {
    Lease lease = leases.get(bucket.key());
    long remaining = lease == null ? bucket.quota() : lease.remaining();
    return new Grant(false, remaining, lease == null ? 0 : lease.msToFull(remaining), 0, null);
  }

  /**
   * Sends every held token back, those of top-ups still out included once they answer; completes when Redis took them
   * or did not answer in time.
   */
  Future<Void> close() {
    if (closed) return Future.succeededFuture();
    closed = true;
    vertx.cancelTimer(sweeper);
    return Future.join(new ArrayList<>(callsOut)).otherwiseEmpty().compose(answered -> {
      for (Lease lease : leases.values()) sendBack(lease, lease.giveUpHeld(), true);
      // with the returns those top-ups' answers already started
      return Future.join(new ArrayList<>(returnsOut)).otherwiseEmpty().mapEmpty();
    });
  }

  /** Serves waiting requests from held tokens; calls Redis when some still wait and the lease has room. */
  private void pump(Lease lease) {
    serve(lease);
    if (!lease.waiting().isEmpty() && !lease.calling() && lease.room() > 0) call(lease);
    returnIfClosed(lease);
  }

  /**
   * After {@link #close()}: what a lease still comes to hold (a top-up that answered late, a token a deciding request
   * released) goes back at once, once nobody waits on it.
   */
  private void returnIfClosed(Lease lease) {
    if (closed && lease.waiting().isEmpty() && !lease.calling()) sendBack(lease, lease.giveUpHeld(), true);
  }

  private void serve(Lease lease) {
    List<Promise<Grant>> served = new ArrayList<>();
    List<Grant> grants = new ArrayList<>();
    while (lease.held() > 0 && !lease.waiting().isEmpty()) {
      lease.reserve();
      served.add(lease.waiting().poll());
      grants.add(granted(lease));
    }
    // answered on a later turn of the loop: an answer's continuation may come back here, never on this stack
    if (!served.isEmpty()) owner.later(() -> {
      for (int i = 0; i < served.size(); i++) served.get(i).complete(grants.get(i));
    });
  }

  /** Tops the lease up to its size; requests still waiting once Redis ran out are refused. */
  private void call(Lease lease) {
    lease.calling(true);
    long wanted = lease.room();
    Future<Response> call = run(lease.bucket, wanted, 0);
    callsOut.add(call);
    call.onComplete(done -> {
      callsOut.remove(call);
      lease.calling(false);
      if (done.failed()) {
        answerAllWaiting(lease, waiting -> waiting.fail(done.cause()));
        return;
      }
      Response reply = done.result();
      long granted = reply.get(0).toLong();
      lease.granted(granted, reply.get(1).toLong());
      if (granted > 0) renew(lease);
      if (granted < wanted) {
        // Redis ran out: whoever the tokens it gave do not cover is refused, as one call per request would have been
        long retryMs = reply.get(2).toLong();
        // at most briefly: tokens other limiters send back would otherwise wait here as long as a slow bucket's refill
        lease.emptyUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(retryMs, MAX_LOCAL_REFUSAL_MS)));
        serve(lease);
        Grant refused = refusal(retryMs);
        answerAllWaiting(lease, waiting -> waiting.complete(refused));
        returnIfClosed(lease);
      } else {
        pump(lease);
      }
    });
  }

  private void answerAllWaiting(Lease lease, Consumer<Promise<Grant>> answer) {
    List<Promise<Grant>> all = new ArrayList<>(lease.waiting());
    lease.waiting().clear();
    if (!all.isEmpty()) owner.later(() -> all.forEach(answer));
  }

  private static Grant granted(Lease lease) {
    long remaining = lease.remaining();
    return new Grant(true, remaining, lease.msToFull(remaining), 0, lease);
  }

  private static Grant refusal(long retryMs) {
    return new Grant(false, 0, retryMs, Math.max(1, retryMs), null);
  }

  private Lease leaseOf(Bucket bucket) {
    Lease lease = leases.get(bucket.key());
    if (lease != null) return lease;
    if (leases.size() >= leasing.maxKeys() && !evictIdle()) return null;
    lease = new Lease(bucket, leasing.size(bucket), expiry());
    leases.put(bucket.key(), lease);
    return lease;
  }

  /** Moves the lease to the end of the line: it expires last now. */
  private void renew(Lease lease) {
    if (leases.remove(lease.bucket.key()) != lease) return;  // closed meanwhile
    lease.renew(expiry());
    leases.put(lease.bucket.key(), lease);
  }

  private long expiry() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leasing.leaseMs());
  }

  private boolean evictIdle() {
    Iterator<Lease> oldestFirst = leases.values().iterator();
    for (int looked = 0; looked < EVICTION_SCAN && oldestFirst.hasNext(); looked++) {
      Lease lease = oldestFirst.next();
      if (lease.idle()) {
        oldestFirst.remove();
        sendBack(lease, lease.giveUpHeld(), false);
        return true;
      }
    }
    return false;
  }

  /** Expired leases send their held tokens back; idle ones go, busy ones stay for another lease period. */
  private void sweep() {
    long now = System.nanoTime();
    List<Lease> stillBusy = new ArrayList<>();
    Iterator<Lease> oldestFirst = leases.values().iterator();
    while (oldestFirst.hasNext()) {
      Lease lease = oldestFirst.next();
      if (!lease.expired(now)) break;
      oldestFirst.remove();
      sendBack(lease, lease.giveUpHeld(), false);
      if (!lease.idle()) stillBusy.add(lease);
    }
    for (Lease lease : stillBusy) {
      lease.renew(expiry());
      leases.put(lease.bucket.key(), lease);
    }
  }

  private Future<Void> sendBack(Lease lease, long tokens, boolean closing) {
    if (tokens <= 0 || (!closing && returnsInFlight >= MAX_RETURNS_IN_FLIGHT)) return Future.succeededFuture();
    returnsInFlight++;
    Future<Void> sent = run(lease.bucket, 0, tokens)
      .onSuccess(reply -> lease.learn(reply.get(1).toLong()))
      .onComplete(done -> returnsInFlight--)
      .mapEmpty();
    if (closed) {
      returnsOut.add(sent);
      sent.onComplete(done -> returnsOut.remove(sent));
    }
    return sent;
  }

  private Future<Response> run(Bucket bucket, long wanted, long returned) {
    List<String> args = List.of(Long.toString(bucket.quota()), Long.toString(bucket.windowSeconds() * 1000L),
      Long.toString(wanted), Long.toString(returned));
    return LEASE_SCRIPT.run(redis, List.of(bucket.key()), args).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }
}
