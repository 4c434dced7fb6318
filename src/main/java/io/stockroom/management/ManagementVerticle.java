package io.stockroom.management;

import io.stockroom.api.Probes;
import io.stockroom.api.Problems;
import io.stockroom.api.RequestGuard;
import io.stockroom.dashboard.DashboardContract;
import io.stockroom.inventory.InventoryContract;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.concurrent.TimeUnit;

/**
 * The management server, on {@code management.port}, a port the ingress never routes: Prometheus metrics at
 * {@code /metrics}, the probes {@code /health/live} and {@code /health/ready} (the same answers as on the API port,
 * readiness DOWN while draining), and the rebuild of a tenant's dashboard figures. It neither counts in the drain nor is refused by it, so scrapes and probes go on
 * until the instance stops.
 */
public class ManagementVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementVerticle.class);
  private static final String MAP = "stockroom.management";
  private static final long REBUILD_TIMEOUT_MS = 30 * 60_000L;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    String host = settings.string(ConfigKey.MANAGEMENT_HOST);
    int port = settings.integer(ConfigKey.MANAGEMENT_PORT);
    if (port != 0 && port == settings.integer(ConfigKey.HTTP_PORT)) {
      // Vert.x would share one port between the two servers and split requests between their routers
      return Future.failedFuture(new ConfigException(ConfigKey.MANAGEMENT_PORT.envName() + " must differ from "
        + ConfigKey.HTTP_PORT.envName() + " (both are " + port + ")"));
    }
    return vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS))
      .requestHandler(router())
      .invalidRequestHandler(RequestGuard::undecodable)
      .listen(port, host)
      .recover(err -> Future.failedFuture(err instanceof BindException
        ? new ConfigException("Cannot listen on " + host + ":" + port + " for management (" + err.getMessage()
          + "): stop what uses it, or choose another port with " + ConfigKey.MANAGEMENT_PORT.envName())
        : err))
      .onSuccess(server -> {
        vertx.sharedData().getLocalMap(MAP).put("port", server.actualPort());
        LOG.info("Management on http://{}:{}/ (metrics {}, /health/live, /health/ready)", host, server.actualPort(),
          Meters.enabled() ? "at /metrics" : "off");
      });
  }

  /** The port the management server of {@code vertx}'s instance listens on (the chosen one when configured 0). */
  public static int boundPort(Vertx vertx) {
    Object port = vertx.sharedData().getLocalMap(MAP).get("port");
    if (port == null) throw new IllegalStateException("the management server is not listening");
    return (Integer) port;
  }

  private Router router() {
    Probes probes = new Probes(vertx);
    Router router = Router.router(vertx);
    router.get("/metrics").handler(metrics());
    router.get("/health/live").handler(probes::liveness);
    router.get("/health/ready").handler(probes::readiness);
    router.post("/tenants/:tenantId/figures/rebuild").handler(this::rebuildFigures);
    router.route().failureHandler(Problems::handle);
    for (ErrorCode code : new ErrorCode[] {ErrorCode.NOT_FOUND, ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.INTERNAL}) {
      router.errorHandler(code.status(), Problems::handle);
    }
    return router;
  }

  /**
   * Recomputes one tenant's dashboard figures from its ledger, then its dashboard projection from those figures, and
   * reports the differences of both; {@code ?fix=true} also writes the recomputed ones. Runs page by page on the inventory service, so it may take minutes on a large
   * tenant.
   */
  private void rebuildFigures(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    String fix = ctx.queryParams().get("fix");
    if (!Mongo.isId(tenantId) || (fix != null && !fix.equals("true") && !fix.equals("false"))) {
      Problems.write(ctx, new ServiceError(ErrorCode.VALIDATION, "Expected POST /tenants/{tenantId}/figures/rebuild[?fix=true|false]"
        + " with a tenant id of 24 hex digits"));
      return;
    }
    JsonObject command = new JsonObject().put("tenantId", tenantId).put("fix", "true".equals(fix));
    DeliveryOptions patient = new DeliveryOptions().setSendTimeout(REBUILD_TIMEOUT_MS);
    // the variants first: the projection is checked against their figures, corrected ones included
    vertx.eventBus().<JsonObject>request(InventoryContract.FIGURES_REBUILD.address(), command, patient)
      .compose(variants -> vertx.eventBus().<JsonObject>request(DashboardContract.PROJECTION_CHECK.address(), command, patient)
        .map(projection -> variants.body().copy().put("projection", projection.body())))
      .onSuccess(report -> ctx.response().putHeader("content-type", "application/json").end(report.encodePrettily()))
      .onFailure(err -> Problems.write(ctx, new ServiceError(ErrorCode.UNAVAILABLE, "The rebuild did not finish: "
        + (err instanceof ReplyException reply ? ServiceError.fromReply(reply).detail() : err.getMessage()))));
  }

  private static Handler<RoutingContext> metrics() {
    if (Meters.enabled()) return PrometheusScrapingHandler.create();
    return ctx -> Problems.write(ctx, new ServiceError(ErrorCode.NOT_FOUND, "Metrics are off (metrics.enabled=false)"));
  }
}
