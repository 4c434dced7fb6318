package io.stockroom.bulk;

import io.stockroom.auth.TenantSettings;
import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
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

  private final Vertx vertx;
  private final MongoClient mongo;
  private final ImportJobs jobs;
  private final Variants variants;
  private final StockLedger ledger;
  private final ProductRepository products;
  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final Locations locations;
  private final ContractSchemas schemas;
  private final int maxRows;
  private final int maxRunning;

  public ImportService(Vertx vertx, StockServiceKit kit, ContractSchemas schemas, int maxRows, int maxRunning) {
    this.vertx = vertx;
    this.mongo = kit.mongo();
    this.jobs = new ImportJobs(mongo);
    this.variants = new Variants(mongo);
    this.ledger = new StockLedger(variants);
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
    JsonObject job = ImportJobs.newJob(command.by().tenantId(), command.format(), rows.size(), userId);
    return jobs.insertRunning(job, maxRunning)
      .map(created -> {
        vertx.runOnContext(v -> run(job, rows, userId));
        return ImportJobs.toApi(created);
      });
  }

  /** The job as clients see it. */
  public Future<JsonObject> get(String tenantId, String importId) {
    return jobs.get(tenantId, importId).map(ImportJobs::toApi);
  }

  /** Marks jobs whose instance stopped as FAILED (run by every instance in turn). */
  public Future<Void> failAbandoned() {
    return jobs.abandoned().compose(found -> Steps.each(found, job -> jobs.finish(job, "FAILED",
      "The instance running the import stopped after " + job.getInteger("done") + " rows; import the file again (rows are matched on SKU)")))
      .mapEmpty();
  }

  /**
   * Rows of one product run one after another (the first may create the product); up to {@link #PARALLEL} products'
   * rows run side by side.
   */
  private void run(JsonObject job, List<ImportRows.Row> rows, String userId) {
    String tenantId = job.getString("tenantId");
    Map<String, String> productIds = new HashMap<>();
    Map<String, List<ImportRows.Row>> byProduct = new java.util.LinkedHashMap<>();
    for (ImportRows.Row row : rows) {
      String product = row.values() == null ? "" : row.values().getString("product");
      byProduct.computeIfAbsent(product, p -> new java.util.ArrayList<>()).add(row);
    }
    List<List<ImportRows.Row>> queues = new java.util.ArrayList<>(byProduct.values());
    List<List<List<ImportRows.Row>>> lanes = new java.util.ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) lanes.add(new java.util.ArrayList<>());
    for (int i = 0; i < queues.size(); i++) lanes.get(i % PARALLEL).add(queues.get(i));
    tenants.today(tenantId)
      .compose(day -> Future.all(lanes.stream().map(lane -> Steps.each(lane, queue -> Steps.each(queue, row -> apply(job, row, productIds, userId, day)
        .transform(applied -> {
          job.put("done", job.getInteger("done") + 1);
          JsonObject error = applied.succeeded() ? row.error() : ImportRows.error(row.number(),
            applied.cause() instanceof RowRefused refused ? refused.field : null, message(applied.cause()));
          if (error == null) {
            job.put("applied", job.getInteger("applied") + 1);
          } else {
            job.put("failed", job.getInteger("failed") + 1);
            if (job.getJsonArray("errors").size() < ImportJobs.MAX_ERRORS) job.getJsonArray("errors").add(error);
          }
          return job.getInteger("done") % PROGRESS_EVERY == 0 ? jobs.progress(job).onSuccess(v -> progressEvent(job, "RUNNING"))
            : Future.<Void>succeededFuture();
        })))).toList()))
      .compose(v -> jobs.finish(job, "COMPLETED", null).onSuccess(done -> progressEvent(job, "COMPLETED")))
      .onFailure(err -> {
        LOG.warn("Import {} stopped: {}", job.getString("_id"), err.toString());
        jobs.finish(job, "FAILED", "The import stopped after " + job.getInteger("done") + " rows: " + message(err));
      });
  }

  private void progressEvent(JsonObject job, String status) {
    vertx.eventBus().publish(StockEvents.address(job.getString("tenantId")), new JsonObject().put("type", "IMPORT_PROGRESS")
      .put("importId", job.getString("_id")).put("status", status).put("done", job.getInteger("done")).put("total", job.getInteger("total"))
      .put("applied", job.getInteger("applied")).put("failed", job.getInteger("failed")));
  }

  private Future<Void> apply(JsonObject job, ImportRows.Row row, Map<String, String> productIds, String userId, String day) {
    if (row.values() == null) return Future.succeededFuture();
    JsonObject values = row.values();
    String tenantId = job.getString("tenantId");
    return location(tenantId, values.getString("location"))
      .compose(locationId -> mongo.findOne(Variants.COLLECTION, new JsonObject().put("tenantId", tenantId).put("sku", values.getString("sku")),
          new JsonObject().put("_id", 1))
        .compose(existing -> existing != null
          ? update(job, row, existing.getString("_id"), locationId, userId, day)
          : create(job, row, productIds, locationId, userId, day)));
  }

  /** The id of the location with this code (null: the default location); a 400 naming the field when there is none. */
  private Future<String> location(String tenantId, String code) {
    if (code == null) return Future.succeededFuture(Locations.defaultId(tenantId));
    return locations.findByCode(tenantId, code).compose(found -> found == null
      ? Future.failedFuture(new RowRefused("location", "is not the code of one of your locations: " + code))
      : Future.succeededFuture(found.getString("_id")));
  }

  /** A known SKU: catalog fields, then the row's stock as a count at the default location, one unit under its lock. */
  private Future<Void> update(JsonObject job, ImportRows.Row row, String variantId, String location, String userId, String day) {
    String tenantId = job.getString("tenantId");
    JsonObject values = row.values();
    return kernel.run(Work.<JsonObject>background(UNIT, tenantId)
      .locking(List.of(LockKeys.variant(tenantId, variantId)))
      .reading(() -> variants.get(tenantId, variantId))
      .writing((unit, before) -> {
        JsonObject changes = new JsonObject();
        if (!values.getLong("price").equals(before.getLong("price"))) changes.put("price", values.getLong("price"));
        if (values.containsKey("reorderLevel") && !values.getLong("reorderLevel").equals(before.getLong("reorderLevel"))) {
          changes.put("reorderLevel", values.getLong("reorderLevel"));
        }
        if (!values.getJsonObject("attributes").isEmpty() && !values.getJsonObject("attributes").equals(before.getJsonObject("attributes"))) {
          changes.put("attributes", values.getJsonObject("attributes"));
        }
        Future<JsonObject> updated = changes.isEmpty() ? Future.succeededFuture(before) : variants.updateCatalogFields(unit, before, changes);
        return updated.compose(variant -> {
          Long counted = values.getLong("stock");
          long onHand = StockLevels.at(variant, location).getLong("onHand");
          if (counted == null || counted == onHand) return Future.succeededFuture(Work.Done.of(Reply.noContent()));
          StockChange count = StockChange.of(tenantId, variant, MovementType.ADJUSTMENT, counted - onHand,
              SourceKind.IMPORT.source(job.getString("_id")).put("row", row.number()), "import:" + job.getString("_id") + ":" + row.number(),
              userId, "import count", day)
            .at(location).expecting(onHand).partOf(new StockEvents.Key(StockEvents.Type.ADJUSTED, job.getString("_id")));
          return ledger.apply(unit, variant, count).compose(applied -> StockEvents.recorded(unit, vertx, Reply.noContent(), tenantId,
            StockEvents.Type.ADJUSTED, job.getString("_id"), List.of(applied.movement())));
        });
      })).mapEmpty();
  }

  /** A new SKU: its product (found by name, or created in the same unit) and the variant with its opening stock. */
  private Future<Void> create(JsonObject job, ImportRows.Row row, Map<String, String> productIds, String location, String userId,
                              String day) {
    String tenantId = job.getString("tenantId");
    JsonObject values = row.values();
    String name = values.getString("product");
    Future<String> known = productIds.containsKey(name) ? Future.succeededFuture(productIds.get(name))
      : products.findByName(tenantId, name).map(p -> p == null ? null : p.getString("_id"));
    return known.compose(productId -> kernel.run(Work.<Void>background(UNIT, tenantId).writing((unit, none) -> {
        Future<String> product = productId != null ? Future.succeededFuture(productId)
          : products.create(unit, tenantId, name).map(p -> p.getString("_id"));
        return product.compose(id -> {
          JsonObject doc = Variants.newVariant(tenantId, id, values.getString("sku"), values.getJsonObject("attributes"),
            values.getLong("price"), values.getLong("reorderLevel", 0L));
          Reply reply = Reply.ok(new JsonObject().put("productId", id));
          // steps of a unit run one after another: the variant is written only once the product's count moved on
          return products.variantsAdded(unit, tenantId, id, 1)
            .compose(v -> createVariant(unit, job, row, doc, location, userId, day))
            .compose(opening -> opening == null ? Future.succeededFuture(Work.Done.of(reply))
              : StockEvents.recorded(unit, vertx, reply, tenantId, StockEvents.Type.ADJUSTED, job.getString("_id"), List.of(opening)));
        });
      }))
      .map(reply -> {
        productIds.put(name, ((JsonObject) reply.body()).getString("productId"));
        return null;
      }));
  }

  /** The new variant with the row's stock as its opening stock: answers its first movement, or null without stock. */
  private Future<JsonObject> createVariant(Unit unit, JsonObject job, ImportRows.Row row, JsonObject doc, String location,
                                           String userId, String day) {
    String tenantId = job.getString("tenantId");
    long stock = row.values().getLong("stock", 0L);
    if (stock == 0) return variants.create(unit, doc).map(created -> null);
    if (location.equals(Locations.defaultId(tenantId))) {
      return ledger.createWithOpeningStock(unit, doc, StockChange.of(tenantId, doc, MovementType.ADJUSTMENT, stock,
          SourceKind.OPENING_STOCK.source(doc.getString("_id")), "opening:" + doc.getString("_id"), userId, "opening stock", day)
          .partOf(new StockEvents.Key(StockEvents.Type.ADJUSTED, job.getString("_id"))))
        .map(StockLedger.Applied::movement);
    }
    // opening stock elsewhere than the default location is a counted ADJUSTMENT there, right after the creation
    return variants.create(unit, doc).compose(fresh -> ledger.apply(unit, fresh, StockChange.of(tenantId, fresh,
        MovementType.ADJUSTMENT, stock, SourceKind.IMPORT.source(job.getString("_id")).put("row", row.number()),
        "import:" + job.getString("_id") + ":" + row.number(), userId, "import count", day).at(location)
        .partOf(new StockEvents.Key(StockEvents.Type.ADJUSTED, job.getString("_id")))))
      .map(StockLedger.Applied::movement);
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
