package io.stockroom.auth;

import io.stockroom.platform.security.Role;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The OWNER's user management inside its tenant. A tenant always keeps at least one active OWNER: demoting or
 * deactivating the last one is a 409. Deactivating a user or changing its role moves its token version on, so its
 * tokens stop working at once (see {@code api.Sessions}).
 */
public class UserAdminService {
  private final UserRepository users;
  private final AuthService auth;

  public UserAdminService(UserRepository users, AuthService auth) {
    this.users = users;
    this.auth = auth;
  }

  public Future<Reply> create(BusRequest request) {
    Role role = Role.parse(request.body().getString("role"));
    return auth.newUser(request.tenantId(), request.body(), role)
      .compose(users::insert)
      .map(user -> Reply.created(UserRepository.toApi(user)));
  }

  public Future<Reply> list(BusRequest request) {
    return users.page(request.tenantId(), new JsonObject(), Page.from(request.query()))
      .map(page -> {
        page.getJsonArray("items").forEach(item -> ((JsonObject) item).remove("passwordHash"));
        return Reply.ok(page);
      });
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
    String tenantId = request.tenantId();
    String userId = request.pathParam("userId");
    return users.get(tenantId, userId).compose(current -> {
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
    });
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
