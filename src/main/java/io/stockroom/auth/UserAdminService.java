package io.stockroom.auth;

import io.stockroom.auth.UserCommands.ChangeUser;
import io.stockroom.auth.UserCommands.CreateUser;
import io.stockroom.platform.audit.AuditEntry;
import io.stockroom.platform.audit.AuditTrail;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

  public Future<User> create(CreateUser command) {
    return auth.newUser(command.by().tenantId(), command.account(), command.role())
      .compose(users::insert)
      .compose(user -> audit.record(AuditEntry.of(command.by(), AccountAction.USER_CREATED, "user", user.id())
          .with("email", user.email()).with("role", user.role().name()))
        .map(user));
  }

  /** One page of the tenant's users, as clients see them. */
  public Future<JsonObject> list(String tenantId, Page page) {
    return users.page(tenantId, new JsonObject(), page);
  }

  public Future<User> get(String tenantId, String userId) {
    return users.user(tenantId, userId);
  }

  /** Name, role, activity; sessions the change ends stop working here and on every instance. */
  public Future<User> change(ChangeUser command) {
    return users.user(command.by().tenantId(), command.userId())
      .compose(before -> write(before, before.changedBy(command)).compose(after -> afterChange(command.by(), before, after)));
  }

  /**
   * Writes the change; when it removes an active OWNER, it checks afterwards that one is left and otherwise puts the
   * user back. Two concurrent demotions of the last two owners can then both be undone, never both succeed.
   */
  private Future<User> write(User before, User after) {
    if (!before.removesAnActiveOwner(after)) return users.change(before, after);
    String tenantId = before.tenantId();
    return users.countActiveOwners(tenantId)
      .compose(owners -> owners <= 1 ? Future.failedFuture(lastOwner()) : users.change(before, after))
      .compose(written -> users.countActiveOwners(tenantId).compose(left -> left >= 1
        ? Future.succeededFuture(written)
        : users.change(after, before).transform(reverted -> Future.failedFuture(lastOwner()))));
  }

  /** Ends the user's refresh tokens when its token version moved, then records what changed. */
  private Future<User> afterChange(Invocation by, User before, User after) {
    if (before.sessionDiffers(after)) SessionCache.changed(bus, after.tenantId(), after.id());
    Future<Void> revoked = before.tokenVersion() == after.tokenVersion()
      ? Future.succeededFuture() : auth.revokeSessions(after.tenantId(), after.id());
    return revoked.compose(v -> Steps.each(auditEntries(by, before, after), audit::record)).map(after);
  }

  private static List<AuditEntry> auditEntries(Invocation by, User before, User after) {
    List<AuditEntry> entries = new ArrayList<>();
    if (before.role() != after.role()) {
      entries.add(AuditEntry.of(by, AccountAction.USER_ROLE_CHANGED, "user", after.id())
        .with("from", before.role().name()).with("to", after.role().name()));
    }
    if (before.active() != after.active()) {
      entries.add(AuditEntry.of(by, after.active() ? AccountAction.USER_REACTIVATED : AccountAction.USER_DEACTIVATED, "user", after.id()));
    }
    if (!Objects.equals(before.name(), after.name())) {
      entries.add(AuditEntry.of(by, AccountAction.USER_RENAMED, "user", after.id()));
    }
    return entries;
  }

  private static ServiceError lastOwner() {
    return new ServiceError(ErrorCode.CONFLICT, "A tenant must keep at least one active OWNER");
  }
}
