package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * The repair journal: a unit whose undo could not finish is recorded here with the undo steps still pending and the
 * variants it touched, never silently dropped. The audit lists a tenant's entries; {@link #retryPending} applies the
 * pending steps again (they are idempotent) and removes an entry once all of them are done.
 */
public final class UnitRepairs {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UnitRepairs.class);
  public static final String COLLECTION = "unit_repairs";

  private final MongoClient mongo;

  public UnitRepairs(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> record(String unitId, String unitName, String tenantId, List<String> subjects, List<UndoStep> pending,
                      Throwable cause) {
    JsonArray steps = new JsonArray();
    pending.forEach(step -> steps.add(step.toJson()));
    JsonObject entry = new JsonObject().put("_id", unitId).put("tenantId", tenantId).put("unit", unitName)
      .put("variantIds", new JsonArray(subjects)).put("pending", steps)
      .put("cause", String.valueOf(cause)).put("createdAt", io.stockroom.platform.mongo.Mongo.now());
    return mongo.save(COLLECTION, entry).<Void>mapEmpty()
      .onFailure(err -> LOG.error("Unit {} of tenant {} could not be recorded for repair; pending steps: {}", unitId, tenantId, steps, err));
  }

  /** The tenant's open repair entries: {unitId, unit, variantIds, pendingSteps, createdAt}. */
  public Future<JsonArray> forTenant(String tenantId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("tenantId", tenantId),
        new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(1000))
      .map(entries -> {
        JsonArray out = new JsonArray();
        entries.forEach(e -> out.add(new JsonObject().put("unitId", e.getString("_id")).put("unit", e.getString("unit"))
          .put("variantIds", e.getJsonArray("variantIds")).put("pendingSteps", e.getJsonArray("pending").size())
          .put("createdAt", e.getJsonObject("createdAt").getString("$date"))));
        return out;
      });
  }

  /**
   * One page of entries (id, tenant and variants) in {@code _id} order after {@code afterId} (null: from the first),
   * for the background retry.
   */
  public Future<List<JsonObject>> entries(String afterId, int limit) {
    JsonObject filter = afterId == null ? new JsonObject() : new JsonObject().put("_id", new JsonObject().put("$gt", afterId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(limit)
      .setFields(new JsonObject().put("tenantId", 1).put("variantIds", 1)));
  }

  /**
   * Applies the pending steps of one entry again; the entry goes when all are done, and keeps the ones that still
   * fail or conflict otherwise.
   */
  public Future<Boolean> retryPending(String unitId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", unitId), null).compose(entry -> {
      if (entry == null) return Future.succeededFuture(true);
      return UndoStep.applyEach(UndoStep.fromJson(entry.getJsonArray("pending")), step -> step.apply(mongo))
        .compose(stillPending -> stillPending.isEmpty()
          ? mongo.removeDocument(COLLECTION, new JsonObject().put("_id", unitId)).map(true)
          : mongo.updateCollection(COLLECTION, new JsonObject().put("_id", unitId), new JsonObject().put("$set",
              new JsonObject().put("pending", new JsonArray(stillPending.stream().map(UndoStep::toJson).toList())))).map(false));
    });
  }
}
