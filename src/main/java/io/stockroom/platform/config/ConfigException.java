package io.stockroom.platform.config;

/** Invalid or missing configuration; the message names the offending key and never echoes secrets. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
