package io.stockroom.platform.health;

import io.stockroom.platform.bus.ServiceOperation;

/** Event-bus address of the readiness probe answered by {@link HealthVerticle}. */
public final class HealthContract {
  public static final ServiceOperation READY = ServiceOperation.named("health.ready");

  private HealthContract() {
  }
}
