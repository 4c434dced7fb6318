package io.stockroom.auth;

import io.stockroom.platform.security.Role;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;

import java.util.List;
import io.vertx.ext.mongo.MongoClient;

/**
 * Users: {_id, tenantId, email (lower-case, unique in the tenant), name, role, active, tokenVersion, passwordHash,
 * createdAt, updatedAt}. {@code tokenVersion} moves on when the user is deactivated or its role changes, which
 * invalidates every token issued before. The password hash never leaves this package ({@link #toApi}).
 */
public class UserRepository extends ScopedCollection {
  public static final String COLLECTION = "users";

  public UserRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "User");
  }

  /** Login checks the password against at most this many accounts of one email. */
  public static final int MAX_ACCOUNTS_PER_EMAIL = 5;

  /** The accounts with this (normalised) email, in any tenant or in {@code tenantId} when given. */
  public Future<List<JsonObject>> findAllByEmail(String email, String tenantId) {
    JsonObject filter = new JsonObject().put("email", email);
    if (tenantId != null) filter.put("tenantId", tenantId);
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setLimit(MAX_ACCOUNTS_PER_EMAIL));
  }

  /** The user, or null. */
  public Future<JsonObject> find(String tenantId, String userId) {
    return mongo.findOne(COLLECTION, io.stockroom.platform.mongo.Mongo.byId(tenantId, userId), null);
  }

  public Future<Long> countActiveOwners(String tenantId) {
    return mongo.count(COLLECTION, new JsonObject().put("tenantId", tenantId).put("role", Role.OWNER.name()).put("active", true));
  }

  public static JsonObject toApi(JsonObject doc) {
    JsonObject api = io.stockroom.platform.mongo.Mongo.toApi(doc);
    api.remove("passwordHash");
    api.remove("tokenVersion");
    return api;
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return toApi(doc);
  }

  @Override
  protected String duplicateHint(JsonObject doc) {
    return doc.containsKey("email") ? ": a user of your tenant already has email " + doc.getString("email") : "";
  }
}
