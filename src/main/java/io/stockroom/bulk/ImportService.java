package io.stockroom.bulk;

import io.stockroom.auth.TenantSettings;
import io.stockroom.catalog.NewVariants;
import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bulk import of products and variants, matched on SKU: a new SKU is created (its product, found by name, too) with
 * the row's stock as opening stock; a known one gets the row's price, reorder level and attributes, and the row's
 * stock as a count at the default location (an ADJUSTMENT for the difference, decided under the variant's lock). Each
 * row is one unit of work, all or nothing, and its stock change (opening stock included) is an ADJUSTED stock event;
 * a bad row is reported and the others go on. The job answers at once (202)
 * and runs in the background, reporting progress on the job and as {@code IMPORT_PROGRESS} events on the tenant's
 * stock address.
 */
public class ImportService {
  private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);
  static final String UNIT = "imports.row";
  static final int PROGRESS_EVERY = 100;
  static final int PARALLEL = 8;
  /** The row of the file a movement's {@code IMPORT} source names. */
  static final String SOURCE_ROW = "row";

  private final Vertx vertx;
  private final ImportJobs jobs;
  private final Variants variants;
  private final StockLedger ledger;
  private final NewVariants newVariants;
  private final ProductRepository products;
  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final Locations locations;
  private final ContractSchemas schemas;
  private final int maxRows;
  private final int maxRunning;

  public ImportService(Vertx vertx, StockServiceKit kit, ContractSchemas schemas, int maxRows, int maxRunning) {
    this.vertx = vertx;
    MongoClient mongo = kit.mongo();
    this.jobs = new ImportJobs(mongo);
    this.variants = new Variants(mongo);
    this.ledger = new StockLedger(variants);
    this.newVariants = new NewVariants(variants, ledger);
    this.products = new ProductRepository(mongo);
    this.kernel = kit.kernel();
    this.tenants = new TenantSettings(mongo);
    this.locations = new Locations(mongo);
    this.schemas = schemas;
    this.maxRows = maxRows;
    this.maxRunning = maxRunning;
  }

  /** The RUNNING job (202), or 400/413 for a file that cannot be read, 409 when too many run. */
  public Future<JsonObject> start(StartImport command) {
    // a file of megabytes takes a while to parse: off the event loop
    return vertx.executeBlocking(() -> ImportRows.parse(command.contentType(), command.text(), maxRows, schemas), false)
      .compose(rows -> start(command, rows));
  }

  private Future<JsonObject> start(StartImport command, List<ImportRows.Row> rows) {
    String userId = command.by().userId();
    ImportJob job = ImportJob.start(command.by().tenantId(), command.format(), rows.size(), userId);
    return jobs.insertRunning(job, maxRunning)
      .map(created -> {
        vertx.runOnContext(v -> run(created, rows, userId));
        return created.toApi();
      });
  }

  /** The job as clients see it. */
  public Future<JsonObject> get(String tenantId, String importId) {
    return jobs.job(tenantId, importId).map(ImportJob::toApi);
  }

  /** One page of the tenant's jobs (only those in the query's {@code status}, if given), newest first, without their errors. */
  public Future<JsonObject> list(String tenantId, JsonObject query) {
    return jobs.page(tenantId, RecordCodec.api(ListQuery.class).decode(query).status(), Page.from(query));
  }

  /** The filter of {@code GET /imports}. */
  private record ListQuery(ImportJob.Status status) {
  }

  /** Marks jobs whose instance stopped as FAILED (run by every instance in turn). */
  public Future<Void> failAbandoned() {
    return jobs.abandoned().compose(found -> Steps.each(found, job -> jobs.finish(job, ImportJob.Status.FAILED,
      "The instance running the import stopped after " + job.done() + " rows; import the file again (rows are matched on SKU)")))
      .mapEmpty();
  }

  /** A running job's state: its rows run on the job's context, one at a time, so each moves it on in turn. */
  private static final class Running {
    private ImportJob job;

    Running(ImportJob job) {
      this.job = job;
    }
  }

  /**
   * Rows of one product run one after another (the first may create the product); up to {@link #PARALLEL} products'
   * rows run side by side.
   */
  private void run(ImportJob started, List<ImportRows.Row> rows, String userId) {
    String tenantId = started.tenantId();
    Running running = new Running(started);
    Map<String, String> productIds = new HashMap<>();
    Map<String, List<ImportRows.Row>> byProduct = new java.util.LinkedHashMap<>();
    for (ImportRows.Row row : rows) {
      String product = row.values() == null ? "" : row.values().product();
      byProduct.computeIfAbsent(product, p -> new java.util.ArrayList<>()).add(row);
    }
    List<List<ImportRows.Row>> queues = new java.util.ArrayList<>(byProduct.values());
    List<List<List<ImportRows.Row>>> lanes = new java.util.ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) lanes.add(new java.util.ArrayList<>());
    for (int i = 0; i < queues.size(); i++) lanes.get(i % PARALLEL).add(queues.get(i));
    tenants.today(tenantId)
      .compose(day -> Future.all(lanes.stream().map(lane -> Steps.each(lane, queue -> Steps.each(queue, row -> apply(started, row, productIds, userId, day)
        .transform(applied -> {
          ImportError error = applied.succeeded() ? row.error() : new ImportError(row.number(),
            applied.cause() instanceof RowRefused refused ? refused.field : null, message(applied.cause()));
          ImportJob job = running.job = running.job.afterRow(error);
          return job.done() % PROGRESS_EVERY == 0 ? jobs.progress(job).onSuccess(v -> progressEvent(running.job, ImportJob.Status.RUNNING))
            : Future.<Void>succeededFuture();
        })))).toList()))
      .compose(v -> jobs.finish(running.job, ImportJob.Status.COMPLETED, null)
        .onSuccess(done -> progressEvent(running.job, ImportJob.Status.COMPLETED)))
      .onFailure(err -> {
        LOG.warn("Import {} stopped: {}", started.id(), err.toString());
        jobs.finish(running.job, ImportJob.Status.FAILED, "The import stopped after " + running.job.done() + " rows: " + message(err));
      });
  }

  private void progressEvent(ImportJob job, ImportJob.Status status) {
    vertx.eventBus().publish(StockEvents.address(job.tenantId()), job.progressEvent(status));
  }

  /** The id of a document read from another package (a product, a location). */
  private record DocumentId(@Key("_id") String id) {
  }

  /** The catalog fields of a known variant an import row may change; unchanged ones are left out of the changes. */
  private record CatalogFields(Long price, Long reorderLevel, JsonObject attributes) {
    /** What {@code row} changes of these (all null: nothing). */
    CatalogFields changedBy(ImportRows.Values row) {
      return new CatalogFields(java.util.Objects.equals(price, row.price()) ? null : (Long) row.price(),
        row.reorderLevel() != null && !row.reorderLevel().equals(reorderLevel) ? row.reorderLevel() : null,
        !row.attributes().isEmpty() && !row.attributes().equals(attributes) ? row.attributes() : null);
    }
  }

  /** A stock level's units on hand. */
  private record OnHand(long onHand) {
  }

  /** What creating a row's variant answers: its product (found or created). */
  private record Created(String productId) {
  }

  private Future<Void> apply(ImportJob job, ImportRows.Row row, Map<String, String> productIds, String userId, String day) {
    if (row.values() == null) return Future.succeededFuture();
    ImportRows.Values values = row.values();
    String tenantId = job.tenantId();
    return location(tenantId, values.location())
      .compose(locationId -> variants.idBySku(tenantId, values.sku())
        .compose(variantId -> variantId != null
          ? update(job, row, variantId, locationId, userId, day)
          : create(job, row, productIds, locationId, userId, day)));
  }

  /** The id of the location with this code (null: the default location); a 400 naming the field when there is none. */
  private Future<String> location(String tenantId, String code) {
    if (code == null) return Future.succeededFuture(Locations.defaultId(tenantId));
    return locations.findByCode(tenantId, code).compose(found -> found == null
      ? Future.failedFuture(new RowRefused(ImportRows.LOCATION, "is not the code of one of your locations: " + code))
      : Future.succeededFuture(RecordCodec.fromDocument(DocumentId.class, found).id()));
  }

  /** The movement's source: the import job, and the row. */
  private static JsonObject source(ImportJob job, ImportRows.Row row) {
    return SourceKind.IMPORT.source(job.id()).put(SOURCE_ROW, row.number());
  }

  private static String importKey(ImportJob job, ImportRows.Row row) {
    return "import:" + job.id() + ":" + row.number();
  }

  /** A known SKU: catalog fields, then the row's stock as a count at the default location, one unit under its lock. */
  private Future<Void> update(ImportJob job, ImportRows.Row row, String variantId, String location, String userId, String day) {
    String tenantId = job.tenantId();
    ImportRows.Values values = row.values();
    return kernel.run(Work.<JsonObject>background(UNIT, tenantId)
      .locking(List.of(Variants.LOCK.key(tenantId, variantId)))
      .reading(() -> variants.get(tenantId, variantId))
      .writing((unit, before) -> {
        JsonObject changes = RecordCodec.toDocument(RecordCodec.fromDocument(CatalogFields.class, before).changedBy(values));
        Future<JsonObject> updated = changes.isEmpty() ? Future.succeededFuture(before) : variants.updateCatalogFields(unit, before, changes);
        return updated.compose(variant -> {
          Long counted = values.stock();
          long onHand = RecordCodec.fromDocument(OnHand.class, StockLevels.at(variant, location)).onHand();
          if (counted == null || counted == onHand) return Future.succeededFuture(Work.Done.of(Reply.noContent()));
          StockChange count = StockChange.of(tenantId, variant, MovementType.ADJUSTMENT, counted - onHand, source(job, row),
              importKey(job, row), userId, "import count", day)
            .at(location).expecting(onHand).partOf(new StockEvents.Key(StockEvents.Type.ADJUSTED, job.id()));
          return ledger.apply(unit, variant, count).compose(applied -> StockEvents.recorded(unit, vertx, Reply.noContent(), tenantId,
            StockEvents.Type.ADJUSTED, job.id(), List.of(applied.movement())));
        });
      })).mapEmpty();
  }

  /** A new SKU: its product (found by name, or created in the same unit) and the variant with its opening stock. */
  private Future<Void> create(ImportJob job, ImportRows.Row row, Map<String, String> productIds, String location, String userId,
                              String day) {
    String tenantId = job.tenantId();
    ImportRows.Values values = row.values();
    String name = values.product();
    Future<String> known = productIds.containsKey(name) ? Future.succeededFuture(productIds.get(name))
      : products.findByName(tenantId, name).map(p -> p == null ? null : RecordCodec.fromDocument(DocumentId.class, p).id());
    return known.compose(productId -> kernel.run(Work.<Void>background(UNIT, tenantId).writing((unit, none) -> {
        Future<String> product = productId != null ? Future.succeededFuture(productId)
          : products.create(unit, tenantId, name).map(p -> RecordCodec.fromDocument(DocumentId.class, p).id());
        return product.compose(id -> {
          JsonObject doc = Variants.newVariant(tenantId, id, values.sku(), values.attributes(), values.price(),
            values.reorderLevel() == null ? 0L : values.reorderLevel());
          Reply reply = Reply.ok(RecordCodec.toApi(new Created(id)));
          // steps of a unit run one after another: the variant is written only once the product's count moved on
          return products.variantsAdded(unit, tenantId, id, 1)
            .compose(v -> createVariant(unit, job, row, doc, location, userId, day))
            .compose(opening -> opening == null ? Future.succeededFuture(Work.Done.of(reply))
              : StockEvents.recorded(unit, vertx, reply, tenantId, StockEvents.Type.ADJUSTED, job.id(), List.of(opening)));
        });
      }))
      .map(reply -> {
        productIds.put(name, RecordCodec.api(Created.class).decode((JsonObject) reply.body()).productId());
        return null;
      }));
  }

  /**
   * The new variant with the row's stock as its opening stock (see {@link NewVariants}): answers its first movement, or
   * null without stock. At the default location it is opening stock as the catalog records it; elsewhere it is a counted
   * ADJUSTMENT there from the import's row, right after the creation.
   */
  private Future<JsonObject> createVariant(Unit unit, ImportJob job, ImportRows.Row row, JsonObject doc, String location,
                                           String userId, String day) {
    long stock = row.values().stock() == null ? 0L : row.values().stock();
    StockEvents.Key event = new StockEvents.Key(StockEvents.Type.ADJUSTED, job.id());
    NewVariants.Opening opening = location.equals(Locations.defaultId(job.tenantId()))
      ? NewVariants.Opening.of(RecordCodec.fromDocument(DocumentId.class, doc).id(), stock, userId, day, event)
      : new NewVariants.Opening(stock, location, source(job, row), importKey(job, row), userId, "import count", day, event);
    return newVariants.create(unit, doc, opening);
  }

  private static String message(Throwable err) {
    if (err instanceof RowRefused refused) return refused.getMessage();
    return err instanceof ServiceError se ? se.detail() : "could not be applied; import the row again";
  }

  /** A row that names something the tenant does not have (a location code): reported against that field. */
  private static final class RowRefused extends RuntimeException {
    final String field;

    RowRefused(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }
}
