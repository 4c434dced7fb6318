package io.stockroom;

import com.mongodb.ConnectionString;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.ConfigLoader;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.platform.schema.Migration;
import io.stockroom.platform.schema.SchemaReport;
import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.FiguresBackfill;
import io.stockroom.inventory.Variants;
import io.stockroom.webhook.EndpointsFollowed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.io.PrintStream;

/**
 * {@code java -jar stockroom.jar migrate}: brings the configured database to {@link SchemaManifest}, with the same
 * configuration and environment as the service. Creates missing collections, builds missing indexes (waiting for each
 * build, however long), drops retired ones, then brings data an older release left in an older shape up to date; safe
 * to run any number of times and from several pods at once.
 * Exit codes: 0 the database matches the manifest; 2 a conflicting index (nothing was changed for it; the message says
 * what to drop); 1 anything else (no connection, bad configuration).
 */
public final class Migrate {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int CONFLICT = 2;
  /** An index build on a large live collection can take long; the service's request timeout does not apply here. */
  private static final int BUILD_TIMEOUT_MS = 3_600_000;

  private Migrate() {
  }

  /** Runs against the configuration read as the service reads it, plus {@code overrides} (tests). */
  public static int run(JsonObject overrides, PrintStream out) {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, overrides)
        .compose(settings -> migrate(vertx, settings, out))
        .recover(err -> {
          out.println("migrate failed: " + err.getMessage());
          return Future.succeededFuture(FAILED);
        })
        .await();
    } finally {
      vertx.close().await();
    }
  }

  private static Future<Integer> migrate(Vertx vertx, Settings settings, PrintStream out) {
    if (settings.isBlank(ConfigKey.MONGO_URI)) {
      out.println("mongo.uri is empty: the embedded store is migrated by the service itself at start; nothing to do.");
      return Future.succeededFuture(OK);
    }
    String database = settings.string(ConfigKey.MONGO_DATABASE);
    out.println("Migrating database " + database + " on " + new ConnectionString(settings.string(ConfigKey.MONGO_URI)).getHosts());
    MongoClient mongo = Storage.mongo(vertx, settings.with(ConfigKey.MONGO_TIMEOUT_MS, BUILD_TIMEOUT_MS), "stockroom-migrate");
    return Migration.isStandIn(mongo)
      .compose(standIn -> new Migration(mongo, SchemaManifest.collections()).run(Migration.Mode.FULL, standIn))
      .compose(report -> report.conflicts().isEmpty() ? upgradeData(mongo, out).map(report) : Future.succeededFuture(report))
      .map(report -> report(report, out))
      .eventually(mongo::close);
  }

  /** Data an older release left in an older shape; each step finds nothing to do once it has run. */
  private static Future<Void> upgradeData(MongoClient mongo, PrintStream out) {
    return new FiguresBackfill(mongo).run()
      .onSuccess(n -> { if (n > 0) out.println("  stored the dashboard figures of " + n + " variant(s)"); })
      .compose(v -> new Variants(mongo).backfillSearch())
      .onSuccess(n -> { if (n > 0) out.println("  gave " + n + " variant(s) the search keys of their SKU"); })
      .compose(v -> new ProductRepository(mongo).backfillNameKeys())
      .onSuccess(n -> { if (n > 0) out.println("  gave " + n + " product(s) the search keys of their name"); })
      .compose(v -> new EndpointsFollowed(mongo).run())
      .onSuccess(n -> { if (n > 0) out.println("  followed the ledger of " + n + " tenant(s) with webhooks, from now on"); })
      .mapEmpty();
  }

  private static int report(SchemaReport report, PrintStream out) {
    report.done().forEach(done -> out.println("  " + done));
    report.unmanaged().forEach(extra -> out.println("  left alone (not in the manifest): " + extra));
    if (!report.conflicts().isEmpty()) {
      report.conflicts().forEach(conflict -> out.println("  CONFLICT " + conflict));
      out.println(report.conflicts().size() + " conflicting index(es): the database was not brought to the manifest.");
      return CONFLICT;
    }
    out.println(report.done().isEmpty() ? "The database already matches the schema manifest; nothing to do."
      : "The database matches the schema manifest (" + report.done().size() + " change(s)).");
    return OK;
  }
}
