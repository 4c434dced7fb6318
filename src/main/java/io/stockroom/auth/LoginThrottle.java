package io.stockroom.auth;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.ratelimit.RateLimiter;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.platform.ratelimit.RatePolicy;
import io.stockroom.platform.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Slows password guessing down, in Redis so it holds across instances. Each account (email, whether or not it exists,
 * so answers reveal nothing) and each client address counts its failed logins; the count is forgotten
 * {@code auth.lockoutSeconds} after the last failure. Every failure before the lock delays the next answer a little
 * more (0.1 s, doubling, at most 3.2 s); at {@code auth.lockoutFailures} for the account, or
 * {@code auth.addressLockoutFailures} for the address, attempts are refused with 429 until the count expires, without
 * checking the password. Attempts per account are also rate limited ({@code rateLimits.loginPerMinute}). With Redis
 * down, login and sign-up are refused (503): an unthrottled door invites guessing.
 */
final class LoginThrottle {
  private static final long FIRST_DELAY_MS = 100;
  private static final long MAX_DELAY_MS = 3_200;

  /**
   * KEYS: a failure counter. Returns its count and remaining lifetime (ms). The account's and the address's counters
   * lie in different Redis Cluster slots, so each call touches one.
   */
  private static final RedisScript READ_SCRIPT = new RedisScript("""
    return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1])}
    """);
  /** KEYS: a failure counter; ARGV: its lifetime (ms). */
  private static final RedisScript FAIL_SCRIPT = new RedisScript("""
    redis.call('INCR', KEYS[1])
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    return 1
    """);

  private final Vertx vertx;
  private final RedisAPI redis;
  private final RateLimiter limiter;
  private final RatePolicy policy;
  private final long commandTimeoutMs;
  private final int accountLockout;
  private final int addressLockout;
  private final long lockoutMs;

  LoginThrottle(Vertx vertx, Redis redis, RatePolicy policy, long commandTimeoutMs, int accountLockout, int addressLockout,
                long lockoutSeconds) {
    this.vertx = vertx;
    this.redis = RedisAPI.api(redis);
    this.limiter = new RateLimiter(redis, commandTimeoutMs);
    this.policy = policy;
    this.commandTimeoutMs = commandTimeoutMs;
    this.accountLockout = accountLockout;
    this.addressLockout = addressLockout;
    this.lockoutMs = lockoutSeconds * 1000;
  }

  /** Whether an attempt for {@code email} from {@code address} may go on (after its delay), or 429/503. */
  Future<Void> admitLogin(String email, String address) {
    return admitAttempt(email)
      .compose(v -> Future.all(read(accountKey(email)), read(addressKey(address)))
        .recover(err -> Future.failedFuture(redisDown())))
      .compose(counts -> lockedOrDelayed(counts.resultAt(0), counts.resultAt(1)));
  }

  /** Sign-up attempts share the per-account rate limit (no password to guess, but bcrypt to spend). */
  Future<Void> admitAttempt(String email) {
    if (!policy.enabled()) return Future.succeededFuture();
    return limiter.take(policy.forAccount(email), WhenDown.REFUSE).compose(decision -> {
      if (decision.allowed()) return Future.succeededFuture();
      Meters.loginThrottled("account-rate");
      return Future.failedFuture(decision.refusal());
    });
  }

  Future<Void> failed(String email, String address) {
    return Future.join(countFailure(accountKey(email)), countFailure(addressKey(address))).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Response> read(String counter) {
    return READ_SCRIPT.run(redis, List.of(counter), List.of()).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private Future<Response> countFailure(String counter) {
    return FAIL_SCRIPT.run(redis, List.of(counter), List.of(Long.toString(lockoutMs))).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }

  Future<Void> succeeded(String email) {
    return redis.del(List.of(accountKey(email))).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> lockedOrDelayed(Response account, Response address) {
    long accountFailures = account.get(0).toLong();
    long addressFailures = address.get(0).toLong();
    if (accountFailures >= accountLockout || addressFailures >= addressLockout) {
      long remainingMs = Math.max((accountFailures >= accountLockout ? account : address).get(1).toLong(), 1000);
      Meters.loginThrottled(accountFailures >= accountLockout ? "account-locked" : "address-locked");
      return Future.failedFuture(new ServiceError(ErrorCode.RATE_LIMITED,
        "Too many failed logins; try again later", RetryAfter.seconds((remainingMs + 999) / 1000)));
    }
    if (accountFailures == 0) return Future.succeededFuture();
    Meters.loginThrottled("delayed");
    long delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(accountFailures - 1, 6));
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(delay, id -> waited.complete());
    return waited.future();
  }

  private static ServiceError redisDown() {
    return new ServiceError(ErrorCode.UNAVAILABLE, "Sign-in is paused: the login throttle (Redis) is unavailable; retry shortly",
      RetryAfter.seconds(5));
  }

  private static String accountKey(String email) {
    return "lf:account:" + RatePolicy.fingerprint(email);
  }

  private static String addressKey(String address) {
    return "lf:address:" + (address == null ? "unknown" : address);
  }
}
