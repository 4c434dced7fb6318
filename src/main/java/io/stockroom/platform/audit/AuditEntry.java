package io.stockroom.platform.audit;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.security.Caller;
import io.vertx.core.json.JsonObject;

/**
 * One administrative change: in which tenant ({@link AuditTrail#PLATFORM} for changes of the whole service, shown to
 * every OWNER), who made it ({@code actor}: a user, or the operator's configuration), from which client address, what
 * ({@code action} on {@code target}) and the non-secret details.
 */
public record AuditEntry(String tenantId, JsonObject actor, String from, String requestId, AuditAction action,
                         String targetType, String targetId, JsonObject details) {

  /** A change made by the request's caller. */
  public static AuditEntry of(BusRequest request, AuditAction action, String targetType, String targetId) {
    return of(request.invocation(), action, targetType, targetId);
  }

  /** A change made by the caller of an invocation. */
  public static AuditEntry of(Invocation by, AuditAction action, String targetType, String targetId) {
    return new AuditEntry(by.tenantId(), new JsonObject().put("userId", by.userId()).put("role", by.caller().role().name()),
      by.clientAddress(), by.requestId(), action, targetType, targetId, new JsonObject());
  }

  /** A change made by a user who has no session yet (the first OWNER at sign-up), through an invocation without a caller. */
  public static AuditEntry byUser(Caller user, Invocation by, AuditAction action, String targetType, String targetId) {
    return new AuditEntry(user.tenantId(), new JsonObject().put("userId", user.userId()).put("role", user.role().name()),
      by.clientAddress(), by.requestId(), action, targetType, targetId, new JsonObject());
  }

  /** A change the operator made in configuration (observed when an instance starts with it). */
  public static AuditEntry byOperator(String tenantId, AuditAction action, String targetType, String targetId) {
    return new AuditEntry(tenantId, new JsonObject().put("operator", "configuration"), null, null, action, targetType, targetId,
      new JsonObject());
  }

  public AuditEntry with(String key, Object value) {
    details.put(key, value);
    return this;
  }
}
