package io.stockroom.platform.ratelimit;

import io.stockroom.platform.security.Digests;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.redis.SlotKeys;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.HashMap;

/**
 * Which buckets a request draws from, from {@code rateLimits.*}: per tenant and per user for authenticated requests
 * (a tenant may have its own quotas in {@code rateLimits.tenantOverrides}), per client address for unauthenticated
 * ones, and per account (email) for login and sign-up attempts. Emails are hashed in bucket keys so Redis never holds
 * them.
 */
public final class RatePolicy {
  private final boolean enabled;
  private final Quotas defaults;
  private final Map<String, Quotas> overrides;
  private final int addressPerMinute;
  private final int loginPerMinute;

  /** Requests per second for a tenant and for each of its users. */
  public record Quotas(int tenantPerSecond, int userPerSecond) {
  }

  private RatePolicy(boolean enabled, Quotas defaults, Map<String, Quotas> overrides, int addressPerMinute, int loginPerMinute) {
    this.enabled = enabled;
    this.defaults = defaults;
    this.overrides = overrides;
    this.addressPerMinute = addressPerMinute;
    this.loginPerMinute = loginPerMinute;
  }

  public static RatePolicy of(Settings settings) {
    Quotas defaults = new Quotas(settings.integer(ConfigKey.RATE_LIMITS_TENANT_PER_SECOND), settings.integer(ConfigKey.RATE_LIMITS_USER_PER_SECOND));
    return new RatePolicy(settings.bool(ConfigKey.RATE_LIMITS_ENABLED), defaults,
      parseOverrides(settings.string(ConfigKey.RATE_LIMITS_TENANT_OVERRIDES), defaults),
      settings.integer(ConfigKey.RATE_LIMITS_ADDRESS_PER_MINUTE), settings.integer(ConfigKey.RATE_LIMITS_LOGIN_PER_MINUTE));
  }

  public boolean enabled() {
    return enabled;
  }

  /** The tenants with quotas of their own. */
  public Map<String, Quotas> overrides() {
    return overrides;
  }

  public Quotas quotas(String tenantId) {
    return overrides.getOrDefault(tenantId, defaults);
  }

  public List<Bucket> forCaller(String tenantId, String userId) {
    Quotas quotas = quotas(tenantId);
    // one script takes from both buckets: the tenant's hash tag keeps them in one Redis Cluster slot
    return List.of(new Bucket("tenant", SlotKeys.tagged("rl:", tenantId, ":tenant"), quotas.tenantPerSecond(), 1),
      new Bucket("user", SlotKeys.tagged("rl:", tenantId, ":user:" + userId), quotas.userPerSecond(), 1));
  }

  public List<Bucket> forAddress(String address) {
    return List.of(new Bucket("address", "rl:address:" + address, addressPerMinute, 60));
  }

  public List<Bucket> forAccount(String email) {
    return List.of(new Bucket("account", "rl:account:" + fingerprint(email), loginPerMinute, 60));
  }

  /** A stable, non-reversible key part for an email (never stored in clear outside the users collection). */
  public static String fingerprint(String email) {
    return Digests.sha256Hex(email.trim().toLowerCase(Locale.ROOT)).substring(0, 32);
  }

  /** {@code tenantId=tenantPerSecond[/userPerSecond],...}; a missing user quota keeps the default. */
  static Map<String, Quotas> parseOverrides(String text, Quotas defaults) {
    Map<String, Quotas> parsed = new HashMap<>();
    if (text == null || text.isBlank()) return Map.of();
    for (String entry : text.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) continue;
      String[] idAndQuotas = trimmed.split("=", 2);
      try {
        if (idAndQuotas.length != 2 || idAndQuotas[0].isBlank()) throw new NumberFormatException();
        String[] quotas = idAndQuotas[1].split("/", 2);
        int tenant = Integer.parseInt(quotas[0].trim());
        int user = quotas.length == 2 ? Integer.parseInt(quotas[1].trim()) : defaults.userPerSecond();
        if (tenant < 1 || user < 1) throw new NumberFormatException();
        parsed.put(idAndQuotas[0].trim(), new Quotas(tenant, user));
      } catch (NumberFormatException e) {
        throw new ConfigException(ConfigKey.RATE_LIMITS_TENANT_OVERRIDES.key() + " (env " + ConfigKey.RATE_LIMITS_TENANT_OVERRIDES.envName()
          + "): '" + trimmed + "' is not tenantId=tenantPerSecond[/userPerSecond] with positive whole numbers");
      }
    }
    return Map.copyOf(parsed);
  }
}
