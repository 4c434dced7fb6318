package io.stockroom.auth;

import io.stockroom.auth.AuthCommands.LogIn;
import io.stockroom.auth.AuthCommands.LogOut;
import io.stockroom.auth.AuthCommands.Refresh;
import io.stockroom.auth.AuthCommands.SignUp;
import io.stockroom.platform.audit.AuditEntry;
import io.stockroom.platform.audit.AuditTrail;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.security.Caller;
import io.stockroom.platform.security.Role;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Sign-up (a new tenant and its first OWNER), login, refresh and logout, and "who am I". A session is a short-lived
 * access token (JWT) plus a refresh token that rotates on every use (see {@link RefreshTokens}).
 */
public class AuthService {
  private static final String BAD_CREDENTIALS = "Invalid email or password";
  private static final String BAD_REFRESH = "The refresh token is not valid (expired, revoked or already used); log in again";

  /** A new tenant's first session, and the tenant (the contract's {@code SignupResponse}). */
  public record SignedUp(Session session, Tenant tenant) {
    public JsonObject toApi() {
      Session.View signedIn = session.view();
      return RecordCodec.toApi(new View(signedIn.accessToken(), signedIn.tokenType(), signedIn.expiresIn(), signedIn.refreshToken(),
        signedIn.user(), tenant.view()));
    }

    private record View(String accessToken, String tokenType, int expiresIn, String refreshToken, User.View user, Tenant.View tenant) {
    }
  }

  /** The caller and its tenant (null if the tenant is gone). */
  public record Me(User user, Tenant tenant) {
    private static final String TENANT = "tenant";

    /** A tenant that is gone is {@code tenant: null}, not left out. */
    public JsonObject toApi() {
      JsonObject api = RecordCodec.toApi(new View(user.view(), tenant == null ? null : tenant.view()));
      if (tenant == null) api.putNull(TENANT);
      return api;
    }

    private record View(User.View user, Tenant.View tenant) {
    }
  }

  /** An access token's claims besides issuer, audience and expiry: whose it is, its role and the user's token version. */
  private record Claims(String sub, String tenantId, Role role, long tv, String jti) {
  }

  private final TenantRepository tenants;
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final JWTAuth signer;
  private final JWTOptions signOptions;
  private final RefreshTokens refreshTokens;
  private final LoginThrottle throttle;
  private final AuditTrail audit;

  AuthService(TenantRepository tenants, UserRepository users, PasswordHasher hasher, JWTAuth signer, JWTOptions signOptions,
              RefreshTokens refreshTokens, LoginThrottle throttle, AuditTrail audit) {
    this.tenants = tenants;
    this.users = users;
    this.hasher = hasher;
    this.signer = signer;
    this.signOptions = signOptions;
    this.refreshTokens = refreshTokens;
    this.throttle = throttle;
    this.audit = audit;
  }

  public Future<SignedUp> signup(SignUp command) {
    return throttle.admitAttempt(command.owner().email()).compose(v -> createTenant(command));
  }

  /** The owner first, then the tenant; a tenant that cannot be written takes its owner away again. */
  private Future<SignedUp> createTenant(SignUp command) {
    Tenant tenant = Tenant.create(command.tenantName(), command.currency(), command.timezone());
    return newUser(tenant.id(), command.owner(), Role.OWNER)
      .compose(users::insert)
      .compose(owner -> tenants.insert(tenant)
        .recover(err -> users.delete(tenant.id(), owner.id())
          .transform(ignored -> tenants.delete(tenant.id()))
          .transform(ignored -> Future.failedFuture(err)))
        .compose(v -> audit.record(AuditEntry.byUser(owner.asCaller(), command.by(), AccountAction.TENANT_CREATED, "tenant", tenant.id())
          .with("name", tenant.name())))
        .compose(v -> session(owner, refreshTokens.start(owner))))
      .map(session -> new SignedUp(session, tenant));
  }

  /**
   * An email may have accounts in several tenants. The password is checked against each (at most
   * {@link UserRepository#MAX_ACCOUNTS_PER_EMAIL}; {@code tenantId} narrows the search); exactly one active match logs
   * in, several answer 409 {@code tenant-choice-required} listing those tenants ({@link TenantChoice}), none answers the
   * same 401 as an unknown email (also for a {@code tenantId} the password does not open). Only the 401 counts as a
   * failed attempt for the throttle.
   */
  public Future<Session> login(LogIn command) {
    String email = command.email();
    String address = command.by().clientAddress();
    return throttle.admitLogin(email, address)
      .compose(v -> users.findAllByEmail(email, command.tenantId()))
      .compose(candidates -> opened(candidates, command.password()))
      .compose(this::sessionOfOne)
      .onSuccess(session -> throttle.succeeded(email))
      .recover(err -> err instanceof ServiceError se && se.code() == ErrorCode.UNAUTHORIZED
        ? throttle.failed(email, address).transform(ignored -> Future.failedFuture(err))
        : Future.failedFuture(err));
  }

  /** The active accounts the password opens; with no account to check, one check still runs so the answer takes as long. */
  private Future<List<User>> opened(List<User> candidates, String password) {
    List<User> matches = new ArrayList<>();
    if (candidates.isEmpty()) return hasher.verify(password, null).map(ok -> matches);
    return Steps.each(candidates, user -> hasher.verify(password, user.passwordHash())
        .map(ok -> ok && user.active() ? matches.add(user) : null))
      .map(v -> matches);
  }

  private Future<Session> sessionOfOne(List<User> matches) {
    if (matches.size() == 1) return session(matches.get(0), refreshTokens.start(matches.get(0)));
    if (matches.size() > 1) return choices(matches).compose(choices -> Future.failedFuture(TenantChoice.required(choices)));
    return ServiceError.fail(ErrorCode.UNAUTHORIZED, BAD_CREDENTIALS);
  }

  /** The tenants of the accounts a password opened (a tenant since removed is left out). */
  private Future<List<TenantChoice>> choices(List<User> matches) {
    return Future.all(matches.stream().map(user -> tenants.find(user.tenantId())).toList())
      .map(found -> found.<Tenant>list().stream().filter(Objects::nonNull).map(tenant -> new TenantChoice(tenant.id(), tenant.name())).toList());
  }

  /**
   * A new access token and the next refresh token of the family, for a refresh token that is ACTIVE and whose user is
   * still active with the token version the family began with (a deactivation or role change ends every family).
   */
  public Future<Session> refresh(Refresh command) {
    return refreshTokens.rotate(command.refreshToken())
      .compose(rotated -> rotated == null ? ServiceError.fail(ErrorCode.UNAUTHORIZED, BAD_REFRESH) : continueFamily(rotated));
  }

  private Future<Session> continueFamily(RefreshTokens.Rotated rotated) {
    return users.find(rotated.tenantId(), rotated.userId()).compose(user -> user != null && user.continuesFamily(rotated.tokenVersion())
      ? session(user, refreshTokens.next(user, rotated.familyId(), rotated.generation()))
      : refreshTokens.revokeFamily(rotated.familyId()).compose(v -> ServiceError.fail(ErrorCode.UNAUTHORIZED, BAD_REFRESH)));
  }

  /** Ends the refresh token's family (this device's session), whether or not the token was known. */
  public Future<Void> logout(LogOut command) {
    return refreshTokens.familyOf(command.refreshToken())
      .compose(familyId -> familyId == null ? Future.succeededFuture() : refreshTokens.revokeFamily(familyId));
  }

  /** Every refresh token of the user stops working (deactivated, or its role changed). */
  Future<Void> revokeSessions(String tenantId, String userId) {
    return refreshTokens.revokeUser(tenantId, userId);
  }

  /** Succeeds when the caller's user is active with the token's role and token version; 401 otherwise. */
  public Future<Void> checkSession(Caller caller, long tokenVersion) {
    return users.find(caller.tenantId(), caller.userId()).compose(user -> user != null && user.holdsSession(caller.role(), tokenVersion)
      ? Future.succeededFuture()
      : ServiceError.fail(ErrorCode.UNAUTHORIZED, "This session is no longer valid; log in again"));
  }

  public Future<Me> me(String tenantId, String userId) {
    return users.user(tenantId, userId).compose(user -> tenants.find(tenantId).map(tenant -> new Me(user, tenant)));
  }

  /** A new active user with its password hashed, not stored yet. */
  Future<User> newUser(String tenantId, NewAccount account, Role role) {
    return hasher.hash(account.password()).map(hash -> User.create(tenantId, account, role, hash));
  }

  /** An access token for {@code user}, with the refresh token {@code issued} (the first of a family, or its next). */
  private Future<Session> session(User user, Future<String> issued) {
    JsonObject claims = RecordCodec.toApi(new Claims(user.id(), user.tenantId(), user.role(), user.tokenVersion(),
      UUID.randomUUID().toString()));
    return issued.map(refreshToken -> new Session(signer.generateToken(claims, signOptions), signOptions.getExpiresInSeconds(),
      refreshToken, user));
  }
}
