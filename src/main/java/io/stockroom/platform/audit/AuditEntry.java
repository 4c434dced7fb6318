package io.stockroom.platform.audit;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.security.Caller;
import io.stockroom.platform.security.Role;
import io.vertx.core.json.JsonObject;

/**
 * One administrative change: in which tenant ({@link AuditTrail#PLATFORM} for changes of the whole service, shown to
 * every OWNER), who made it ({@code actor}: a user, or the operator's configuration), from which client address, what
 * ({@code action} on {@code target}) and the non-secret details.
 */
public record AuditEntry(String tenantId, AuditEntry.Actor actor, String from, String requestId, AuditAction action,
                         String targetType, String targetId, JsonObject details) {

  /** Who made a change: a user ({userId, role}), or the operator ({operator: "configuration"}). */
  public record Actor(String userId, String role, String operator) {
    static Actor user(String userId, Role role) {
      return new Actor(userId, role.name(), null);
    }

    static final Actor CONFIGURATION = new Actor(null, null, "configuration");
  }

  /** A change made by the request's caller. */
  public static AuditEntry of(BusRequest request, AuditAction action, String targetType, String targetId) {
    return of(request.invocation(), action, targetType, targetId);
  }

  /** A change made by the caller of an invocation. */
  public static AuditEntry of(Invocation by, AuditAction action, String targetType, String targetId) {
    return new AuditEntry(by.tenantId(), Actor.user(by.userId(), by.caller().role()),
      by.clientAddress(), by.requestId(), action, targetType, targetId, new JsonObject());
  }

  /** A change made by a user who has no session yet (the first OWNER at sign-up), through an invocation without a caller. */
  public static AuditEntry byUser(Caller user, Invocation by, AuditAction action, String targetType, String targetId) {
    return new AuditEntry(user.tenantId(), Actor.user(user.userId(), user.role()),
      by.clientAddress(), by.requestId(), action, targetType, targetId, new JsonObject());
  }

  /** A change the operator made in configuration (observed when an instance starts with it). */
  public static AuditEntry byOperator(String tenantId, AuditAction action, String targetType, String targetId) {
    return new AuditEntry(tenantId, Actor.CONFIGURATION, null, null, action, targetType, targetId,
      new JsonObject());
  }

  public AuditEntry with(String key, Object value) {
    details.put(key, value);
    return this;
  }
}
