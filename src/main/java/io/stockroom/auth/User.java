package io.stockroom.auth;

import io.stockroom.auth.UserCommands.ChangeUser;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.security.Caller;
import io.stockroom.platform.security.Role;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A user of one tenant. {@code tokenVersion} moves on when the user is deactivated or its role changes, which ends
 * every session issued before. Stored in {@code users}; only {@link UserRepository} turns it into a document and back,
 * and clients see {@link #toApi()} only, so neither the password hash nor the token version can leave this package.
 */
public record User(@Key("_id") String id, String tenantId, String email, String name, Role role, boolean active, long tokenVersion,
                   String passwordHash, Instant createdAt, Instant updatedAt) {

  /** A new, active user whose password hashes to {@code passwordHash}. */
  static User create(String tenantId, NewAccount account, Role role, String passwordHash) {
    return new User(Mongo.newId(), tenantId, account.email(), account.name(), role, true, 0, passwordHash,
      Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
  }

  static final String EMAIL = "email";
  static final String ROLE = "role";
  static final String ACTIVE = "active";

  static User fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(User.class, doc);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code User}); nothing else of the document. */
  public JsonObject toApi() {
    return RecordCodec.toApi(view());
  }

  View view() {
    return new View(id, email, name, role, active, createdAt, updatedAt);
  }

  /** The contract's {@code User}: never the password hash or the token version. */
  record View(String id, String email, String name, Role role, boolean active, Instant createdAt, Instant updatedAt) {
  }

  /** The user after {@code change}; a new role or activity moves the token version on, which ends its sessions. */
  User changedBy(ChangeUser change) {
    String newName = change.name() == null ? name : change.name();
    Role newRole = change.role() == null ? role : change.role();
    boolean nowActive = change.active() == null ? active : change.active();
    long version = newRole != role || nowActive != active ? tokenVersion + 1 : tokenVersion;
    return new User(id, tenantId, email, newName, newRole, nowActive, version, passwordHash, createdAt, updatedAt);
  }

  boolean isActiveOwner() {
    return active && role == Role.OWNER;
  }

  /** Whether becoming {@code after} leaves the tenant one active OWNER fewer (it must keep one). */
  boolean removesAnActiveOwner(User after) {
    return isActiveOwner() && !after.isActiveOwner();
  }

  /** Whether a session check confirmed for this user no longer holds for {@code after} (see {@link SessionCache}). */
  boolean sessionDiffers(User after) {
    return tokenVersion != after.tokenVersion || role != after.role || active != after.active;
  }

  /** Whether an access token issued with this role and token version still speaks for the user. */
  boolean holdsSession(Role sessionRole, long sessionTokenVersion) {
    return active && role == sessionRole && tokenVersion == sessionTokenVersion;
  }

  /** Whether a refresh-token family begun at {@code familyTokenVersion} may go on. */
  boolean continuesFamily(long familyTokenVersion) {
    return active && tokenVersion == familyTokenVersion;
  }

  /** The user as the caller of what it does before it has a session (the first OWNER at sign-up). */
  Caller asCaller() {
    return new Caller(tenantId, id, role);
  }

  @Override
  public String toString() {
    return "User[id=" + id + ", tenantId=" + tenantId + ", role=" + role + ", active=" + active + "]";
  }
}
