package io.stockroom.auth;

import io.stockroom.platform.security.Caller;
import io.stockroom.platform.security.Role;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.audit.AuditAction;
import io.stockroom.platform.audit.AuditEntry;
import io.stockroom.platform.audit.AuditTrail;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Sign-up (a new tenant and its first OWNER), login, refresh and logout, and "who am I". A session is a short-lived
 * access token (JWT) plus a refresh token that rotates on every use (see {@link RefreshTokens}).
 */
public class AuthService {
  private static final String BAD_CREDENTIALS = "Invalid email or password";
  private static final String BAD_REFRESH = "The refresh token is not valid (expired, revoked or already used); log in again";

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

  public Future<Reply> signup(BusRequest request) {
    return throttle.admitAttempt(request.body().getString("email")).compose(v -> createTenant(request));
  }

  private Future<Reply> createTenant(BusRequest request) {
    JsonObject body = request.body();
    String tenantId = Mongo.newId();
    JsonObject tenant = new JsonObject()
      .put("_id", tenantId)
      .put("name", body.getString("tenantName").trim())
      .put("currency", currency(body.getString("currency", "EUR")))
      .put("timezone", timezone(body.getString("timezone", "UTC")))
      .put("createdAt", Mongo.now());
    return newUser(tenantId, body, Role.OWNER)
      .compose(users::insert)
      .compose(owner -> tenants.insert(tenant)
        .recover(err -> users.delete(tenantId, owner.getString("_id"))
          .transform(ignored -> tenants.delete(tenantId))
          .transform(ignored -> Future.failedFuture(err)))
        .compose(v -> audit.record(AuditEntry.byUser(owner, request, AuditAction.TENANT_CREATED, "tenant", tenantId)
          .with("name", tenant.getString("name"))))
        .compose(v -> session(owner, refreshTokens.start(owner)))
        .map(session -> Reply.created(session.put("tenant", tenantApi(tenant)))));
  }

  /**
   * An email may have accounts in several tenants. The password is checked against each (at most
   * {@link UserRepository#MAX_ACCOUNTS_PER_EMAIL}; {@code tenantId} narrows the search); exactly one active match logs
   * in, several ask for the {@code tenantId}, none answers the same 401 as an unknown email.
   */
  public Future<Reply> login(BusRequest request) {
    String email = normaliseEmail(request.body().getString("email"));
    String address = request.clientAddress();
    return throttle.admitLogin(email, address)
      .compose(v -> checkCredentials(request, email))
      .onSuccess(reply -> throttle.succeeded(email))
      .recover(err -> err instanceof ServiceError se && se.code() == ErrorCode.UNAUTHORIZED
        ? throttle.failed(email, address).transform(ignored -> Future.failedFuture(err))
        : Future.failedFuture(err));
  }

  private Future<Reply> checkCredentials(BusRequest request, String email) {
    String password = request.body().getString("password");
    String tenantId = request.body().getString("tenantId");
    return users.findAllByEmail(email, tenantId).compose(candidates -> {
      List<JsonObject> matches = new ArrayList<>();
      Future<Void> checked = candidates.isEmpty()
        ? hasher.verify(password, null).mapEmpty()
        : Steps.each(candidates, user -> hasher.verify(password, user.getString("passwordHash"))
            .map(ok -> ok && user.getBoolean("active", false) ? matches.add(user) : null));
      return checked.compose(v -> {
        if (matches.size() == 1) return session(matches.get(0), refreshTokens.start(matches.get(0))).map(Reply::ok);
        if (matches.size() > 1) {
          return ServiceError.<Reply>fail(ErrorCode.CONFLICT, "These credentials open accounts in several tenants; log in "
            + "again with tenantId");
        }
        return ServiceError.<Reply>fail(ErrorCode.UNAUTHORIZED, BAD_CREDENTIALS);
      });
    });
  }

  /**
   * A new access token and the next refresh token of the family, for a refresh token that is ACTIVE and whose user is
   * still active with the token version the family began with (a deactivation or role change ends every family).
   */
  public Future<Reply> refresh(BusRequest request) {
    return refreshTokens.rotate(request.body().getString("refreshToken")).compose(used -> {
      if (used == null) return ServiceError.<Reply>fail(ErrorCode.UNAUTHORIZED, BAD_REFRESH);
      return users.find(used.getString("tenantId"), used.getString("userId")).compose(user -> {
        boolean current = user != null && user.getBoolean("active", false)
          && user.getLong("tokenVersion", 0L).longValue() == used.getLong("tokenVersion", 0L);
        if (!current) {
          return refreshTokens.revokeFamily(used.getString("familyId")).compose(v -> ServiceError.<Reply>fail(ErrorCode.UNAUTHORIZED, BAD_REFRESH));
        }
        return session(user, refreshTokens.next(user, used.getString("familyId"), used.getLong("generation"))).map(Reply::ok);
      });
    });
  }

  /** Ends the refresh token's family (this device's session); answers 204 whether or not the token was known. */
  public Future<Reply> logout(BusRequest request) {
    return refreshTokens.find(request.body().getString("refreshToken"))
      .compose(token -> token == null ? Future.succeededFuture() : refreshTokens.revokeFamily(token.getString("familyId")))
      .map(v -> Reply.noContent());
  }

  /** Every refresh token of the user stops working (deactivated, or its role changed). */
  Future<Void> revokeSessions(String tenantId, String userId) {
    return refreshTokens.revokeUser(tenantId, userId);
  }

  /** 204-like empty answer when the token's user is active with that role and token version; 401 otherwise. */
  public Future<Reply> session(BusRequest request) {
    Caller caller = request.caller();
    long tokenVersion = request.body().getLong("tokenVersion", 0L);
    return users.find(caller.tenantId(), caller.userId()).compose(user -> {
      boolean current = user != null && user.getBoolean("active", false)
        && caller.role().name().equals(user.getString("role")) && tokenVersion == user.getLong("tokenVersion", 0L);
      return current ? Future.succeededFuture(Reply.noContent())
        : ServiceError.<Reply>fail(ErrorCode.UNAUTHORIZED, "This session is no longer valid; log in again");
    });
  }

  public Future<Reply> me(BusRequest request) {
    Caller caller = request.caller();
    return users.get(caller.tenantId(), caller.userId())
      .compose(user -> tenants.find(caller.tenantId())
        .map(tenant -> Reply.ok(new JsonObject()
          .put("user", UserRepository.toApi(user))
          .put("tenant", tenant == null ? null : tenantApi(tenant)))));
  }

  /** A user document with a hashed password, ready to insert. */
  Future<JsonObject> newUser(String tenantId, JsonObject body, Role role) {
    return hasher.hash(body.getString("password")).map(hash -> new JsonObject()
      .put("_id", Mongo.newId())
      .put("tenantId", tenantId)
      .put("email", normaliseEmail(body.getString("email")))
      .put("name", body.getString("name").trim())
      .put("role", role.name())
      .put("active", true)
      .put("tokenVersion", 0L)
      .put("passwordHash", hash)
      .put("createdAt", Mongo.now()));
  }

  /** An access token for {@code user}, with the refresh token {@code issued} (the first of a family, or its next). */
  private Future<JsonObject> session(JsonObject user, Future<String> issued) {
    JsonObject claims = new JsonObject()
      .put("sub", user.getString("_id"))
      .put("tenantId", user.getString("tenantId"))
      .put("role", user.getString("role"))
      .put("tv", user.getLong("tokenVersion", 0L))
      .put("jti", UUID.randomUUID().toString());
    return issued.map(refreshToken -> new JsonObject()
      .put("accessToken", signer.generateToken(claims, signOptions))
      .put("tokenType", "Bearer")
      .put("expiresIn", signOptions.getExpiresInSeconds())
      .put("refreshToken", refreshToken)
      .put("user", UserRepository.toApi(user)));
  }

  private static JsonObject tenantApi(JsonObject tenant) {
    return Mongo.toApi(tenant);
  }

  static String normaliseEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  private static String currency(String code) {
    try {
      return Currency.getInstance(code).getCurrencyCode();
    } catch (IllegalArgumentException e) {
      throw new ServiceError(ErrorCode.VALIDATION, "currency must be an ISO 4217 code such as EUR or USD");
    }
  }

  private static String timezone(String zone) {
    try {
      return ZoneId.of(zone).getId();
    } catch (DateTimeException e) {
      throw new ServiceError(ErrorCode.VALIDATION, "timezone must be an IANA zone such as Europe/Berlin or UTC");
    }
  }
}
