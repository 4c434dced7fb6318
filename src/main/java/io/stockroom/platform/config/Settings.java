package io.stockroom.platform.config;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Validated configuration: one value per {@link ConfigKey}, resolved from (lowest to highest precedence) defaults,
 * {@code conf/config.yaml}, system properties {@code stockroom.<key>}, environment variables and finally explicit
 * overrides given by the deployer (tests). Passed to every verticle as its deployment config ({@link #toJson()}).
 */
public final class Settings {
  private static final Set<String> JWT_ALGORITHMS = Set.of("HS256", "ES256", "RS256");
  private static final Set<String> MIGRATE_ON_START = Set.of("auto", "always", "never");

  private final JsonObject values;

  private Settings(JsonObject values) {
    this.values = values;
  }

  /**
   * @param file     the parsed config file (nested YAML, e.g. {@code http: {port: 8080}})
   * @param env      environment variables
   * @param sysProps system properties
   * @param explicit flat overrides ({@code "http.port": 0}) that win over everything
   * @throws ConfigException naming the first invalid key, or timeouts that do not nest
   */
  public static Settings resolve(JsonObject file, JsonObject env, JsonObject sysProps, JsonObject explicit) {
    JsonObject values = new JsonObject();
    for (ConfigKey key : ConfigKey.values()) {
      Object raw = key.defaultValue();
      if (!key.explicitOnly()) {
        Object fromFile = nested(file, key.key());
        if (fromFile != null) raw = fromFile;
        if (sysProps.containsKey("stockroom." + key.key())) raw = sysProps.getValue("stockroom." + key.key());
        if (env.containsKey(key.envName())) raw = env.getValue(key.envName());
      }
      if (explicit.containsKey(key.key())) raw = explicit.getValue(key.key());
      values.put(key.key(), coerce(key, raw));
    }
    Settings settings = new Settings(values);
    Timeouts.check(settings);
    return settings;
  }

  /** Rebuilds settings from a verticle's deployment config (already validated by {@link #resolve}). */
  public static Settings of(JsonObject deploymentConfig) {
    return new Settings(deploymentConfig.copy());
  }

  public JsonObject toJson() {
    return values.copy();
  }

  /** A copy with one value replaced (e.g. the generated dev JWT secret, the embedded servers' URIs). */
  public Settings with(ConfigKey key, Object value) {
    JsonObject copy = values.copy();
    copy.put(key.key(), coerce(key, value));
    return new Settings(copy);
  }

  public String string(ConfigKey key) { return values.getString(key.key()); }
  public int integer(ConfigKey key) { return values.getInteger(key.key()); }
  public boolean bool(ConfigKey key) { return values.getBoolean(key.key()); }
  public TransactionMode transactionMode() {
    return TransactionMode.parse(string(ConfigKey.MONGO_TRANSACTIONS)).orElseThrow();
  }

  public RedisType redisType() {
    return RedisType.parse(string(ConfigKey.REDIS_TYPE)).orElseThrow();
  }

  public boolean isBlank(ConfigKey key) { return string(key) == null || string(key).isBlank(); }

  private static Object nested(JsonObject json, String dottedKey) {
    if (json == null) return null;
    if (json.containsKey(dottedKey)) return json.getValue(dottedKey);
    String[] parts = dottedKey.split("\\.");
    Object current = json;
    for (String part : parts) {
      if (!(current instanceof JsonObject obj) || !obj.containsKey(part)) return null;
      current = obj.getValue(part);
    }
    return current;
  }

  private static Object coerce(ConfigKey key, Object raw) {
    String where = key.key() + " (env " + key.envName() + ")";
    switch (key.type()) {
      case STRING:
        return raw == null ? "" : String.valueOf(raw).trim();
      case BOOLEAN: {
        String s = String.valueOf(raw).trim().toLowerCase();
        if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
        throw new ConfigException("Invalid " + where + ": expected true or false, got '" + raw + "'");
      }
      case JWT_ALGORITHM: {
        String s = String.valueOf(raw).trim().toUpperCase();
        if (!JWT_ALGORITHMS.contains(s)) {
          throw new ConfigException("Invalid " + where + ": expected one of " + JWT_ALGORITHMS + ", got '" + raw + "'");
        }
        return s;
      }
      case TRANSACTION_MODE: {
        return TransactionMode.parse(String.valueOf(raw)).map(TransactionMode::configValue).orElseThrow(() -> new ConfigException(
          "Invalid " + where + ": expected one of auto, required, off, got '" + raw + "'"));
      }
      case MIGRATE_ON_START: {
        String s = String.valueOf(raw).trim().toLowerCase(java.util.Locale.ROOT);
        if (MIGRATE_ON_START.contains(s)) return s;
        throw new ConfigException("Invalid " + where + ": expected one of " + MIGRATE_ON_START + ", got '" + raw + "'");
      }
      case REDIS_TYPE: {
        return RedisType.parse(String.valueOf(raw)).map(RedisType::configValue).orElseThrow(() -> new ConfigException(
          "Invalid " + where + ": expected one of standalone, sentinel, cluster, got '" + raw + "'"));
      }
      default: {
        int n = parseInt(where, raw);
        boolean ok = switch (key.type()) {
          case PORT -> n >= 0 && n <= 65535;
          case POSITIVE_INT -> n > 0;
          case NON_NEGATIVE_INT -> n >= 0;
          case BCRYPT_COST -> n >= 4 && n <= 31;
          case RETENTION_HOURS -> n >= 24;
          default -> true;
        };
        if (!ok) throw new ConfigException("Invalid " + where + ": " + n + " is out of range for " + key.type());
        return n;
      }
    }
  }

  private static int parseInt(String where, Object raw) {
    if (raw instanceof Number num) return num.intValue();
    try {
      return Integer.parseInt(String.valueOf(raw).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException("Invalid " + where + ": expected an integer, got '" + raw + "'");
    }
  }
}
