package io.stockroom.auth;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JWT key ring, from configuration: one pinned algorithm, required issuer and audience, one signing key named
 * {@code jwt.keyId} and any number of other keys that still verify ({@code jwt.verifyKeys}), so keys rotate without
 * downtime: a token names its key in its {@code kid} header and verifies while that key is on the ring. With no key
 * material the service refuses to start (an unkeyed provider would accept unsigned tokens).
 */
public final class JwtKeys {
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  /**
   * {@code verifier} knows every key on the ring and fails with {@link InvalidToken}, telling an expired token apart
   * ({@link AccessTokenVerifier}); {@code signer} only the signing key (Vert.x picks any key of the
   * algorithm when signing); {@code jwks} publishes the public keys (empty for HS256, whose secrets stay secret).
   */
  public record KeyRing(JWTAuth verifier, JWTAuth signer, String signingKeyId, JsonObject jwks) {
  }

  private record KeyMaterial(String kid, String value) {
  }

  private JwtKeys() {
  }

  /** A random HS256 secret for embedded (trial) mode only; it lives in memory and dies with the process. */
  public static String generateDevSecret() {
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Checks that key material for the configured algorithm is present and well formed, without reading files. */
  public static void requireKeys(Settings settings) {
    String algorithm = settings.string(ConfigKey.JWT_ALGORITHM);
    if (settings.string(ConfigKey.JWT_KEY_ID).isBlank()) {
      throw new ConfigException(ConfigKey.JWT_KEY_ID.key() + " (env " + ConfigKey.JWT_KEY_ID.envName() + ") must name the signing key");
    }
    if (algorithm.equals("HS256")) {
      requireSecret(ConfigKey.JWT_HMAC_SECRET.key(), settings.string(ConfigKey.JWT_HMAC_SECRET));
    } else {
      for (ConfigKey key : List.of(ConfigKey.JWT_PRIVATE_KEY_PATH, ConfigKey.JWT_PUBLIC_KEY_PATH)) {
        if (settings.isBlank(key)) {
          throw new ConfigException(key.key() + " (env " + key.envName() + ") must name a PEM file for " + algorithm);
        }
      }
    }
    for (KeyMaterial key : verifyKeys(settings)) {
      if (key.kid().equals(settings.string(ConfigKey.JWT_KEY_ID))) {
        throw new ConfigException(ConfigKey.JWT_VERIFY_KEYS.key() + " repeats the signing key id " + key.kid());
      }
      if (algorithm.equals("HS256")) requireSecret(ConfigKey.JWT_VERIFY_KEYS.key() + " key " + key.kid(), key.value());
    }
  }

  private static void requireSecret(String what, String secret) {
    if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
      throw new ConfigException(what + " must be set to at least " + MIN_HMAC_SECRET_BYTES + " bytes for HS256 outside embedded "
        + "mode (env " + ConfigKey.JWT_HMAC_SECRET.envName() + ")");
    }
  }

  /** Reads the ring: the signing key, then every verification key (PEM files for ES256/RS256). */
  public static Future<KeyRing> load(Vertx vertx, Settings settings) {
    requireKeys(settings);
    String algorithm = settings.string(ConfigKey.JWT_ALGORITHM);
    String signingKid = settings.string(ConfigKey.JWT_KEY_ID);
    // expiry is checked by AccessTokenVerifier, which tells it apart; every other check stays the provider's
    JWTAuthOptions verifyOptions = new JWTAuthOptions().setJWTOptions(verifyOptions(settings).setIgnoreExpiration(true));
    JWTAuthOptions signOptions = new JWTAuthOptions().setJWTOptions(verifyOptions(settings));
    if (algorithm.equals("HS256")) {
      PubSecKeyOptions signing = hmac(signingKid, settings.string(ConfigKey.JWT_HMAC_SECRET));
      verifyOptions.addPubSecKey(signing);
      signOptions.addPubSecKey(signing);
      verifyKeys(settings).forEach(key -> verifyOptions.addPubSecKey(hmac(key.kid(), key.value())));
      return Future.succeededFuture(new KeyRing(verifier(vertx, verifyOptions, settings), JWTAuth.create(vertx, signOptions), signingKid,
        new Jwks(List.of()).toApi()));
    }
    Map<String, String> publicPaths = new LinkedHashMap<>();
    publicPaths.put(signingKid, settings.string(ConfigKey.JWT_PUBLIC_KEY_PATH));
    verifyKeys(settings).forEach(key -> publicPaths.put(key.kid(), key.value()));
    List<Future<String>> reads = new ArrayList<>();
    reads.add(readPem(vertx, ConfigKey.JWT_PRIVATE_KEY_PATH.key(), settings.string(ConfigKey.JWT_PRIVATE_KEY_PATH)));
    publicPaths.forEach((kid, path) -> reads.add(readPem(vertx, ConfigKey.JWT_VERIFY_KEYS.key() + " key " + kid, path)));
    return Future.all(reads).map(pems -> {
      List<JsonObject> jwks = new ArrayList<>();
      int index = 1;
      for (String kid : publicPaths.keySet()) {
        String pem = pems.resultAt(index++);
        PubSecKeyOptions publicKey = new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem).setId(kid);
        verifyOptions.addPubSecKey(publicKey);
        if (kid.equals(signingKid)) signOptions.addPubSecKey(publicKey);
        jwks.add(jwk(kid, algorithm, pem));
      }
      signOptions.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pems.<String>resultAt(0)).setId(signingKid));
      return new KeyRing(verifier(vertx, verifyOptions, settings), JWTAuth.create(vertx, signOptions), signingKid,
        new Jwks(jwks).toApi());
    });
  }

  private static JWTAuth verifier(Vertx vertx, JWTAuthOptions keysIgnoringExpiry, Settings settings) {
    return new AccessTokenVerifier(JWTAuth.create(vertx, keysIgnoringExpiry), verifyOptions(settings));
  }

  /** What every presented token must satisfy besides its signature. */
  public static JWTOptions verifyOptions(Settings settings) {
    return new JWTOptions()
      .setIssuer(settings.string(ConfigKey.JWT_ISSUER))
      .setAudience(List.of(settings.string(ConfigKey.JWT_AUDIENCE)))
      .setLeeway(5);
  }

  /** How tokens are issued. */
  public static JWTOptions signOptions(Settings settings) {
    return new JWTOptions()
      .setAlgorithm(settings.string(ConfigKey.JWT_ALGORITHM))
      .setIssuer(settings.string(ConfigKey.JWT_ISSUER))
      .setAudience(List.of(settings.string(ConfigKey.JWT_AUDIENCE)))
      .setExpiresInSeconds(settings.integer(ConfigKey.JWT_TTL_SECONDS));
  }

  /** {@code jwt.verifyKeys}: comma-separated {@code kid=value}; the value may itself contain '=' (base64 padding). */
  private static List<KeyMaterial> verifyKeys(Settings settings) {
    List<KeyMaterial> keys = new ArrayList<>();
    for (String entry : settings.string(ConfigKey.JWT_VERIFY_KEYS).split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) continue;
      int split = trimmed.indexOf('=');
      if (split < 1 || split == trimmed.length() - 1) {
        throw new ConfigException(ConfigKey.JWT_VERIFY_KEYS.key() + " (env " + ConfigKey.JWT_VERIFY_KEYS.envName()
          + "): each entry must be kid=value");
      }
      keys.add(new KeyMaterial(trimmed.substring(0, split).trim(), trimmed.substring(split + 1).trim()));
    }
    return keys;
  }

  private static PubSecKeyOptions hmac(String kid, String secret) {
    return new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret).setId(kid);
  }

  private static Future<String> readPem(Vertx vertx, String what, String path) {
    return vertx.fileSystem().readFile(path)
      .map(Buffer::toString)
      .recover(err -> Future.failedFuture(new ConfigException("Cannot read " + what + " file " + path + ": " + err.getMessage())));
  }

  /** The RFC 7517 form of a public key, as published at {@code /.well-known/jwks.json}. */
  static JsonObject jwk(String kid, String algorithm, String pem) {
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    try {
      if (algorithm.equals("ES256")) {
        ECPublicKey key = (ECPublicKey) publicKey("EC", der);
        return RecordCodec.toApi(new Jwk(kid, algorithm, Jwk.USE_SIGNATURE, "EC", "P-256",
          base64Url(unsigned(key.getW().getAffineX(), 32)), base64Url(unsigned(key.getW().getAffineY(), 32)), null, null));
      }
      RSAPublicKey key = (RSAPublicKey) publicKey("RSA", der);
      return RecordCodec.toApi(new Jwk(kid, algorithm, Jwk.USE_SIGNATURE, "RSA", null, null, null,
        base64Url(unsigned(key.getModulus(), 0)), base64Url(unsigned(key.getPublicExponent(), 0))));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new ConfigException("The public key " + kid + " is not an SPKI PEM " + algorithm + " key");
    }
  }

  /**
   * A public key as RFC 7517 names its parts: {@code crv}, {@code x}, {@code y} of an EC key, {@code n}, {@code e} of an
   * RSA key (the others are left out).
   */
  private record Jwk(String kid, String alg, String use, String kty, String crv, String x, String y, String n, String e) {
    static final String USE_SIGNATURE = "sig";
  }

  /** The published key set ({@code {keys: [...]}}); empty for HS256, whose secrets stay secret. */
  private record Jwks(List<JsonObject> keys) {
    JsonObject toApi() {
      return RecordCodec.toApi(this);
    }
  }

  private static PublicKey publicKey(String type, byte[] der) throws GeneralSecurityException {
    return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
  }

  /** Big-endian bytes without a sign byte, left-padded to {@code length} when given. */
  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      return padded;
    }
    return bytes;
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
