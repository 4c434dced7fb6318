package io.stockroom.platform.config;

/**
 * The interfaces the HTTP and management servers bind to when {@code http.host} / {@code management.host} are left
 * empty: loopback only in embedded trial mode (a generated signing key and open sign-up must not face the network),
 * all interfaces otherwise (a container is reached through its pod or host address). A configured host always wins.
 */
public final class BindHosts {
  public static final String LOOPBACK = "127.0.0.1";
  public static final String ALL_INTERFACES = "0.0.0.0";

  private BindHosts() {
  }

  /** @param embedded true when MongoDB is the in-process stand-in (no {@code mongo.uri} configured) */
  public static Settings resolve(Settings settings, boolean embedded) {
    String automatic = embedded ? LOOPBACK : ALL_INTERFACES;
    Settings resolved = settings;
    for (ConfigKey host : new ConfigKey[] {ConfigKey.HTTP_HOST, ConfigKey.MANAGEMENT_HOST}) {
      if (resolved.isBlank(host)) resolved = resolved.with(host, automatic);
    }
    return resolved;
  }
}
