package io.stockroom.auth;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;

/** Owns tenants and users: sign-up, login, token issuing and the OWNER's user management. */
public class AuthVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    UserRepository users = new UserRepository(mongo);
    TenantRepository tenants = new TenantRepository(mongo);
    return Future.all(JwtKeys.provider(vertx, settings), PasswordHasher.create(vertx, settings.integer(ConfigKey.AUTH_BCRYPT_COST)))
      .compose(deps -> {
        AuthService auth = new AuthService(tenants, users, deps.resultAt(1), deps.resultAt(0), JwtKeys.signOptions(settings));
        UserAdminService admin = new UserAdminService(users, auth);
        return new ServiceConsumers(vertx)
          .bind(AuthContract.SIGNUP, auth::signup)
          .bind(AuthContract.LOGIN, auth::login)
          .bind(AuthContract.ME, auth::me)
          .bind(AuthContract.SESSION, auth::session)
          .bind(AuthContract.USERS_CREATE, admin::create)
          .bind(AuthContract.USERS_LIST, admin::list)
          .bind(AuthContract.USERS_GET, admin::get)
          .bind(AuthContract.USERS_UPDATE, admin::update)
          .bind(AuthContract.USERS_DEACTIVATE, admin::deactivate)
          .ready();
      });
  }
}
