package io.stockroom.platform.ratelimit;

import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.vertx.core.Promise;

import java.util.ArrayDeque;

/**
 * What one limiter has of one bucket: tokens taken from Redis and not spent yet, either {@code held} (free) or
 * {@code reserved} by requests still deciding (waiting for another of their buckets). Together they never exceed the
 * lease size: a call to Redis only tops them up to it, so what a limiter can spend without asking Redis is at most one
 * lease at any moment. Requests that find nothing held wait here, in arrival order, for one call at a time.
 */
final class Lease {
  final Bucket bucket;
  private final long size;
  private long expiresAtNanos;
  private long held;
  private long reserved;
  private long redisLevel;
  private long emptyUntilNanos;
  private boolean calling;
  private final ArrayDeque<Promise<TokenLeases.Grant>> waiting = new ArrayDeque<>();

  Lease(Bucket bucket, long size, long expiresAtNanos) {
    this.bucket = bucket;
    this.size = size;
    this.expiresAtNanos = expiresAtNanos;
    this.redisLevel = bucket.quota();
  }

  /** A grant renews the lease: its unused tokens go back to Redis this much later. */
  void renew(long expiresAtNanos) {
    this.expiresAtNanos = expiresAtNanos;
  }

  boolean expired(long nowNanos) {
    return nowNanos - expiresAtNanos >= 0;
  }

  /** Redis found no token: requests are refused here until {@code untilNanos}. */
  void emptyUntil(long untilNanos) {
    emptyUntilNanos = untilNanos;
  }

  /** Milliseconds requests are still refused here without asking Redis; 0 once that time passed. */
  long emptyForMs(long nowNanos) {
    long left = emptyUntilNanos - nowNanos;
    return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
  }

  /** Nothing reserved, nobody waiting, no call out: it can be dropped. */
  boolean idle() {
    return reserved == 0 && waiting.isEmpty() && !calling;
  }

  /** A request may take a held token at once only when nobody waits before it. */
  boolean canTakeNow() {
    return held > 0 && waiting.isEmpty();
  }

  /** Moves a held token to the reserved ones. */
  void reserve() {
    held--;
    reserved++;
  }

  /** A reserved token was spent on an admitted request. */
  void spend() {
    reserved--;
  }

  /** A reserved token the request did not spend: free again. */
  void release() {
    reserved--;
    held++;
  }

  /** Tokens a call may take without this limiter ever having more than a lease. */
  long room() {
    return size - held - reserved;
  }

  void granted(long tokens, long level) {
    held += tokens;
    redisLevel = level;
  }

  /** The held tokens, now on their way back to Redis. */
  long giveUpHeld() {
    long returning = held;
    held = 0;
    redisLevel = Math.min(bucket.quota(), redisLevel + returning);
    return returning;
  }

  long held() {
    return held;
  }

  boolean calling() {
    return calling;
  }

  void calling(boolean calling) {
    this.calling = calling;
  }

  ArrayDeque<Promise<TokenLeases.Grant>> waiting() {
    return waiting;
  }

  /** Redis's level as its last answer said. */
  void learn(long level) {
    redisLevel = level;
  }

  /** What is left of the bucket as far as this limiter knows: Redis's level at its last answer plus what is held here. */
  long remaining() {
    return Math.min(bucket.quota(), redisLevel + held);
  }

  /** Milliseconds until a bucket with {@code remaining} tokens is full again. */
  long msToFull(long remaining) {
    long missing = Math.max(0, bucket.quota() - remaining);
    return (missing * bucket.windowSeconds() * 1000L + bucket.quota() - 1) / bucket.quota();
  }
}
