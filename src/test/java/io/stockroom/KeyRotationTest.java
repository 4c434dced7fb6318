package io.stockroom;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rotating the signing key across instances that share one database and one Redis, as the steps of docs/security.md do it: every
 * instance first learns the new key as a verification key, then instances switch to signing with it one by one (here
 * both kinds serve at once, under load), and the old key is dropped only after its tokens expired.
 */
class KeyRotationTest {
  // Also: sessions revoked through one instance are revoked on the others (the revocation lives in MongoDB).
  private static final String NEW_SECRET = "rotation-test-only-new-secret-0123456789abcdef";
  private static final List<Vertx> INSTANCES = new ArrayList<>();

  @AfterAll
  static void stop() {
    INSTANCES.forEach(vertx -> vertx.close().await());
  }

  /** Another instance on the shared stores, with its own JWT settings; answers a client to it. */
  private static Api instance(JsonObject jwt) {
    TestStack shared = TestStack.get();
    Vertx vertx = Vertx.vertx();
    INSTANCES.add(vertx);
    int port = TestStack.freePort();
    JsonObject config = TestStack.overrides(port)
      .put("http.instances", 1)
      .put("mongo.uri", shared.settings.string(ConfigKey.MONGO_URI))
      .put("mongo.database", shared.settings.string(ConfigKey.MONGO_DATABASE))
      .put("redis.uri", shared.settings.string(ConfigKey.REDIS_URI));
    jwt.forEach(e -> config.put(e.getKey(), e.getValue()));
    vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config)).await();
    return new Api(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
      new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32)));
  }

  private static String kid(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
  }

  private static String login(Api api, Session user) {
    Res res = api.post("/api/v1/auth/login", null, new JsonObject().put("email", user.email()).put("password", Api.PASSWORD));
    assertEquals(200, res.status(), res::toString);
    return res.json().getString("accessToken");
  }

  @Test
  @DisplayName("no request fails while the signing key changes; an old token verifies until it expires, then 401")
  void rotationUnderLoad() throws Exception {
    Api old = TestStack.get().api;
    Session owner = old.signup("Rotation Co");
    String product = old.createProduct(owner, "Keyed");

    Api learned = instance(new JsonObject().put("jwt.keyId", "k1").put("jwt.verifyKeys", "k2=" + NEW_SECRET));
    Api switched = instance(new JsonObject().put("jwt.keyId", "k2").put("jwt.hmacSecret", NEW_SECRET)
      .put("jwt.verifyKeys", "k1=" + TestStack.TEST_JWT_SECRET).put("jwt.ttlSeconds", 2));
    String oldToken = login(learned, owner);
    String newToken = login(switched, owner);
    assertEquals("k1", kid(oldToken));
    assertEquals("k2", kid(newToken));

    List<Future<HttpResponse<Buffer>>> load = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Api target = i % 2 == 0 ? learned : switched;
      String token = i % 3 == 0 ? newToken : i % 3 == 1 ? oldToken : login(i % 2 == 0 ? switched : learned, owner);
      load.add(target.client().get("/api/v1/products/" + product).putHeader("Authorization", "Bearer " + token).send());
    }
    Future.join(new ArrayList<>(load)).await();
    Map<Integer, Integer> statuses = new TreeMap<>();
    load.forEach(answer -> statuses.merge(answer.result().statusCode(), 1, Integer::sum));
    assertEquals(Map.of(200, 300), statuses, "every request succeeded during the rotation");
    assertEquals(200, old.get("/api/v1/products/" + product, oldToken).status(), "a k1 token works on an instance not yet rotated");

    Api retired = instance(new JsonObject().put("jwt.keyId", "k2").put("jwt.hmacSecret", NEW_SECRET));
    assertEquals(401, retired.get("/api/v1/me", oldToken).status(), "k1 is gone from the ring");
    assertEquals(200, retired.get("/api/v1/me", newToken).status());

    String shortLived = login(switched, owner);
    assertEquals(200, learned.get("/api/v1/me", shortLived).status());
    Thread.sleep(2_000 + 5_000 + 1_000);
    assertEquals(401, learned.get("/api/v1/me", shortLived).status(), "expired (2 s lifetime + 5 s leeway)");
  }

  @Test
  @DisplayName("refresh reuse, logout and deactivation revoke sessions on every instance")
  void revocationAcrossInstances() {
    Api first = TestStack.get().api;
    Api second = instance(new JsonObject());
    Session owner = first.signup("Revocation Co");
    Session staff = first.addUser(owner, "STAFF");

    String issued = refreshTokenOf(first, owner);
    Res rotated = second.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", issued));
    assertEquals(200, rotated.status(), rotated::toString);
    assertEquals(401, first.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", issued)).status(), "reuse on another instance");
    assertEquals(401, second.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", rotated.json().getString("refreshToken")))
      .status(), "the family is revoked everywhere");

    String loggedOut = refreshTokenOf(second, owner);
    assertEquals(204, second.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", loggedOut)).status());
    assertEquals(401, first.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", loggedOut)).status());

    String staffRefresh = refreshTokenOf(second, staff);
    String staffAccess = login(second, staff);
    assertEquals(204, first.delete("/api/v1/users/" + staff.userId(), owner.token()).status());
    assertEquals(401, second.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", staffRefresh)).status());
    assertEquals(401, second.get("/api/v1/me", staffAccess).status(), "the access token stops at once too");
  }

  private static String refreshTokenOf(Api api, Session user) {
    Res res = api.post("/api/v1/auth/login", null, new JsonObject().put("email", user.email()).put("password", Api.PASSWORD));
    assertEquals(200, res.status(), res::toString);
    return res.json().getString("refreshToken");
  }
}
