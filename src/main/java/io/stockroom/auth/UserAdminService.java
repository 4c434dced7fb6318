package io.stockroom.auth;

import io.stockroom.platform.security.Role;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.audit.AuditAction;
import io.stockroom.platform.audit.AuditEntry;
import io.stockroom.platform.audit.AuditTrail;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

import java.util.ArrayList;
import java.util.List;
import io.vertx.core.json.JsonObject;

/**
 * The OWNER's user management inside its tenant. A tenant always keeps at least one active OWNER: demoting or
 * deactivating the last one is a 409. Deactivating a user or changing its role moves its token version on, so its
 * tokens stop working at once (see {@code api.Sessions}).
 */
public class UserAdminService {
  private final EventBus bus;
  private final UserRepository users;
  private final AuthService auth;
  private final AuditTrail audit;

  UserAdminService(EventBus bus, UserRepository users, AuthService auth, AuditTrail audit) {
    this.bus = bus;
    this.users = users;
    this.auth = auth;
    this.audit = audit;
  }

  public Future<Reply> create(BusRequest request) {
    Role role = Role.parse(request.body().getString("role"));
    return auth.newUser(request.tenantId(), request.body(), role)
      .compose(users::insert)
      .compose(user -> audit.record(AuditEntry.of(request, AuditAction.USER_CREATED, "user", user.getString("_id"))
          .with("email", user.getString("email")).with("role", user.getString("role")))
        .map(v -> Reply.created(UserRepository.toApi(user))));
  }

  public Future<Reply> list(BusRequest request) {
    return users.page(request.tenantId(), new JsonObject(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> get(BusRequest request) {
    return users.get(request.tenantId(), request.pathParam("userId")).map(user -> Reply.ok(UserRepository.toApi(user)));
  }

  public Future<Reply> update(BusRequest request) {
    JsonObject changes = new JsonObject();
    JsonObject body = request.body();
    if (body.containsKey("name")) changes.put("name", body.getString("name").trim());
    if (body.containsKey("role")) changes.put("role", Role.parse(body.getString("role")).name());
    if (body.containsKey("active")) changes.put("active", body.getBoolean("active"));
    return apply(request, changes).map(user -> Reply.ok(UserRepository.toApi(user)));
  }

  public Future<Reply> deactivate(BusRequest request) {
    return apply(request, new JsonObject().put("active", false)).map(user -> Reply.noContent());
  }

  /**
   * Applies the change; when it removes an active OWNER, it checks afterwards that one is left and otherwise puts the
   * user back. Two concurrent demotions of the last two owners can then both be undone, never both succeed.
   */
  private Future<JsonObject> apply(BusRequest request, JsonObject changes) {
    return users.get(request.tenantId(), request.pathParam("userId"))
      .compose(current -> change(request, current, changes).compose(updated -> afterChange(request, current, updated)));
  }

  /** Ends the user's refresh tokens when its token version moved, then records what changed. */
  private Future<JsonObject> afterChange(BusRequest request, JsonObject before, JsonObject after) {
    String userId = after.getString("_id");
    if (!before.getLong("tokenVersion", 0L).equals(after.getLong("tokenVersion", 0L))
      || !before.getString("role").equals(after.getString("role")) || !before.getBoolean("active", false).equals(after.getBoolean("active", false))) {
      SessionCache.changed(bus, request.tenantId(), userId);
    }
    Future<Void> revoked = before.getLong("tokenVersion", 0L).equals(after.getLong("tokenVersion", 0L))
      ? Future.succeededFuture() : auth.revokeSessions(request.tenantId(), userId);
    List<AuditEntry> entries = new ArrayList<>();
    if (!before.getString("role").equals(after.getString("role"))) {
      entries.add(AuditEntry.of(request, AuditAction.USER_ROLE_CHANGED, "user", userId)
        .with("from", before.getString("role")).with("to", after.getString("role")));
    }
    if (!before.getBoolean("active", false).equals(after.getBoolean("active", false))) {
      entries.add(AuditEntry.of(request, after.getBoolean("active", false) ? AuditAction.USER_REACTIVATED : AuditAction.USER_DEACTIVATED,
        "user", userId));
    }
    if (!before.getString("name", "").equals(after.getString("name", ""))) {
      entries.add(AuditEntry.of(request, AuditAction.USER_RENAMED, "user", userId));
    }
    return revoked.compose(v -> Steps.each(entries, audit::record)).map(v -> after);
  }

  private Future<JsonObject> change(BusRequest request, JsonObject current, JsonObject changes) {
    String tenantId = request.tenantId();
    String userId = current.getString("_id");
    boolean revokes = changes.containsKey("role") && !changes.getString("role").equals(current.getString("role"))
      || changes.containsKey("active") && !changes.getBoolean("active").equals(current.getBoolean("active"));
    if (revokes) changes.put("tokenVersion", current.getLong("tokenVersion", 0L) + 1);
    if (!removesAnOwner(current, changes)) return users.patch(tenantId, userId, changes);
    return users.countActiveOwners(tenantId).compose(owners -> owners <= 1
      ? Future.failedFuture(lastOwner())
      : users.patch(tenantId, userId, changes).compose(updated -> users.countActiveOwners(tenantId).compose(left -> left >= 1
          ? Future.succeededFuture(updated)
          : users.patch(tenantId, userId, new JsonObject().put("role", current.getString("role")).put("active", current.getBoolean("active"))
              .put("tokenVersion", current.getLong("tokenVersion", 0L)))
              .transform(reverted -> Future.failedFuture(lastOwner())))));
  }

  private static ServiceError lastOwner() {
    return new ServiceError(ErrorCode.CONFLICT, "A tenant must keep at least one active OWNER");
  }

  private static boolean removesAnOwner(JsonObject current, JsonObject changes) {
    boolean isActiveOwner = Role.OWNER.name().equals(current.getString("role")) && current.getBoolean("active", false);
    boolean staysActiveOwner = Role.OWNER.name().equals(changes.getString("role", current.getString("role")))
      && changes.getBoolean("active", current.getBoolean("active", false));
    return isActiveOwner && !staysActiveOwner;
  }
}
