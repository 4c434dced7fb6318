package io.stockroom.auth;

import io.stockroom.platform.bus.ServiceOperation;

/**
 * Event-bus addresses answered by {@link AuthVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class AuthContract {
  public static final ServiceOperation SIGNUP = ServiceOperation.named("auth.signup");
  public static final ServiceOperation LOGIN = ServiceOperation.named("auth.login");
  public static final ServiceOperation REFRESH = ServiceOperation.named("auth.refresh");
  public static final ServiceOperation LOGOUT = ServiceOperation.named("auth.logout");
  public static final ServiceOperation AUDIT_LOG = ServiceOperation.named("audit.list");
  public static final ServiceOperation ME = ServiceOperation.named("auth.me");
  /** Whether a token's session is still current (see {@code api.Sessions}); the body carries its {@code tokenVersion}. */
  public static final ServiceOperation SESSION = ServiceOperation.named("auth.session");
  public static final ServiceOperation USERS_CREATE = ServiceOperation.named("users.create");
  public static final ServiceOperation USERS_LIST = ServiceOperation.named("users.list");
  public static final ServiceOperation USERS_GET = ServiceOperation.named("users.get");
  public static final ServiceOperation USERS_UPDATE = ServiceOperation.named("users.update");
  public static final ServiceOperation USERS_DEACTIVATE = ServiceOperation.named("users.deactivate");

  private AuthContract() {
  }
}
