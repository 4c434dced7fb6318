package io.stockroom.api;

import io.stockroom.auth.Caller;
import io.stockroom.auth.Role;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.ServiceError;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs after JWT authentication and before the operation's handler: turns the verified claims into a {@link Caller}
 * and enforces the operation's roles. Tokens missing {@code exp}, {@code sub}, {@code tenantId} or a known
 * {@code role} are refused (401); a role not allowed by {@link Operation} gets 403.
 */
public final class Authorizer {
  static final String CALLER = "stockroom.caller";

  private Authorizer() {
  }

  public static Handler<RoutingContext> forOperation(Operation operation) {
    return ctx -> {
      Caller caller = caller(ctx.user());
      if (caller == null) {
        ctx.fail(new ServiceError(ErrorCode.UNAUTHORIZED, "The token lacks required claims"));
      } else if (!operation.allows(caller.role())) {
        ctx.fail(new ServiceError(ErrorCode.FORBIDDEN, "Role " + caller.role() + " may not call " + operation.operationId()));
      } else {
        ctx.put(CALLER, caller);
        ctx.next();
      }
    };
  }

  static Caller caller(User user) {
    if (user == null) return null;
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    Role role = Role.parse(claims.getString("role"));
    String tenantId = claims.getString("tenantId");
    String userId = claims.getString("sub");
    if (role == null || isBlank(tenantId) || isBlank(userId) || !(claims.getValue("exp") instanceof Number)) return null;
    return new Caller(tenantId, userId, role);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
