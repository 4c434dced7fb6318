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
  private final String dummyHash;
  private final AtomicInteger inFlight = new AtomicInteger();

  private PasswordHasher(WorkerExecutor pool, int cost, int maxInFlight, String dummyHash) {
    this.pool = pool;
    this.cost = cost;
    this.maxInFlight = maxInFlight;
    this.dummyHash = dummyHash;
  }

  /** One per Vert.x instance (the auth verticle runs once), so its bound is the process's bound. */
  public static Future<PasswordHasher> create(Vertx vertx, int cost, int threads, int queue) {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor(POOL_NAME, threads);
    return pool.executeBlocking(() -> new PasswordHasher(pool, cost, threads + queue,
      hasher().hashToString(cost, "timing-equaliser".toCharArray())), false);
  }

  public Future<String> hash(String password) {
    return bounded(() -> hasher().hashToString(cost, password.toCharArray()));
  }

  /** Verifies against the stored hash; with no hash (unknown user) it still spends the same time, then fails. */
  public Future<Boolean> verify(String password, String storedHash) {
    String hash = storedHash == null ? dummyHash : storedHash;
    return bounded(() -> verifier().verify(password.toCharArray(), hash).verified && storedHash != null);
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
