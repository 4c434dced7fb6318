package io.stockroom.platform.health;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.platform.schema.SchemaStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness: answers {@link HealthContract#READY} with the health-check outcome of MongoDB (ping), Redis (PING), the
 * schema (the database matches the manifest, see StorageVerticle) and this node's service consumers (each bound
 * address answers a local probe). The HTTP verticles turn it into 200 or
 * 503, so readiness also fails when the event bus is broken.
 */
public class HealthVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HealthVerticle.class);
  private static final long PROBE_TIMEOUT_MS = 2_000;

  private Redis redis;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    redis = Storage.redis(vertx, settings);
    RedisAPI redisApi = RedisAPI.api(redis);
    HealthChecks checks = HealthChecks.create(vertx)
      .register("mongo", PROBE_TIMEOUT_MS, promise -> mongo.runCommand("ping", new JsonObject().put("ping", 1))
        .onSuccess(ok -> promise.complete(Status.OK()))
        .onFailure(err -> promise.complete(down("mongo", err))))
      .register("redis", PROBE_TIMEOUT_MS, promise -> redisApi.ping(List.of())
        .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(ok -> promise.complete(Status.OK()))
        .onFailure(err -> promise.complete(down("redis", err))))
      // StorageVerticle logs what is missing, once
      .register("schema", PROBE_TIMEOUT_MS, promise -> promise.complete(SchemaStatus.ready(vertx) ? Status.OK() : Status.KO()))
      .register("services", PROBE_TIMEOUT_MS, promise -> probeServices()
        .onSuccess(ok -> promise.complete(Status.OK()))
        .onFailure(err -> promise.complete(down("services", err))));
    return vertx.eventBus().<JsonObject>consumer(HealthContract.READY.address(), message -> checks.checkStatus()
        .onSuccess(result -> message.reply(result.toJson()))
        .onFailure(err -> message.fail(503, err.getMessage())))
      .completion();
  }

  private Future<Void> probeServices() {
    Set<String> addresses = ServiceConsumers.boundAddresses(vertx);
    if (addresses.isEmpty()) {
      return Future.failedFuture("no service consumer is registered on this node");
    }
    return Future.all(addresses.stream()
        .map(address -> ServiceConsumers.probe(vertx, address, PROBE_TIMEOUT_MS / 2)
          .recover(err -> Future.failedFuture(address + " does not answer: " + err.getMessage())))
        .toList())
      .mapEmpty();
  }

  /** The public answer says DOWN and nothing more; what went wrong goes to the log. */
  private static Status down(String dependency, Throwable err) {
    LOG.warn("Readiness: {} is down: {}", dependency, err.toString());
    return Status.KO();
  }

  @Override
  public Future<?> stop() {
    redis.close();
    return Future.succeededFuture();
  }
}
