package io.stockroom.auth;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Builds the JWT provider from configuration: one pinned algorithm, required issuer and audience. With no key
 * material the service refuses to start (an unkeyed provider would accept unsigned tokens).
 */
public final class JwtKeys {
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  private JwtKeys() {
  }

  /** A random HS256 secret for embedded (trial) mode only; it lives in memory and dies with the process. */
  public static String generateDevSecret() {
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Checks that key material for the configured algorithm is present, without reading files. */
  public static void requireKeys(Settings settings) {
    String algorithm = settings.string(ConfigKey.JWT_ALGORITHM);
    if (algorithm.equals("HS256")) {
      if (settings.string(ConfigKey.JWT_HMAC_SECRET).getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
        throw new ConfigException(ConfigKey.JWT_HMAC_SECRET.key() + " (env " + ConfigKey.JWT_HMAC_SECRET.envName()
          + ") must be set to at least " + MIN_HMAC_SECRET_BYTES + " bytes for HS256 outside embedded mode");
      }
    } else {
      for (ConfigKey key : List.of(ConfigKey.JWT_PRIVATE_KEY_PATH, ConfigKey.JWT_PUBLIC_KEY_PATH)) {
        if (settings.isBlank(key)) {
          throw new ConfigException(key.key() + " (env " + key.envName() + ") must name a PEM file for " + algorithm);
        }
      }
    }
  }

  /** The provider used to verify (and, where the private key is available, sign) tokens. */
  public static Future<JWTAuth> provider(Vertx vertx, Settings settings) {
    requireKeys(settings);
    String algorithm = settings.string(ConfigKey.JWT_ALGORITHM);
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(verifyOptions(settings));
    if (algorithm.equals("HS256")) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(settings.string(ConfigKey.JWT_HMAC_SECRET)));
      return Future.succeededFuture(JWTAuth.create(vertx, options));
    }
    return Future.all(readPem(vertx, settings, ConfigKey.JWT_PUBLIC_KEY_PATH), readPem(vertx, settings, ConfigKey.JWT_PRIVATE_KEY_PATH))
      .map(pems -> {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pems.<String>resultAt(0)));
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pems.<String>resultAt(1)));
        return JWTAuth.create(vertx, options);
      });
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

  private static Future<String> readPem(Vertx vertx, Settings settings, ConfigKey key) {
    String path = settings.string(key);
    return vertx.fileSystem().readFile(path)
      .map(Buffer::toString)
      .recover(err -> Future.failedFuture(new ConfigException("Cannot read " + key.key() + " (env " + key.envName()
        + ") file " + path + ": " + err.getMessage())));
  }
}
