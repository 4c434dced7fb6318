package io.stockroom.auth;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.security.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;
import java.util.Objects;

/**
 * The {@code users} collection: {@link User}s, one document each ({_id, tenantId, email (lower-case, unique in the
 * tenant), name, role, active, tokenVersion, passwordHash, createdAt, updatedAt}). Pages show each as
 * {@link User#toApi()}.
 */
public class UserRepository extends ScopedCollection {
  public static final String COLLECTION = "users";
  /** Login checks the password against at most this many accounts of one email. */
  public static final int MAX_ACCOUNTS_PER_EMAIL = 5;

  public UserRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "User");
  }

  Future<User> insert(User user) {
    return insert(user.toDocument()).map(User::fromDocument);
  }

  /** The user, or NOT_FOUND. */
  Future<User> user(String tenantId, String userId) {
    return get(tenantId, userId).map(User::fromDocument);
  }

  /** The user, or null. */
  Future<User> find(String tenantId, String userId) {
    return mongo.findOne(COLLECTION, Mongo.byId(tenantId, userId), null).map(doc -> doc == null ? null : User.fromDocument(doc));
  }

  /** The accounts with this (normalised) email, in any tenant or in {@code tenantId} when given. */
  Future<List<User>> findAllByEmail(String email, String tenantId) {
    JsonObject filter = Ops.where(User.EMAIL, email);
    if (tenantId != null) filter.put(Fields.TENANT_ID, tenantId);
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setLimit(MAX_ACCOUNTS_PER_EMAIL))
      .map(docs -> docs.stream().map(User::fromDocument).toList());
  }

  /**
   * Writes only the fields {@code after} changed from {@code before}, so that a concurrent change of another field
   * stays; answers the user as stored then, or NOT_FOUND.
   */
  Future<User> change(User before, User after) {
    JsonObject was = before.toDocument();
    JsonObject changes = new JsonObject();
    after.toDocument().forEach(field -> {
      if (!Objects.equals(field.getValue(), was.getValue(field.getKey()))) changes.put(field.getKey(), field.getValue());
    });
    return patch(after.tenantId(), after.id(), changes).map(User::fromDocument);
  }

  Future<Long> countActiveOwners(String tenantId) {
    return mongo.count(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(User.ROLE, Role.OWNER.name()).put(User.ACTIVE, true));
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return User.fromDocument(doc).toApi();
  }

  @Override
  protected String duplicateHint(JsonObject doc) {
    String email = User.fromDocument(doc).email();
    return email != null ? ": a user of your tenant already has email " + email : "";
  }
}
