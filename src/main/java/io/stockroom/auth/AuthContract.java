package io.stockroom.auth;

/** Event-bus addresses answered by {@link AuthVerticle}. Messages are {@code BusRequest} envelopes. */
public final class AuthContract {
  public static final String SIGNUP = "stockroom.auth.signup";
  public static final String LOGIN = "stockroom.auth.login";
  public static final String ME = "stockroom.auth.me";
  /** Whether a token's session is still current (see {@code api.Sessions}); the body carries its {@code tokenVersion}. */
  public static final String SESSION = "stockroom.auth.session";
  public static final String USERS_CREATE = "stockroom.users.create";
  public static final String USERS_LIST = "stockroom.users.list";
  public static final String USERS_GET = "stockroom.users.get";
  public static final String USERS_UPDATE = "stockroom.users.update";
  public static final String USERS_DEACTIVATE = "stockroom.users.deactivate";

  private AuthContract() {
  }
}
