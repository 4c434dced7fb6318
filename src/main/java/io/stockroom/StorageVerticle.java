package io.stockroom;

import io.stockroom.auth.TenantRepository;
import io.stockroom.location.Locations;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.platform.schema.Migration;
import io.stockroom.platform.schema.SchemaReport;
import io.stockroom.platform.schema.SchemaStatus;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.UnitRunners;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployed first: checks how units of work will be atomic ({@code mongo.transactions}; {@code required} on a server
 * without transactions stops the start) and compares the database with {@link SchemaManifest}. The in-process stand-in
 * (embedded, dev-stores) is migrated on the spot; a real server is only checked (see {@code schema.migrateOnStart}):
 * while it lacks a collection or an index, or holds a conflicting one, readiness stays DOWN and the check is repeated,
 * so pods serve only once {@code migrate} has run. The service never builds an index on live data at start.
 */
public class StorageVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);
  static final long RECHECK_MS = 5_000;

  private MongoClient mongo;
  private long recheckTimer = -1;
  private volatile boolean stopped;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    mongo = Storage.mongo(vertx, settings);
    SchemaStatus.set(vertx, false);
    return UnitRunners.resolveMode(mongo, settings)
      .onSuccess(transactions -> LOG.info(transactions
        ? "Units of work run as MongoDB multi-document transactions"
        : "Units of work run in compensating mode (this MongoDB has no transactions): steps are undone in reverse on failure"))
      .compose(transactions -> Migration.isStandIn(mongo))
      .compose(standIn -> {
        Migration migration = new Migration(mongo, SchemaManifest.collections());
        return migration.run(modeAtStart(settings.string(ConfigKey.SCHEMA_MIGRATE_ON_START), standIn), standIn)
          .compose(report -> settle(report, migration, standIn));
      });
  }

  private static Migration.Mode modeAtStart(String configured, boolean standIn) {
    return switch (configured) {
      case "never" -> Migration.Mode.CHECK;
      case "always" -> standIn ? Migration.Mode.FULL : Migration.Mode.EMPTY_ONLY;
      default -> standIn ? Migration.Mode.FULL : Migration.Mode.CHECK;
    };
  }

  private Future<Void> settle(SchemaReport report, Migration migration, boolean standIn) {
    report.done().forEach(done -> LOG.debug("Schema: {}", done));
    report.unmanaged().forEach(extra -> LOG.info("Schema: index not in the manifest, left alone: {}", extra));
    if (report.ready()) {
      return ready().recover(err -> {
        recheckLater(migration, standIn);
        return Future.succeededFuture();
      });
    }
    LOG.error("The database does not match the schema manifest, so this instance stays not ready (readiness DOWN). "
        + "Run `java -jar stockroom.jar migrate` with this instance's configuration. Missing: {}. Conflicts: {}",
      report.pending(), report.conflicts());
    recheckLater(migration, standIn);
    return Future.succeededFuture();
  }

  /** Checks again once the previous check ended (never two at once), until the schema matches and the instance is ready. */
  private void recheckLater(Migration migration, boolean standIn) {
    if (stopped) return;
    recheckTimer = vertx.setTimer(RECHECK_MS, id -> migration.run(Migration.Mode.CHECK, standIn)
      .compose(again -> again.ready() ? ready().onSuccess(v -> LOG.info("The database now matches the schema manifest"))
        : Future.failedFuture("still missing " + again.pending() + ", conflicts " + again.conflicts()))
      .onFailure(err -> {
        LOG.debug("Schema not ready yet: {}", err.getMessage());
        recheckLater(migration, standIn);
      }));
  }

  private Future<Void> ready() {
    return defaultLocations()
      .onSuccess(v -> SchemaStatus.set(vertx, true))
      .onFailure(err -> LOG.warn("Default locations could not be checked, readiness stays DOWN until they are: {}", err.toString()));
  }

  /**
   * Data migration: every tenant that signed up before locations existed gets its default location document. Its
   * stock needs no move: a variant without levels holds everything at the default location (see StockLevels).
   */
  private Future<Void> defaultLocations() {
    Locations locations = new Locations(mongo);
    return new TenantRepository(mongo).ids()
      .compose(tenants -> Steps.each(tenants, locations::ensureDefault))
      .onSuccess(v -> LOG.debug("Default locations checked"));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (recheckTimer >= 0) vertx.cancelTimer(recheckTimer);
    return Future.succeededFuture();
  }
}
