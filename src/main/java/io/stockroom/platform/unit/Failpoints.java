package io.stockroom.platform.unit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

/**
 * Test-only fault injection: a test arms "the next unit named N of tenant T fails before step S" and the unit runner
 * throws there. It is inert unless the deployment enabled {@code testing.failpoints}, which only an embedding test
 * harness can do (the key is ignored in files, properties and the environment).
 */
public final class Failpoints {
  private static final String MAP = "stockroom.failpoints";

  private final LocalMap<String, JsonObject> armed;
  private final boolean enabled;

  public Failpoints(Vertx vertx, boolean enabled) {
    this.enabled = enabled;
    this.armed = vertx.sharedData().getLocalMap(MAP);
  }

  /** Arms a one-shot failure before step {@code step} (0-based) of the next {@code unit} run for {@code tenantId}. */
  public static void arm(Vertx vertx, String unit, String tenantId, int step) {
    vertx.sharedData().<String, JsonObject>getLocalMap(MAP).put(unit + "|" + tenantId, new JsonObject().put("step", step));
  }

  public static void disarm(Vertx vertx, String unit, String tenantId) {
    vertx.sharedData().<String, JsonObject>getLocalMap(MAP).remove(unit + "|" + tenantId);
  }

  /** Throws {@link InjectedFailure} when this step of this unit is armed (and then disarms it). */
  void check(String unit, String tenantId, int step) {
    if (!enabled) return;
    String key = unit + "|" + tenantId;
    JsonObject point = armed.get(key);
    if (point != null && point.getInteger("step") == step && armed.remove(key, point)) {
      throw new InjectedFailure(unit + " failed before step " + step + " (failpoint)");
    }
  }

  public static final class InjectedFailure extends RuntimeException {
    InjectedFailure(String message) {
      super(message, null, false, false);
    }
  }
}
