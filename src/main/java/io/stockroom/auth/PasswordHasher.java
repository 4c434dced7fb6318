package io.stockroom.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * bcrypt (salted, tunable cost) run on the worker pool so the event loop never waits for it. Passwords longer than
 * bcrypt's 72-byte input are pre-hashed with SHA-512 instead of being silently truncated.
 */
public final class PasswordHasher {
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

  private final Vertx vertx;
  private final int cost;
  private final String dummyHash;

  private PasswordHasher(Vertx vertx, int cost, String dummyHash) {
    this.vertx = vertx;
    this.cost = cost;
    this.dummyHash = dummyHash;
  }

  public static Future<PasswordHasher> create(Vertx vertx, int cost) {
    return vertx.executeBlocking(() -> new PasswordHasher(vertx, cost,
      hasher().hashToString(cost, "timing-equaliser".toCharArray())), false);
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> hasher().hashToString(cost, password.toCharArray()), false);
  }

  /** Verifies against the stored hash; with no hash (unknown user) it still spends the same time, then fails. */
  public Future<Boolean> verify(String password, String storedHash) {
    String hash = storedHash == null ? dummyHash : storedHash;
    return vertx.executeBlocking(() -> verifier().verify(password.toCharArray(), hash).verified && storedHash != null, false);
  }

  private static BCrypt.Hasher hasher() {
    return BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  }

  private static BCrypt.Verifyer verifier() {
    return BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  }
}
