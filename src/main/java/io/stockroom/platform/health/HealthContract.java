package io.stockroom.platform.health;

/** Event-bus address of the readiness probe answered by {@link HealthVerticle}. */
public final class HealthContract {
  public static final String READY = "stockroom.health.ready";

  private HealthContract() {
  }
}
