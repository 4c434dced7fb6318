package io.stockroom.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * Verifies access tokens with the key ring (signature, pinned algorithm, issuer, audience, {@code nbf}/{@code iat}),
 * then decides expiry from the verified claims with the provider's own rule and leeway. vertx-auth-jwt reports an
 * expired token only through a failure message, so the ring's provider is told to skip its expiry check and this
 * class applies it instead; an {@code exp} is never read from a token whose signature did not verify. Fails with
 * {@link InvalidToken}: expired when the token verified and {@code exp} has passed, refused otherwise. Verification
 * only: it issues no tokens.
 */
final class AccessTokenVerifier implements JWTAuth {
  private static final String NOT_VALID = "The access token is not valid";

  private final JWTAuth keysIgnoringExpiry;
  private final int leewaySeconds;

  /** {@code keysIgnoringExpiry} verifies with {@code options} except that it skips the expiry check. */
  AccessTokenVerifier(JWTAuth keysIgnoringExpiry, JWTOptions options) {
    this.keysIgnoringExpiry = keysIgnoringExpiry;
    this.leewaySeconds = options.getLeeway();
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    Future<User> verified;
    try {
      verified = keysIgnoringExpiry.authenticate(credentials);
    } catch (RuntimeException malformed) {
      verified = Future.failedFuture(malformed);
    }
    return verified.transform(ar -> ar.succeeded() ? current(ar.result()) : Future.failedFuture(InvalidToken.refused(NOT_VALID)));
  }

  /** The provider's rule ({@code User.expired}): {@code exp} passed, or {@code nbf}/{@code iat} still ahead, by more than the leeway. */
  private Future<User> current(User user) {
    try {
      if (!user.expired(leewaySeconds)) return Future.succeededFuture(user);
      return Future.failedFuture(expPassed(user) ? InvalidToken.expired() : InvalidToken.refused(NOT_VALID));
    } catch (RuntimeException badClaim) {
      return Future.failedFuture(InvalidToken.refused(NOT_VALID));
    }
  }

  private boolean expPassed(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    return claims.getValue("exp") instanceof Number exp && System.currentTimeMillis() / 1000 - leewaySeconds >= exp.longValue();
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    throw new UnsupportedOperationException("verification only: tokens are issued with the key ring's signer");
  }

  @Override
  public String generateToken(JsonObject claims) {
    throw new UnsupportedOperationException("verification only: tokens are issued with the key ring's signer");
  }
}
