package io.stockroom.auth;

import io.stockroom.platform.security.Role;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;

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

  /**
   * Emails are unique per tenant, so neither signup nor user creation can tell whether another tenant has an
   * account with an email. (The service-wide index of earlier versions is dropped.)
   */
  public Future<Void> createIndexes() {
    return createScopedIdIndex()
      .compose(v -> mongo.dropIndex(COLLECTION, "email_unique").otherwiseEmpty())
      .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tenantId", 1).put("email", 1),
        new IndexOptions().name("tenant_email_unique").unique(true)))
      // login, before the tenant is known: every account with this email
      .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("email", 1), new IndexOptions().name("email")))
      // the last active OWNER check
      .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tenantId", 1).put("role", 1).put("active", 1),
        new IndexOptions().name("tenant_role_active")));
  }

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
