package io.stockroom.auth;

import io.stockroom.auth.AuthCommands.LogIn;
import io.stockroom.auth.AuthCommands.SignUp;
import io.stockroom.auth.UserCommands.ChangeUser;
import io.stockroom.auth.UserCommands.CreateUser;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.security.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserTest {
  private static final String HASH = "$2b$06$secretsecretsecretsecretsecretsecretsecretsecretsecret";
  private static final NewAccount ANN = new NewAccount("  Ann@Example.TEST ", " Ann ", "correct horse");

  private static User user(Role role) {
    return User.create("tenant-1", ANN, role, HASH);
  }

  @Test
  @DisplayName("a user reads back from its document as it was written, email normalised and name trimmed")
  void documentRoundTrip() {
    User created = user(Role.MANAGER);
    assertEquals(created, User.fromDocument(created.toDocument()));
    assertEquals("ann@example.test", created.email());
    assertEquals("Ann", created.name());
    assertTrue(created.active());
    assertEquals(0, created.tokenVersion());
  }

  @Test
  @DisplayName("clients see the contract's User fields only: never the password hash, the token version or a later secret")
  void apiViewIsAnAllowList() {
    JsonObject stored = user(Role.STAFF).toDocument().put("tokenVersion", 4L).put("updatedAt", new JsonObject()
      .put("$date", "2024-05-01T10:00:00Z")).put("mfaSecret", "s3cr3t").put("version", 2);
    JsonObject api = User.fromDocument(stored).toApi();
    assertEquals(Set.of("id", "email", "name", "role", "active", "createdAt", "updatedAt"), api.fieldNames());
    assertEquals(stored.getString("_id"), api.getString("id"));
    assertEquals("STAFF", api.getString("role"));
    assertEquals("2024-05-01T10:00:00.000Z", api.getString("updatedAt"));
    assertFalse(api.encode().contains(HASH));
  }

  @Test
  @DisplayName("a tenant's API view lists the contract's Tenant fields only")
  void tenantApiViewIsAnAllowList() {
    Tenant tenant = Tenant.create("Acme", "EUR", "Europe/Berlin");
    assertEquals(tenant, Tenant.fromDocument(tenant.toDocument()));
    assertEquals(Set.of("id", "name", "currency", "timezone", "createdAt"),
      Tenant.fromDocument(tenant.toDocument().put("billingSecret", "x")).toApi().fieldNames());
  }

  @Test
  @DisplayName("a new role or a change of activity moves the token version on; a rename does not")
  void roleAndActivityEndSessions() {
    User staff = user(Role.STAFF);
    assertEquals(1, staff.changedBy(change(null, Role.MANAGER, null)).tokenVersion());
    assertEquals(1, staff.changedBy(change(null, null, false)).tokenVersion());
    User renamed = staff.changedBy(change(" Annie ", Role.STAFF, true));
    assertEquals(0, renamed.tokenVersion());
    assertEquals("Annie", renamed.name());
    assertFalse(staff.sessionDiffers(renamed));
  }

  @Test
  @DisplayName("demoting or deactivating an active OWNER removes one; other changes do not")
  void removingAnActiveOwner() {
    User owner = user(Role.OWNER);
    assertTrue(owner.removesAnActiveOwner(owner.changedBy(change(null, Role.MANAGER, null))));
    assertTrue(owner.removesAnActiveOwner(owner.changedBy(change(null, null, false))));
    assertFalse(owner.removesAnActiveOwner(owner.changedBy(change("Boss", null, null))));
    User inactiveOwner = owner.changedBy(change(null, null, false));
    assertFalse(inactiveOwner.removesAnActiveOwner(inactiveOwner.changedBy(change(null, Role.STAFF, null))));
    assertFalse(user(Role.STAFF).removesAnActiveOwner(user(Role.STAFF).changedBy(change(null, null, false))));
  }

  @Test
  @DisplayName("a session holds while the user is active with the token's role and version; a refresh family likewise")
  void sessionsHoldWhileCurrent() {
    User manager = user(Role.MANAGER);
    assertTrue(manager.holdsSession(Role.MANAGER, 0));
    assertFalse(manager.holdsSession(Role.OWNER, 0));
    assertFalse(manager.holdsSession(Role.MANAGER, 1));
    User deactivated = manager.changedBy(change(null, null, false));
    assertFalse(deactivated.holdsSession(Role.MANAGER, deactivated.tokenVersion()));
    assertTrue(manager.continuesFamily(0));
    assertFalse(deactivated.continuesFamily(deactivated.tokenVersion()));
  }

  @Test
  @DisplayName("bad input is a 400 however it is asked for: no change named, an unknown role or currency or time zone")
  void badInputIsRefused() {
    assertBadInput(() -> change(null, null, null));
    assertBadInput(() -> CreateUser.from(request(new JsonObject().put("email", "a@b.test").put("name", "A").put("password", "p")
      .put("role", "ADMIN"))));
    assertBadInput(() -> ChangeUser.from(request(new JsonObject().put("role", "ROOT"))));
    assertBadInput(() -> SignUp.from(request(signup().put("currency", "QQQ"))));
    assertBadInput(() -> SignUp.from(request(signup().put("timezone", "Mars/Olympus"))));
  }

  @Test
  @DisplayName("a sign-up takes EUR and UTC unless told otherwise, and the deactivation endpoint changes activity only")
  void defaults() {
    SignUp signUp = SignUp.from(request(signup()));
    assertEquals("EUR", signUp.currency());
    assertEquals("UTC", signUp.timezone());
    assertEquals("Acme", signUp.tenantName());
    ChangeUser deactivation = ChangeUser.deactivation(BusRequest.of(null, new JsonObject().put("userId", "u1"), null, null, null));
    assertEquals(new ChangeUser(deactivation.by(), "u1", null, null, false), deactivation);
  }

  @Test
  @DisplayName("commands and users never print a password, a hash or a refresh token")
  void secretsStayOutOfText() {
    String printed = String.join(" ", user(Role.OWNER).toString(), ANN.toString(), SignUp.from(request(signup())).toString(),
      LogIn.from(request(new JsonObject().put("email", "a@b.test").put("password", "correct horse"))).toString(),
      AuthCommands.Refresh.from(request(new JsonObject().put("refreshToken", "rt_abc"))).toString());
    assertFalse(printed.contains(HASH) || printed.contains("correct horse") || printed.contains("rt_abc"), printed);
  }

  private static ChangeUser change(String name, Role role, Boolean active) {
    return new ChangeUser(null, "u1", name, role, active);
  }

  private static BusRequest request(JsonObject body) {
    return BusRequest.of(null, null, null, body, null);
  }

  private static JsonObject signup() {
    return new JsonObject().put("tenantName", " Acme ").put("name", "Ann").put("email", "ann@acme.test")
      .put("password", "correct horse");
  }

  private static void assertBadInput(Executable parse) {
    assertEquals(400, assertThrows(ServiceError.class, parse).code().status());
  }
}
