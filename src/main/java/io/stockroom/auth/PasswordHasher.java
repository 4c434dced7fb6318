package io.stockroom.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

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
  private final Future<String> dummyHash;
  private final AtomicInteger inFlight = new AtomicInteger();

  private PasswordHasher(WorkerExecutor pool, int cost, int maxInFlight, Future<String> dummyHash) {
    this.pool = pool;
    this.cost = cost;
    this.maxInFlight = maxInFlight;
    this.dummyHash = dummyHash;
  }

  /**
   * One per Vert.x instance (the auth verticle runs once), so its bound is the process's bound. Ready at once: the hash
   * that unknown users are checked against is computed in the background (a fifth of a core-second of the start).
   */
  public static Future<PasswordHasher> create(Vertx vertx, int cost, int threads, int queue) {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor(POOL_NAME, threads);
    Future<String> dummyHash = pool.executeBlocking(() -> hasher().hashToString(cost, "timing-equaliser".toCharArray()), false);
    return Future.succeededFuture(new PasswordHasher(pool, cost, threads + queue, dummyHash));
  }

  public Future<String> hash(String password) {
    return bounded(() -> hasher().hashToString(cost, password.toCharArray()));
  }

  /** Verifies against the stored hash; with no hash (unknown user) it still spends the same time, then fails. */
  public Future<Boolean> verify(String password, String storedHash) {
    if (storedHash == null) {
      return dummyHash.compose(dummy -> bounded(() -> {
        verifier().verify(password.toCharArray(), dummy);  // the same work as for a known user, and always a refusal
        return false;
      }));
    }
    return bounded(() -> verifier().verify(password.toCharArray(), storedHash).verified);
  }

  private <T> Future<T> bounded(Callable<T> work) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE, "Too many sign-ins at once; retry shortly",
        new JsonObject().put("retryAfterSeconds", 1)));
    }
    return pool.executeBlocking(work, false).onComplete(done -> inFlight.decrementAndGet());
  }

  private static BCrypt.Hasher hasher() {
    return BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  }

  private static BCrypt.Verifyer verifier() {
    return BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  }
}
