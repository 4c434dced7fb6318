package io.stockroom.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JwtKeysTest {

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  @Test
  @DisplayName("an RS256 public key is published as an RSA JWK that verifies the tokens of its private key")
  void rsaJwk() {
    Vertx vertx = Vertx.vertx();
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      JsonObject jwk = JwtKeys.jwk("r1", "RS256", pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      assertEquals(Set.of("kid", "alg", "use", "kty", "n", "e"), jwk.fieldNames());
      assertEquals("RSA", jwk.getString("kty"));
      assertEquals("AQAB", jwk.getString("e"));
      assertEquals(256, Base64.getUrlDecoder().decode(jwk.getString("n")).length, "2048-bit modulus without a sign byte");

      JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256")
        .setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded())).setId("r1")));
      String token = signer.generateToken(new JsonObject().put("sub", "someone"), new JWTOptions().setAlgorithm("RS256"));
      User user = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(jwk)).authenticate(new TokenCredentials(token)).await();
      assertEquals("someone", user.principal().getString("sub"));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    } finally {
      vertx.close().await();
    }
  }
}
