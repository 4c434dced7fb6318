package io.stockroom.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt (salted, tunable cost) on a small pool of its own ({@code auth.hashingThreads}) with a bounded waiting line
 * ({@code auth.hashingQueue}): a flood of logins fills that line and then gets 503 at once, while the event loops and
 * the shared worker pool stay free for the rest of the API. Passwords longer than bcrypt's 72-byte input are
 * pre-hashed with SHA-512 instead of being silently truncated.
 */
public final class PasswordHasher {
  static final String POOL_NAME = "stockroom-password-hashing";
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

  private final WorkerExecutor pool;
  private final int cost;
  private final int maxInFlight;
  private final String unknownUserHash;
  private final AtomicInteger inFlight = new AtomicInteger();

  private PasswordHasher(WorkerExecutor pool, int cost, int maxInFlight) {
    this.pool = pool;
    this.cost = cost;
    this.maxInFlight = maxInFlight;
    this.unknownUserHash = unmatchableHash(cost);
  }

  /** One per Vert.x instance (the auth verticle runs once), so its bound is the process's bound. */
  public static Future<PasswordHasher> create(Vertx vertx, int cost, int threads, int queue) {
    return Future.succeededFuture(new PasswordHasher(vertx.createSharedWorkerExecutor(POOL_NAME, threads), cost, threads + queue));
  }

  public Future<String> hash(String password) {
    return bounded(() -> hasher().hashToString(cost, password.toCharArray()));
  }

  /** Verifies against the stored hash; with no hash (unknown user) it still spends the same time, then fails. */
  public Future<Boolean> verify(String password, String storedHash) {
    if (storedHash == null) {
      return bounded(() -> {
        verifier().verify(password.toCharArray(), unknownUserHash);  // the same work as for a known user, and always a refusal
        return false;
      });
    }
    return bounded(() -> verifier().verify(password.toCharArray(), storedHash).verified);
  }

  private <T> Future<T> bounded(Callable<T> work) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE, "Too many sign-ins at once; retry shortly",
        RetryAfter.seconds(1)));
    }
    return pool.executeBlocking(work, false).onComplete(done -> inFlight.decrementAndGet());
  }

  /**
   * A well-formed hash of this cost with a random salt and a random digest: checking a password against it costs what
   * checking a real one does, no password can match it, and making it costs nothing (a hashed dummy password took a
   * fifth of a core-second of the start).
   */
  static String unmatchableHash(int cost) {
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[16];
    byte[] digest = new byte[23];
    random.nextBytes(salt);
    random.nextBytes(digest);
    return new String(VERSION.formatter.createHashMessage(new BCrypt.HashData(cost, VERSION, salt, digest)), StandardCharsets.US_ASCII);
  }

  private static BCrypt.Hasher hasher() {
    return BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  }

  private static BCrypt.Verifyer verifier() {
    return BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  }
}
