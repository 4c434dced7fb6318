package io.stockroom.auth;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;

/**
 * A bearer token that was presented and refused (RFC 6750 {@code invalid_token}): expired
 * ({@link ErrorCode#TOKEN_EXPIRED}: refresh the session), or forged, malformed, for another issuer or audience, lacking
 * claims, or of a session that ended ({@link ErrorCode#UNAUTHORIZED}: log in again). The HTTP edge answers it with a
 * challenge naming the error; a request without a token is refused with a plain {@link ServiceError}.
 */
public final class InvalidToken extends ServiceError {
  private InvalidToken(ErrorCode code, String detail) {
    super(code, detail);
  }

  /** The token verified, but its {@code exp} has passed. */
  public static InvalidToken expired() {
    return new InvalidToken(ErrorCode.TOKEN_EXPIRED, ErrorCode.TOKEN_EXPIRED.title());
  }

  public static InvalidToken refused(String detail) {
    return new InvalidToken(ErrorCode.UNAUTHORIZED, detail);
  }

  public boolean isExpiry() {
    return code() == ErrorCode.TOKEN_EXPIRED;
  }
}
