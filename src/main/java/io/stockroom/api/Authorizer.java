package io.stockroom.api;

import io.stockroom.auth.InvalidToken;
import io.stockroom.platform.security.Caller;
import io.stockroom.platform.security.Role;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs after JWT authentication and before the operation's handler: turns the verified claims into a {@link Caller},
 * enforces the operation's roles and checks that the session is still current (rate limits were taken before, see
 * {@link RateLimits}). Tokens missing {@code exp},
 * {@code sub}, {@code tenantId} or a known {@code role}, or carrying them with the wrong type, are refused (401); a role
 * not allowed by {@link Operation} gets 403; a token of a user since deactivated, demoted or promoted gets 401.
 */
public final class Authorizer {
  static final String CALLER = "stockroom.caller";

  private final Sessions sessions;

  Authorizer(Sessions sessions) {
    this.sessions = sessions;
  }

  public Handler<RoutingContext> forOperation(Operation operation) {
    return ctx -> {
      Caller caller = caller(ctx.user());
      if (caller == null) {
        ctx.fail(InvalidToken.refused("The token lacks required claims"));
      } else if (!operation.allows(caller.role())) {
        ctx.fail(new ServiceError(ErrorCode.FORBIDDEN, "Role " + caller.role() + " may not call " + operation.operationId()));
      } else {
        sessions.check(caller, claims(ctx.user()))
          .onSuccess(current -> {
            ctx.put(CALLER, caller);
            ctx.next();
          })
          .onFailure(ctx::fail);
      }
    };
  }

  static JsonObject claims(User user) {
    return user.attributes().getJsonObject("accessToken", user.principal());
  }

  /**
   * The caller named by the verified claims, or null when any claim has the wrong type or shape: {@code tenantId} and
   * {@code sub} must be id strings, {@code role} one of the roles, {@code exp} a number.
   */
  static Caller caller(User user) {
    if (user == null) return null;
    JsonObject claims = claims(user);
    if (claims.containsKey("tv") && !(claims.getValue("tv") instanceof Number)) return null;
    if (!(claims.getValue("tenantId") instanceof String tenantId) || !Mongo.isId(tenantId)) return null;
    if (!(claims.getValue("sub") instanceof String userId) || !Mongo.isId(userId)) return null;
    if (!(claims.getValue("role") instanceof String roleName) || Role.parse(roleName) == null) return null;
    if (!(claims.getValue("exp") instanceof Number)) return null;
    return new Caller(tenantId, userId, Role.parse(roleName));
  }
}
