package io.stockroom.bulk;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.ScopedCollection;
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
  public static final String SLOTS = "import_slots";
  static final int MAX_ERRORS = 1_000;
  static final long LEASE_MS = 60_000;

  public ImportJobs(MongoClient mongo) {
    super(mongo, COLLECTION, "Import");
  }

  /**
   * Takes one of the tenant's {@code max} running-import slots ({@code import_slots}, {@code _id: tenantId}), by a
   * guarded increment: false when all are taken (also when several requests race for the last one).
   */
  Future<Boolean> takeSlot(String tenantId, int max) {
    JsonObject filter = new JsonObject().put("_id", tenantId).put("running", new JsonObject().put("$lt", max));
    return mongo.findOneAndUpdateWithOptions(SLOTS, filter, new JsonObject().put("$inc", new JsonObject().put("running", 1)),
        new FindOptions(), new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
      .map(slot -> slot != null)
      .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  Future<Void> releaseSlot(String tenantId) {
    return mongo.updateCollection(SLOTS, new JsonObject().put("_id", tenantId).put("running", new JsonObject().put("$gt", 0)),
      new JsonObject().put("$inc", new JsonObject().put("running", -1))).mapEmpty();
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
        new JsonObject().put("$set", set))
      .compose(updated -> updated != null && updated.getDocModified() == 1
        ? releaseSlot(job.getString("tenantId")).map(true)
        : Future.succeededFuture(false));
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
