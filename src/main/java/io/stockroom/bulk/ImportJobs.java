package io.stockroom.bulk;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.mongo.TenantSlots;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.List;

/**
 * Import jobs ({@link ImportJob}). The instance running a job moves {@code leaseUntil} on with its progress; a RUNNING
 * job whose lease ran out (its instance stopped) is marked FAILED, saying how far it got (rows are matched on SKU, so
 * the file can be imported again).
 */
public class ImportJobs extends ScopedCollection {

  public static final String COLLECTION = "import_jobs";

  public ImportJobs(MongoClient mongo) {
    super(mongo, COLLECTION, "Import");
  }

  /**
   * Inserts the RUNNING job holding one of the tenant's {@code maxRunning} slots ({@link TenantSlots}): 409 when all are
   * held (also when several requests race for the last one). {@link #finish} gives the slot back in the write that ends
   * the job; a job whose instance died gives it back when its lease ran out ({@link #abandoned}).
   */
  Future<ImportJob> insertRunning(ImportJob job, int maxRunning) {
    return new TenantSlots(mongo, this, running(),
      "Imports already running (at most " + maxRunning + " at once); wait for one to end").insert(job.toDocument(), maxRunning)
      .map(ImportJob::fromDocument);
  }

  /** The job, or NOT_FOUND. */
  Future<ImportJob> job(String tenantId, String importId) {
    return get(tenantId, importId).map(ImportJob::fromDocument);
  }

  /**
   * One page of the tenant's jobs, newest first (only {@code status}, if not null), as listed: without their errors,
   * which are not even read (index {tenantId, _id} or {tenantId, status, _id}, walked backwards).
   */
  Future<JsonObject> page(String tenantId, ImportJob.Status status, Page page) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId);
    if (status != null) filter.put(ImportJob.STATUS, status.name());
    return mongo.findWithOptions(COLLECTION, page.filterNewestFirst(filter),
        page.newestFirstOptions().setFields(Ops.where(ImportJob.ERRORS, 0)))
      .map(docs -> page.result(docs, doc -> ImportJob.fromDocument(doc).toSummary()));
  }

  /** Progress so far (and the lease moved on). */
  Future<Void> progress(ImportJob job) {
    return mongo.updateCollection(COLLECTION, whileRunning(job), Ops.set(job.progress(Instant.now()))).mapEmpty();
  }

  /** Ends a RUNNING job (once: the status guards it) and gives its slot back; false when it had ended already. */
  Future<Boolean> finish(ImportJob job, ImportJob.Status status, String failure) {
    return mongo.updateCollection(COLLECTION, whileRunning(job),
        Ops.merge(Ops.set(job.ending(status, failure, Instant.now())), Ops.unset(TenantSlots.FIELD)))
      .map(updated -> updated != null && updated.getDocModified() == 1);
  }

  /** RUNNING jobs whose instance stopped moving their lease. */
  Future<List<ImportJob>> abandoned() {
    return mongo.findWithOptions(COLLECTION, running().put(ImportJob.LEASE_UNTIL, Ops.lt(Mongo.date(Instant.now()))),
        new FindOptions().setLimit(100))
      .map(found -> found.stream().map(ImportJob::fromDocument).toList());
  }

  private static JsonObject running() {
    return Ops.where(ImportJob.STATUS, ImportJob.Status.RUNNING.name());
  }

  private static JsonObject whileRunning(ImportJob job) {
    return Mongo.byId(job.tenantId(), job.id()).put(ImportJob.STATUS, ImportJob.Status.RUNNING.name());
  }
}
