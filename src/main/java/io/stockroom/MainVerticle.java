package io.stockroom;

import io.stockroom.api.ContractLoader;
import io.stockroom.api.HttpVerticle;
import io.stockroom.auth.AuthVerticle;
import io.stockroom.auth.JwtKeys;
import io.stockroom.bulk.BulkVerticle;
import io.stockroom.catalog.CatalogVerticle;
import io.stockroom.dashboard.DashboardVerticle;
import io.stockroom.inventory.InventoryVerticle;
import io.stockroom.inventory.kernel.RecoveryVerticle;
import io.stockroom.location.LocationVerticle;
import io.stockroom.management.ManagementVerticle;
import io.stockroom.order.OrderVerticle;
import io.stockroom.platform.config.BindHosts;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.ConfigLoader;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.contract.OpenApiDocument;
import io.stockroom.platform.embedded.EmbeddedServers;
import io.stockroom.platform.health.HealthVerticle;
import io.stockroom.platform.redis.RedisConnections;
import io.stockroom.platform.redis.RedisTls;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.purchasing.PurchasingVerticle;
import io.stockroom.supplier.SupplierVerticle;
import io.stockroom.transfer.TransferVerticle;
import io.stockroom.webhook.WebhookVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Supplier;

/**
 * Boots Stockroom in order: configuration → embedded stand-ins for what is not configured → storage (indexes) →
 * service verticles → HTTP verticles (one per core). The deployment config, if any, holds flat overrides
 * ({@code "http.port": 0}) that win over file and environment (used by tests).
 */
public class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final EmbeddedServers embedded = new EmbeddedServers();
  private final Settings preloaded;
  private Settings settings;

  /** Reads the configuration itself, with the deployment config's overrides (tests, the benchmark). */
  public MainVerticle() {
    this(null);
  }

  /** Starts with settings already read (the entry point reads them to decide how Vert.x starts). */
  public MainVerticle(Settings preloaded) {
    this.preloaded = preloaded;
  }

  @Override
  public Future<?> start() {
    LockKinds.all();
    // parsed while the stores and the services start: it is the slowest part of the start
    Future<JsonObject> document = OpenApiDocument.read(vertx, OpenApiDocument.PATH);
    Future<OpenAPIContract> contract = ContractLoader.load(vertx, document);
    Future<ContractSchemas> schemas = ContractSchemas.of(vertx, document);
    return (preloaded != null ? Future.succeededFuture(preloaded) : ConfigLoader.load(vertx, config()))
      .map(RedisConnections::check)
      .compose(loaded -> embedded.startMissing(vertx, loaded))
      .compose(started -> RedisTls.checkAtStart(vertx, started))
      .map(started -> BindHosts.resolve(started, embedded.mongoEmbedded()))
      .map(this::withJwtKeys)
      .compose(ready -> {
        settings = ready;
        return deploy(StorageVerticle::new, 1);
      })
      .compose(v -> Future.all(List.of(
        deploy(AuthVerticle::new, 1),
        deploy(() -> new CatalogVerticle(schemas), 1),
        deploy(SupplierVerticle::new, 1),
        deploy(LocationVerticle::new, 1),
        deploy(() -> new InventoryVerticle(), 1),
        deploy(RecoveryVerticle::new, 1),
        deploy(() -> new OrderVerticle(), 1),
        deploy(() -> new PurchasingVerticle(), 1),
        deploy(() -> new TransferVerticle(), 1),
        deploy(WebhookVerticle::new, 1),
        deploy(() -> new BulkVerticle(schemas), 1),
        deploy(DashboardVerticle::new, 1),
        deploy(HealthVerticle::new, 1))))
      .compose(v -> contract)
      .compose(loaded -> deploy(() -> new HttpVerticle(contract), httpInstances()))
      .compose(v -> deploy(ManagementVerticle::new, 1))  // last: its readiness then implies the API port listens
      .onSuccess(v -> LOG.info("Stockroom listening on http://{}:{}/ (API under /api/v1), instance {}{}",
        settings.string(ConfigKey.HTTP_HOST), settings.integer(ConfigKey.HTTP_PORT), UnitJournal.INSTANCE,
        embedded.mongoEmbedded() && settings.string(ConfigKey.HTTP_HOST).equals(BindHosts.LOOPBACK)
          ? "; embedded trial mode answers this machine only (set " + ConfigKey.HTTP_HOST.envName() + " to expose it)" : ""))
      .onFailure(err -> embedded.stop());
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(() -> {
      embedded.stop();
      return null;
    });
  }

  /** The settings every verticle was deployed with (after embedded servers and dev keys were filled in). */
  public Settings settings() {
    return settings;
  }

  private Settings withJwtKeys(Settings loaded) {
    boolean hmac = loaded.string(ConfigKey.JWT_ALGORITHM).equals("HS256");
    if (hmac && loaded.isBlank(ConfigKey.JWT_HMAC_SECRET)) {
      if (!embedded.mongoEmbedded()) {
        throw new ConfigException("No JWT key material: set " + ConfigKey.JWT_HMAC_SECRET.envName() + " (HS256) or "
          + ConfigKey.JWT_ALGORITHM.envName() + "=ES256/RS256 with " + ConfigKey.JWT_PRIVATE_KEY_PATH.envName()
          + " and " + ConfigKey.JWT_PUBLIC_KEY_PATH.envName());
      }
      LOG.warn("EMBEDDED mode: generated a random DEV-ONLY HS256 signing key; tokens die with this process.");
      loaded = loaded.with(ConfigKey.JWT_HMAC_SECRET, JwtKeys.generateDevSecret());
    }
    JwtKeys.requireKeys(loaded);
    return loaded;
  }

  private int httpInstances() {
    int configured = settings.integer(ConfigKey.HTTP_INSTANCES);
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  private Future<Void> deploy(Supplier<? extends Deployable> verticle, int instances) {
    JsonObject config = settings.toJson();
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config).setInstances(instances)).mapEmpty();
  }
}
