package io.stockroom.auth;

import io.stockroom.platform.security.Role;

import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

/**
 * Users: {_id, tenantId, email (lower-case, unique across the service), name, role, active, passwordHash, createdAt,
 * updatedAt}. The password hash never leaves this package ({@link #toApi}).
 */
public class UserRepository extends ScopedCollection {
  public static final String COLLECTION = "users";

  public UserRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "User");
  }

  public Future<Void> createIndexes() {
    return createScopedIdIndex()
      .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("email", 1),
        new IndexOptions().name("email_unique").unique(true)));
  }

  /** @return the user with this (normalised) email in any tenant, or null */
  public Future<JsonObject> findByEmail(String email) {
    return mongo.findOne(COLLECTION, new JsonObject().put("email", email), null);
  }

  public Future<Long> countActiveOwners(String tenantId) {
    return mongo.count(COLLECTION, new JsonObject().put("tenantId", tenantId).put("role", Role.OWNER.name()).put("active", true));
  }

  public static JsonObject toApi(JsonObject doc) {
    JsonObject api = io.stockroom.platform.mongo.Mongo.toApi(doc);
    api.remove("passwordHash");
    return api;
  }

  @Override
  protected String duplicateHint(JsonObject doc) {
    return doc.containsKey("email") ? ": email " + doc.getString("email") + " is taken" : "";
  }
}
