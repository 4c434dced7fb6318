package io.stockroom.bulk;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.mongo.TenantSlots;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.List;

/**
 * Import jobs: {_id, tenantId, status RUNNING | COMPLETED | FAILED, format, total, done, applied, failed,
 * errors[{row, field, message}] (the first {@link #MAX_ERRORS}), createdBy, createdAt, finishedAt?, leaseUntil,
 * failure?}. The instance running a job moves {@code leaseUntil} on with its progress; a RUNNING job whose lease ran
 * out (its instance stopped) is marked FAILED, saying how far it got (rows are matched on SKU, so the file can be
 * imported again).
 */
public class ImportJobs extends ScopedCollection {

  public static final String COLLECTION = "import_jobs";
  static final int MAX_ERRORS = 1_000;
  static final long LEASE_MS = 60_000;

  public ImportJobs(MongoClient mongo) {
    super(mongo, COLLECTION, "Import");
  }

  /**
   * Inserts the RUNNING job holding one of the tenant's {@code maxRunning} slots ({@link TenantSlots}): 409 when all are
   * held (also when several requests race for the last one). {@link #finish} gives the slot back in the write that ends
   * the job; a job whose instance died gives it back when its lease ran out ({@link #abandoned}).
   */
  Future<JsonObject> insertRunning(JsonObject job, int maxRunning) {
    return new TenantSlots(mongo, this, new JsonObject().put("status", "RUNNING"),
      "Imports already running (at most " + maxRunning + " at once); wait for one to end").insert(job, maxRunning);
  }

  static JsonObject newJob(String tenantId, String format, int total, String userId) {
    return new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("status", "RUNNING").put("format", format)
      .put("total", total).put("done", 0).put("applied", 0).put("failed", 0).put("errors", new JsonArray())
      .put("createdBy", userId).put("createdAt", Mongo.now()).put("leaseUntil", Mongo.date(Instant.now().plusMillis(LEASE_MS)));
  }

  /** Progress so far (and the lease moved on). */
  Future<Void> progress(JsonObject job) {
    return mongo.updateCollection(COLLECTION, Mongo.byId(job.getString("tenantId"), job.getString("_id")).put("status", "RUNNING"),
      new JsonObject().put("$set", new JsonObject().put("done", job.getInteger("done")).put("applied", job.getInteger("applied"))
        .put("failed", job.getInteger("failed")).put("errors", job.getJsonArray("errors"))
        .put("leaseUntil", Mongo.date(Instant.now().plusMillis(LEASE_MS))))).mapEmpty();
  }

  /** Ends a RUNNING job (once: the status guards it) and gives its slot back; false when it had ended already. */
  Future<Boolean> finish(JsonObject job, String status, String failure) {
    JsonObject set = new JsonObject().put("status", status).put("done", job.getInteger("done")).put("applied", job.getInteger("applied"))
      .put("failed", job.getInteger("failed")).put("errors", job.getJsonArray("errors")).put("finishedAt", Mongo.now());
    if (failure != null) set.put("failure", failure);
    return mongo.updateCollection(COLLECTION, Mongo.byId(job.getString("tenantId"), job.getString("_id")).put("status", "RUNNING"),
        new JsonObject().put("$set", set).put("$unset", TenantSlots.released()))
      .map(updated -> updated != null && updated.getDocModified() == 1);
  }

  /** RUNNING jobs whose instance stopped moving their lease. */
  Future<List<JsonObject>> abandoned() {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("status", "RUNNING")
      .put("leaseUntil", new JsonObject().put("$lt", Mongo.date(Instant.now()))), new FindOptions().setLimit(100));
  }

  static JsonObject toApi(JsonObject doc) {
    JsonObject api = Mongo.toApi(doc);
    api.remove("leaseUntil");
    return api;
  }
}
