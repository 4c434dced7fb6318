package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.stream.Collectors;
import java.util.Set;
import java.util.HashSet;
import java.util.Collection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The repair journal: a unit whose undo could not finish is recorded here with the undo steps still pending and the
 * variants it touched, never silently dropped. The audit lists a tenant's entries; {@link #retryPending} applies the
 * pending steps again (they are idempotent) and removes an entry once all of them are done.
 */
public final class UnitRepairs {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UnitRepairs.class);
  public static final String COLLECTION = "unit_repairs";
  static final String VARIANT_IDS = "variantIds";
  static final String PENDING = "pending";
  /** Where a unit whose undo could not finish is recorded, as the runners' log lines say it. */
  static final String RECORDED_FOR_REPAIR = "recorded in " + COLLECTION + " for repair";

  /** An entry: {_id: unitId, tenantId, unit, variantIds, pending: [undo step], cause, createdAt}. */
  record RepairEntry(@Key("_id") String unitId, String tenantId, String unit, List<String> variantIds,
                     List<UndoStep.Stored> pending, String cause, Instant createdAt) {
    List<UndoStep> pendingSteps() {
      return pending.stream().map(UndoStep.Stored::step).toList();
    }

    /** As the audit lists it. */
    RepairView view() {
      return new RepairView(unitId, unit, variantIds, pending.size(), DRIVER_DATE.format(OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC)));
    }
  }

  /** An entry as the audit lists it: {unitId, unit, variantIds, pendingSteps, createdAt}. */
  record RepairView(String unitId, String unit, List<String> variantIds, int pendingSteps, String createdAt) {
  }

  /**
   * The text the audit has always shown for {@code createdAt}: the date as the MongoDB client reads it back (ISO-8601
   * with as many fraction digits as needed), not the three-digit form of other answers.
   */
  private static final DateTimeFormatter DRIVER_DATE = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private final MongoClient mongo;

  public UnitRepairs(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> record(String unitId, String unitName, String tenantId, List<String> subjects, List<UndoStep> pending,
                      Throwable cause) {
    RepairEntry entry = new RepairEntry(unitId, tenantId, unitName, subjects, pending.stream().map(UndoStep::stored).toList(),
      String.valueOf(cause), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    JsonObject document = RecordCodec.toDocument(entry);
    return mongo.save(COLLECTION, document).<Void>mapEmpty()
      .onFailure(err -> LOG.error("Unit {} of tenant {} could not be recorded for repair; pending steps: {}", unitId, tenantId,
        document.getJsonArray(PENDING), err));
  }

  /** The tenant's open repair entries: {unitId, unit, variantIds, pendingSteps, createdAt}. */
  public Future<JsonArray> forTenant(String tenantId) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId),
        new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(1000))
      .map(entries -> {
        JsonArray out = new JsonArray();
        entries.forEach(e -> out.add(RecordCodec.toApi(RecordCodec.fromDocument(RepairEntry.class, e).view())));
        return out;
      });
  }

  /**
   * The units among {@code unitIds} that have an entry (one query, only ids): see {@code UnitSettlement}, which asks
   * after the journal.
   */
  public Future<Set<String>> unitIdsAmong(Collection<String> unitIds) {
    JsonObject idsIn = Ops.where(Fields.ID, Ops.in(List.copyOf(new HashSet<>(unitIds))));
    return mongo.findWithOptions(COLLECTION, idsIn, new FindOptions().setFields(Ops.only(Fields.ID)).setLimit(unitIds.size()))
      .map(docs -> docs.stream().map(doc -> doc.getString(Fields.ID)).collect(Collectors.toSet()));
  }

  /**
   * One page of entries (id, tenant and variants) in {@code _id} order after {@code afterId} (null: from the first),
   * for the background retry.
   */
  public Future<List<JsonObject>> entries(String afterId, int limit) {
    JsonObject filter = afterId == null ? new JsonObject() : Ops.where(Fields.ID, Ops.gt(afterId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(limit)
      .setFields(Ops.only(Fields.TENANT_ID, VARIANT_IDS)));
  }

  /**
   * Applies the pending steps of one entry again; the entry goes when all are done, and keeps the ones that still
   * fail or conflict otherwise.
   */
  public Future<Boolean> retryPending(String unitId) {
    return mongo.findOne(COLLECTION, Ops.where(Fields.ID, unitId), null).compose(found -> {
      if (found == null) return Future.succeededFuture(true);
      RepairEntry entry = RecordCodec.fromDocument(RepairEntry.class, found);
      return UndoStep.applyEach(entry.pendingSteps(), step -> step.apply(mongo))
        .compose(stillPending -> stillPending.isEmpty()
          ? mongo.removeDocument(COLLECTION, Ops.where(Fields.ID, unitId)).map(true)
          : mongo.updateCollection(COLLECTION, Ops.where(Fields.ID, unitId),
              Ops.set(PENDING, new JsonArray(stillPending.stream().map(UndoStep::toJson).toList()))).map(false));
    });
  }
}
