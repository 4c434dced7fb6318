package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.TestStack;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A second Stockroom configured for ES256 from PEM files, as production runs. */
class Es256StackTest {
  private static Vertx vertx;
  private static WebClient client;
  private static String publicPem;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path dir = Files.createTempDirectory("stockroom-keys");
    Path privateKey = Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    Path publicKey = Files.writeString(dir.resolve("public.pem"), publicPem);

    vertx = Vertx.vertx();
    int port = TestStack.freePort();
    JsonObject config = TestStack.overrides(port).put("jwt.algorithm", "ES256").put("jwt.hmacSecret", "")
      .put("jwt.privateKeyPath", privateKey.toString()).put("jwt.publicKeyPath", publicKey.toString());
    vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config)).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  @Test
  @DisplayName("ES256 tokens are issued and accepted; an HS256 token keyed with the public key is refused")
  void es256AndNoAlgorithmConfusion() {
    Res signup = Res.of(client.post("/api/v1/auth/signup").sendJson(new JsonObject().put("tenantName", "EC Co").put("name", "E")
      .put("email", Api.uniqueEmail("ec")).put("password", Api.PASSWORD)).await());
    assertEquals(201, signup.status(), signup::toString);
    String token = signup.json().getString("accessToken");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
    assertEquals("ES256", header.getString("alg"));
    assertEquals(200, Res.of(client.get("/api/v1/me").bearerTokenAuthentication(token).send().await()).status());

    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    JWTAuth confused = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(publicPem)));
    String forged = confused.generateToken(claims.copy().put("role", "OWNER"),
      new io.vertx.ext.auth.JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    assertEquals(401, Res.of(client.get("/api/v1/me").bearerTokenAuthentication(forged).send().await()).status());
  }

  @Test
  @DisplayName("GET /.well-known/jwks.json publishes the public key under the tokens' kid; a client verifies with it alone")
  void jwks() {
    Res signup = Res.of(client.post("/api/v1/auth/signup").sendJson(new JsonObject().put("tenantName", "JWKS Co").put("name", "J")
      .put("email", Api.uniqueEmail("jwks")).put("password", Api.PASSWORD)).await());
    String token = signup.json().getString("accessToken");
    Res jwks = Res.of(client.get("/.well-known/jwks.json").send().await());
    assertEquals(200, jwks.status(), jwks::toString);
    io.vertx.core.json.JsonArray keys = jwks.json().getJsonArray("keys");
    assertEquals(1, keys.size());
    JsonObject key = keys.getJsonObject(0);
    assertEquals("k1", key.getString("kid"));
    assertEquals("EC", key.getString("kty"));
    assertEquals("P-256", key.getString("crv"));
    assertEquals(java.util.Set.of("kid", "alg", "use", "kty", "crv", "x", "y"), key.fieldNames(), "no private part");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
    assertEquals("k1", header.getString("kid"));

    JWTAuth fromJwks = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(key));
    io.vertx.ext.auth.User user = fromJwks.authenticate(new io.vertx.ext.auth.authentication.TokenCredentials(token)).await();
    assertEquals(signup.json().getJsonObject("user").getString("id"), user.principal().getString("sub"));
  }
}
