package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** One email with accounts in several tenants: sign-up works, and login asks which tenant, listing only those the password opens. */
class LoginTenantChoiceTest {
  private static final String OTHER_PASSWORD = "a different password 7";

  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private String signup(String tenantName, String email, String password) {
    Res res = api.post("/api/v1/auth/signup", null, new JsonObject().put("tenantName", tenantName).put("name", "Owner")
      .put("email", email).put("password", password));
    assertEquals(201, res.status(), () -> "a second tenant for the same email: " + res);
    return res.json().getJsonObject("tenant").getString("id");
  }

  private Res login(String email, String password, String tenantId) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (tenantId != null) body.put("tenantId", tenantId);
    return api.post("/api/v1/auth/login", null, body);
  }

  @Test
  @DisplayName("two tenants with the same email and password: 409 tenant-choice-required listing both by name; a tenantId logs into that one")
  void chooseATenant() {
    String email = Api.uniqueEmail("several");
    String zeta = signup("Zeta Choice", email, Api.PASSWORD);
    String alpha = signup("alpha Choice", email, Api.PASSWORD);
    String third = signup("Mid Choice", email, OTHER_PASSWORD);

    JsonObject choice = assertProblem(login(email, Api.PASSWORD, null), 409);
    assertEquals("urn:stockroom:problem:tenant-choice-required", choice.getString("type"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("tenantId", alpha).put("name", "alpha Choice"))
        .add(new JsonObject().put("tenantId", zeta).put("name", "Zeta Choice")),
      choice.getJsonArray("tenants"), "only the tenants this password opens, by name; not the third");

    for (String tenantId : new String[] {alpha, zeta}) {
      Res chosen = login(email.toUpperCase(), Api.PASSWORD, tenantId);
      assertEquals(200, chosen.status(), chosen::toString);
      Res me = api.get("/api/v1/me", chosen.json().getString("accessToken"));
      assertEquals(tenantId, me.json().getJsonObject("tenant").getString("id"), me::toString);
      assertEquals(email, me.json().getJsonObject("user").getString("email"));
    }
    Res single = login(email, OTHER_PASSWORD, null);
    assertEquals(200, single.status(), "the other password opens one account: " + single);
    assertEquals(third, api.get("/api/v1/me", single.json().getString("accessToken")).json().getJsonObject("tenant").getString("id"));
  }

  @Test
  @DisplayName("a wrong password, or a tenantId the password does not open, gets the same 401 as bad credentials, without a tenant list")
  void noMembershipRevealed() {
    String email = Api.uniqueEmail("reveal");
    signup("Reveal One", email, Api.PASSWORD);
    signup("Reveal Two", email, Api.PASSWORD);
    String other = signup("Reveal Other", email, OTHER_PASSWORD);
    String stranger = api.signup("Reveal Stranger").tenantId();

    JsonObject wrong = assertProblem(login(email, "wrong password 123", null), 401);
    assertFalse(wrong.containsKey("tenants"), wrong::encode);
    assertEquals("urn:stockroom:problem:unauthorized", wrong.getString("type"));
    assertEquals(wrong, assertProblem(login(email, Api.PASSWORD, other), 401), "a tenant where this password opens nothing");
    assertEquals(wrong, assertProblem(login(email, Api.PASSWORD, stranger), 401), "a tenant without this email");
  }

  @Test
  @DisplayName("asking for a tenant choice is not a failed login: the account is not delayed or locked by it, while wrong passwords still lock it")
  void throttleCountsOnlyFailures() {
    String email = Api.uniqueEmail("throttle-choice");
    String one = signup("Throttle One", email, Api.PASSWORD);
    signup("Throttle Two", email, Api.PASSWORD);
    int lockout = stack.settings.integer(io.stockroom.platform.config.ConfigKey.AUTH_LOCKOUT_FAILURES);
    for (int i = 0; i <= lockout; i++) assertProblem(login(email, Api.PASSWORD, null), 409);
    assertEquals(200, login(email, Api.PASSWORD, one).status(), "the choices counted as no failure");

    for (int i = 0; i < lockout; i++) assertProblem(login(email, "wrong password 123", null), 401);
    assertProblem(login(email, Api.PASSWORD, one), 429);
  }
}
