package io.stockroom.platform.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** {@code mongo.transactions}: how units of work are made atomic. */
public enum TransactionMode {
  /** Multi-document transactions when the server supports them, else compensating units. */
  AUTO,
  /** Refuse to start without transactions (production). */
  REQUIRED,
  /** Always compensating units. */
  OFF;

  /** The configured value ({@code auto}, {@code required}, {@code off}), in any case. */
  public static Optional<TransactionMode> parse(String text) {
    return Arrays.stream(values()).filter(m -> m.name().equals(text.trim().toUpperCase(Locale.ROOT))).findFirst();
  }

  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
