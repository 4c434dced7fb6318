package io.stockroom.auth;

import io.stockroom.auth.AuthCommands.LogIn;
import io.stockroom.auth.AuthCommands.LogOut;
import io.stockroom.auth.AuthCommands.Refresh;
import io.stockroom.auth.AuthCommands.SignUp;
import io.stockroom.auth.UserCommands.ChangeUser;
import io.stockroom.auth.UserCommands.CreateUser;
import io.stockroom.platform.audit.AuditEntry;
import io.stockroom.platform.audit.AuditTrail;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.platform.ratelimit.RatePolicy;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;

/**
 * Owns tenants, users and refresh tokens: sign-up, login (throttled), token issuing and rotation, the OWNER's user
 * management and the audit log's reading.
 */
public class AuthVerticle extends VerticleBase {
  private static final String USER_ID = "userId";

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    UserRepository users = new UserRepository(mongo);
    TenantRepository tenants = new TenantRepository(mongo);
    AuditTrail audit = new AuditTrail(mongo);
    RatePolicy policy = RatePolicy.of(settings);
    LoginThrottle throttle = new LoginThrottle(vertx, Storage.redis(vertx, settings), policy,
      settings.integer(ConfigKey.REDIS_COMMAND_TIMEOUT_MS), settings.integer(ConfigKey.AUTH_LOCKOUT_FAILURES),
      settings.integer(ConfigKey.AUTH_ADDRESS_LOCKOUT_FAILURES), settings.integer(ConfigKey.AUTH_LOCKOUT_SECONDS));
    RefreshTokens refreshTokens = new RefreshTokens(mongo, settings.integer(ConfigKey.JWT_REFRESH_TTL_SECONDS));
    return Future.all(JwtKeys.load(vertx, settings), PasswordHasher.create(vertx, settings.integer(ConfigKey.AUTH_BCRYPT_COST),
        settings.integer(ConfigKey.AUTH_HASHING_THREADS), settings.integer(ConfigKey.AUTH_HASHING_QUEUE)))
      .compose(deps -> {
        JwtKeys.KeyRing keys = deps.resultAt(0);
        AuthService auth = new AuthService(tenants, users, deps.resultAt(1), keys.signer(), JwtKeys.signOptions(settings),
          refreshTokens, throttle, audit);
        UserAdminService admin = new UserAdminService(vertx.eventBus(), users, auth, audit);
        return recordConfigurationChanges(audit, keys, policy).compose(v -> bind(auth, admin, audit));
      });
  }

  private Future<Void> bind(AuthService auth, UserAdminService admin, AuditTrail audit) {
    return new ServiceConsumers(vertx)
      .bind(AuthContract.SIGNUP, SignUp::from, command -> auth.signup(command).map(signedUp -> Reply.created(signedUp.toApi())))
      .bind(AuthContract.LOGIN, LogIn::from, command -> auth.login(command).map(session -> Reply.ok(session.toApi())))
      .bind(AuthContract.REFRESH, Refresh::from, command -> auth.refresh(command).map(session -> Reply.ok(session.toApi())))
      .bind(AuthContract.LOGOUT, LogOut::from, command -> auth.logout(command).map(v -> Reply.noContent()))
      .bind(AuthContract.ME, request -> auth.me(request.tenantId(), request.caller().userId()).map(me -> Reply.ok(me.toApi())))
      .bind(AuthContract.SESSION, request -> auth.checkSession(request.caller(), AuthCommands.CheckSession.from(request).tokenVersion())
        .map(v -> Reply.noContent()))
      .bind(AuthContract.USERS_CREATE, CreateUser::from, command -> admin.create(command).map(user -> Reply.created(user.toApi())))
      .bind(AuthContract.USERS_LIST, request -> admin.list(request.tenantId(), Page.from(request.query())).map(Reply::ok))
      .bind(AuthContract.USERS_GET, request -> admin.get(request.tenantId(), request.pathParam(USER_ID)).map(user -> Reply.ok(user.toApi())))
      .bind(AuthContract.USERS_UPDATE, ChangeUser::from, command -> admin.change(command).map(user -> Reply.ok(user.toApi())))
      .bind(AuthContract.USERS_DEACTIVATE, ChangeUser::deactivation, command -> admin.change(command).map(user -> Reply.noContent()))
      .bind(AuthContract.AUDIT_LOG, request -> audit.page(request.tenantId(), request.query()).map(Reply::ok))
      .ready();
  }

  /**
   * A signing key or a tenant's rate limits that no instance started with before go to the audit log, once however
   * many instances start with them.
   */
  private static Future<Void> recordConfigurationChanges(AuditTrail audit, JwtKeys.KeyRing keys, RatePolicy policy) {
    Future<Void> key = audit.recordOnce("signing-key:" + keys.signingKeyId(),
      AuditEntry.byOperator(AuditTrail.PLATFORM, AccountAction.SIGNING_KEY_ACTIVATED, "signingKey", keys.signingKeyId()));
    return key.compose(v -> Steps.each(policy.overrides().entrySet(), override -> audit.recordOnce(
      "rate-limits:" + override.getKey() + ":" + override.getValue().tenantPerSecond() + "/" + override.getValue().userPerSecond(),
      AuditEntry.byOperator(override.getKey(), AccountAction.RATE_LIMITS_CHANGED, "tenant", override.getKey())
        .with("tenantPerSecond", override.getValue().tenantPerSecond()).with("userPerSecond", override.getValue().userPerSecond()))));
  }
}
