package io.stockroom.api;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.health.HealthContract;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The liveness and readiness answers, the same on the API port and on the management port: readiness asks this
 * instance's {@code HealthVerticle} ({@link HealthContract#READY}) and is DOWN while the instance drains.
 */
public final class Probes {
  private static final long READINESS_TIMEOUT_MS = 3_000;

  private final Vertx vertx;

  public Probes(Vertx vertx) {
    this.vertx = vertx;
  }

  public void liveness(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  public void readiness(RoutingContext ctx) {
    if (Lifecycle.of(vertx).draining()) {
      ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "DOWN").put("draining", true).encode());
      return;
    }
    vertx.eventBus().<JsonObject>request(HealthContract.READY.address(), null,
        new DeliveryOptions().setSendTimeout(READINESS_TIMEOUT_MS).setLocalOnly(true))
      .onSuccess(reply -> ctx.response().setStatusCode("UP".equals(reply.body().getString("status")) ? 200 : 503)
        .putHeader("Content-Type", "application/json").end(publicHealth(reply.body()).encode()))
      .onFailure(err -> Problems.write(ctx, new ServiceError(ErrorCode.UNAVAILABLE, "Readiness probe did not answer")));
  }

  /** UP/DOWN overall and per dependency, nothing more: details are in the service log. */
  private static JsonObject publicHealth(JsonObject result) {
    JsonArray checks = new JsonArray();
    result.getJsonArray("checks", new JsonArray()).forEach(c -> checks.add(new JsonObject()
      .put("id", ((JsonObject) c).getString("id")).put("status", ((JsonObject) c).getString("status"))));
    return new JsonObject().put("status", result.getString("status")).put("checks", checks);
  }
}
