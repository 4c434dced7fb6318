package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.support.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every 401 carries an RFC 6750 challenge, and an expired token is told apart from a refused one. */
class BearerChallengeTest {
  private static final String NO_TOKEN = "Bearer realm=\"stockroom\"";
  private static final String REFUSED = "Bearer realm=\"stockroom\", error=\"invalid_token\", error_description=\"%s\"";
  private static final String UNAUTHORIZED = "urn:stockroom:problem:unauthorized";
  private static final String TOKEN_EXPIRED = "urn:stockroom:problem:token-expired";
  /** RFC 6750 §3: the scheme, then auth-params whose error_description holds %x20-21 / %x23-5B / %x5D-7E only. */
  private static final Pattern CHALLENGE = Pattern.compile(
    "Bearer realm=\"stockroom\"(, error=\"invalid_token\", error_description=\"[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]+\")?");

  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;
  private final Tokens tokens = new Tokens(stack.vertx);

  /** A 401 answer's problem type, after checking its challenge is exactly {@code challenge}. */
  private String refusal(String authorization, String challenge) {
    HttpRequest<Buffer> request = stack.client.get("/api/v1/me");
    if (authorization != null) request.putHeader("Authorization", authorization);
    HttpResponse<Buffer> response = request.send().await();
    Res res = Res.of(response);
    JsonObject problem = assertProblem(res, 401);
    String header = response.getHeader("WWW-Authenticate");
    assertEquals(challenge, header, res::toString);
    assertTrue(CHALLENGE.matcher(header).matches(), header);
    assertEquals(1, response.headers().getAll("WWW-Authenticate").size(), "one challenge");
    return problem.getString("type");
  }

  private String refusal(String authorization, String challenge, String type) {
    String actual = refusal(authorization, challenge);
    assertEquals(type, actual, authorization);
    return actual;
  }

  @Test
  @DisplayName("an expired token gets token-expired with error_description \"The access token expired\"; a refresh then works")
  void expiredTokenThenRefresh() {
    Session owner = api.signup("Expired Co");
    Res login = api.post("/api/v1/auth/login", null, new JsonObject().put("email", owner.email()).put("password", owner.password()));
    assertEquals(200, login.status(), login::toString);
    String expired = tokens.expired(Tokens.claims(owner, "OWNER"));

    refusal("Bearer " + expired, REFUSED.formatted("The access token expired"), TOKEN_EXPIRED);

    Res refreshed = api.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", login.json().getString("refreshToken")));
    assertEquals(200, refreshed.status(), refreshed::toString);
    Res me = api.get("/api/v1/me", refreshed.json().getString("accessToken"));
    assertEquals(200, me.status(), me::toString);
    assertEquals(owner.tenantId(), me.json().getJsonObject("tenant").getString("id"));
  }

  @Test
  @DisplayName("forged, tampered, not-yet-valid, wrong-audience, claim-less and garbage tokens get invalid_token and the unauthorized type")
  void refusedTokens() {
    Session owner = api.signup("Forged Co");
    JsonObject claims = Tokens.claims(owner, "OWNER");
    String notValid = REFUSED.formatted("The access token is not valid");
    long now = System.currentTimeMillis() / 1000;

    refusal("Bearer " + tokens.wrongKey(claims), notValid, UNAUTHORIZED);
    refusal("Bearer " + Tokens.unsigned(claims), notValid, UNAUTHORIZED);
    refusal("Bearer " + tokens.signed(claims, Tokens.defaults().setAudience(java.util.List.of("other")).setExpiresInSeconds(300)),
      notValid, UNAUTHORIZED);
    refusal("Bearer " + tokens.valid(claims.copy().put("nbf", now + 600)), notValid, UNAUTHORIZED);
    refusal("Bearer aaaa.bbbb.cccc", notValid, UNAUTHORIZED);
    // expiry is decided only for a token whose signature verified: an expired token with a broken signature is forged
    String expired = tokens.expired(claims);
    refusal("Bearer " + expired.substring(0, expired.length() - 4) + "AAAA", notValid, UNAUTHORIZED);
    refusal("Bearer " + tokens.valid(claims.copy().put("role", "SUPERUSER")),
      REFUSED.formatted("The token lacks required claims"), UNAUTHORIZED);
    refusal("Bearer not-a-jwt", REFUSED.formatted("Send one Authorization header: Bearer <token>, the token being a JWT"), UNAUTHORIZED);
  }

  @Test
  @DisplayName("no token, or another scheme, gets the bare challenge without an error attribute")
  void noToken() {
    refusal(null, NO_TOKEN, UNAUTHORIZED);
    refusal("Basic dXNlcjpwYXNzd29yZA==", NO_TOKEN, UNAUTHORIZED);
  }

  @Test
  @DisplayName("a revoked session: a deactivated user's token gets invalid_token; a logged-out refresh token gets 401 with the bare challenge")
  void revokedSessions() {
    Session owner = api.signup("Revoked Co");
    Session staff = api.addUser(owner, "STAFF");
    assertEquals(200, api.get("/api/v1/me", staff.token()).status());
    assertEquals(204, api.delete("/api/v1/users/" + staff.userId(), owner.token()).status());
    refusal("Bearer " + staff.token(), REFUSED.formatted("This session is no longer valid; log in again"), UNAUTHORIZED);

    Res login = api.post("/api/v1/auth/login", null, new JsonObject().put("email", owner.email()).put("password", owner.password()));
    String refreshToken = login.json().getString("refreshToken");
    assertEquals(204, api.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", refreshToken)).status());
    HttpResponse<Buffer> refused = stack.client.post("/api/v1/auth/refresh")
      .sendJsonObject(new JsonObject().put("refreshToken", refreshToken)).await();
    JsonObject problem = assertProblem(Res.of(refused), 401);
    assertEquals(UNAUTHORIZED, problem.getString("type"));
    assertEquals(NO_TOKEN, refused.getHeader("WWW-Authenticate"), "credentials in a body are not a bearer token");
  }

  @Test
  @DisplayName("a valid token is answered without a challenge")
  void validToken() {
    Session owner = api.signup("Valid Co");
    HttpResponse<Buffer> response = stack.client.get("/api/v1/me").putHeader("Authorization", "Bearer " + owner.token()).send().await();
    assertEquals(200, response.statusCode(), response::bodyAsString);
    assertEquals(null, response.getHeader("WWW-Authenticate"));
  }
}
