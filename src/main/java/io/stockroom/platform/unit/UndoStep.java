package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How to reverse one write of a compensating unit. Every kind is idempotent, so a step whose outcome was unknown can
 * be applied again (applying it twice changes nothing), and none deletes a document another unit may have written:
 * <ul>
 *   <li>{@link Kind#DELETE_INSERTED}: removes the document this unit inserted (a fresh id only it knows);</li>
 *   <li>{@link Kind#RESTORE}: puts back the fields (and the write identity) a compare-and-set changed, pinned to that
 *       write's identity ({@code writtenBy = unitId:step}); the version moves forward, never back, and the undo's own
 *       identity ({@code unitId:step~}) joins the document's {@code recentWrites}. Restores of several writes to one
 *       document unwind last first, each handing the document back to the identity the next one is pinned to. When
 *       nothing matches, the document tells why (see {@link #unmatchedRestore});</li>
 *   <li>{@link Kind#REINSERT}: inserts a deleted document again, one version on (already there: done);</li>
 *   <li>{@link Kind#SHARED}: the reverse update of a shared document. The forward write set the step's marker
 *       ({@code pending.<unitId>-<step>}) on the document, and the undo applies only while that marker is there and
 *       removes it: applied at most once, and never for a forward write that did not happen.</li>
 * </ul>
 * Every kind is also safe to apply for a forward write that never happened, which the write-ahead {@link UnitJournal}
 * relies on after a crash.
 *
 * @param id      the identity of the forward write ({@code unitId:step})
 * @param fence   the fencing token the forward write was made with, or null
 * @param version for a restore, the version the forward write was pinned to; otherwise null
 */
public record UndoStep(String id, Kind kind, String collection, JsonObject filter, JsonObject update, JsonObject document,
                       Long fence, Long version) {
  static final String PENDING = "pending";

  public enum Kind { DELETE_INSERTED, RESTORE, REINSERT, SHARED }

  public enum Outcome { DONE, CONFLICT }

  static UndoStep deleteInserted(String id, String collection, JsonObject document) {
    return new UndoStep(id, Kind.DELETE_INSERTED, collection, key(document), null, null, null, null);
  }

  /**
   * What every undo filter pins a document by: its {@code _id} and, for tenant data, its {@code tenantId} (so that a
   * cluster sharded by tenant sends the undo to one shard).
   */
  static JsonObject key(JsonObject document) {
    JsonObject key = Ops.where(Fields.ID, document.getValue(Fields.ID));
    if (document.containsKey(Fields.TENANT_ID)) key.put(Fields.TENANT_ID, document.getValue(Fields.TENANT_ID));
    return key;
  }

  /** Reverses the compare-and-set {@code id} that moved {@code before} on (see {@link CompareAndSet}). */
  static UndoStep restore(String id, String collection, JsonObject before, JsonObject set, JsonObject unset, Long fence) {
    return restore(id, collection, before, set, unset, fence, false);
  }

  /**
   * @param withFence also gives back the fence the document had: only for rerun mode's rehearsal, which, like an
   *                  aborted transaction, must leave the document exactly as its reruns will read it (every other undo
   *                  keeps the fence raised, so that no older holder writes the document again)
   */
  static UndoStep restore(String id, String collection, JsonObject before, JsonObject set, JsonObject unset, Long fence,
                          boolean withFence) {
    JsonObject restoreSet = new JsonObject();
    JsonObject restoreUnset = new JsonObject();
    for (String field : set.fieldNames()) {
      if (before.containsKey(field)) restoreSet.put(field, before.getValue(field));
      else restoreUnset.put(field, "");
    }
    if (unset != null) for (String field : unset.fieldNames()) {
      if (before.containsKey(field)) restoreSet.put(field, before.getValue(field));
    }
    if (before.containsKey(CompareAndSet.WRITTEN_BY)) restoreSet.put(CompareAndSet.WRITTEN_BY, before.getValue(CompareAndSet.WRITTEN_BY));
    else restoreUnset.put(CompareAndSet.WRITTEN_BY, "");
    if (withFence && before.containsKey(CompareAndSet.FENCE)) restoreSet.put(CompareAndSet.FENCE, before.getValue(CompareAndSet.FENCE));
    else if (withFence) restoreUnset.put(CompareAndSet.FENCE, "");
    JsonObject update = Ops.merge(Ops.inc(Fields.VERSION, 1L), CompareAndSet.recorded(undoId(id)));
    if (!restoreSet.isEmpty()) update = Ops.merge(update, Ops.set(restoreSet));
    if (!restoreUnset.isEmpty()) update = Ops.merge(update, Ops.unset(restoreUnset.fieldNames().toArray(String[]::new)));
    return new UndoStep(id, Kind.RESTORE, collection, key(before).put(CompareAndSet.WRITTEN_BY, id), update, null, fence,
      before.getLong(Fields.VERSION, 0L));
  }

  /** The identity an applied restore of write {@code writeId} leaves in the document's recent writes. */
  static String undoId(String writeId) {
    return writeId + "~";
  }

  /** Reverses the delete {@code id} of {@code before}: the document comes back one version on. */
  static UndoStep reinsert(String id, String collection, JsonObject before) {
    JsonObject document = before.copy().put(Fields.VERSION, before.getLong(Fields.VERSION, 0L) + 1);
    return new UndoStep(id, Kind.REINSERT, collection, null, null, document, null, null);
  }

  /** The id of the document this step gives back. */
  public Object documentId() {
    return kind == Kind.REINSERT ? document.getValue(Fields.ID) : filter.getValue(Fields.ID);
  }

  /**
   * The field marking a shared document as changed by step {@code stepId} ({@code unitId:step}) and not yet settled:
   * one per step, since one unit may change the same document several times.
   */
  public static String marker(String stepId) {
    return PENDING + "." + markerKey(stepId);
  }

  /** The marker's key inside the {@code pending} object. */
  static String markerKey(String stepId) {
    return stepId.replace(':', '-');
  }

  /** @param filter the forward write's filter: its {@code _id} and {@code tenantId} pin the undo */
  static UndoStep shared(String id, String collection, JsonObject filter, JsonObject undo) {
    return new UndoStep(id, Kind.SHARED, collection, key(filter), undo, null, null, null);
  }

  /** Applies the undo; {@link Outcome#CONFLICT} when another write got there first and only a repair can decide. */
  public Future<Outcome> apply(MongoClient mongo) {
    return apply(mongo, null);
  }

  /**
   * Applies the undo; a restore also raises the document's fence to {@code fence} (when given, and never lowers it),
   * so that no holder with an older token writes the document afterwards.
   */
  public Future<Outcome> apply(MongoClient mongo, Long fence) {
    JsonObject update = fence == null || kind != Kind.RESTORE ? this.update
      : Ops.merge(this.update.copy(), Ops.max(CompareAndSet.FENCE, fence));
    return switch (kind) {
      case DELETE_INSERTED -> mongo.removeDocument(collection, filter).map(Outcome.DONE);
      case REINSERT -> mongo.insert(collection, document).map(Outcome.DONE)
        .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(Outcome.DONE) : Future.failedFuture(err));
      case RESTORE -> mongo.findOneAndUpdate(collection, filter, update).compose(updated -> updated != null
        ? Future.succeededFuture(Outcome.DONE)
        : mongo.findOne(collection, key(filter), Ops.only(Fields.VERSION, CompareAndSet.WRITTEN_BY, CompareAndSet.FENCE, CompareAndSet.RECENT))
            .map(this::unmatchedRestore));
      case SHARED -> applyShared(mongo);
    };
  }

  /**
   * Why a restore matched nothing, from the document as it is now: a later step of this unit still there (not done
   * yet: its own undo goes first); an earlier step of this unit there, or this undo among the recent writes (done); the
   * write among the recent writes (it applied and another unit wrote over it: a conflict only a repair can decide);
   * the write not among them although they cover every write since its version (it never applied: done). Past that
   * window a newer lock holder's fence on the document makes it a conflict, else it is done; without a fence to go by,
   * a conflict.
   */
  private Outcome unmatchedRestore(JsonObject now) {
    if (now == null) return Outcome.CONFLICT;
    String unitId = CompareAndSet.unitOf(id);
    int writtenStep = CompareAndSet.stepOf(now.getString(CompareAndSet.WRITTEN_BY), unitId);
    int step = CompareAndSet.stepOf(id, unitId);
    if (writtenStep > step) return Outcome.CONFLICT;
    if (writtenStep >= 0) return Outcome.DONE;
    JsonArray recent = now.getJsonArray(CompareAndSet.RECENT, new JsonArray());
    if (recent.contains(undoId(id))) return Outcome.DONE;
    if (recent.contains(id)) return Outcome.CONFLICT;
    if (CompareAndSet.coversSince(now, version)) return Outcome.DONE;
    if (fence == null) return Outcome.CONFLICT;  // nothing more to go by (a document no lock guards, a step from before fencing)
    Long recorded = now.getLong(CompareAndSet.FENCE);
    return recorded != null && recorded > fence ? Outcome.CONFLICT : Outcome.DONE;
  }

  private Future<Outcome> applyShared(MongoClient mongo) {
    String stepMarker = marker(id);
    JsonObject settled = Ops.merge(update.copy(), Ops.unset(stepMarker));
    return mongo.findOneAndUpdateWithOptions(collection, filter.copy().put(stepMarker, true), settled, new FindOptions(),
      new UpdateOptions()).map(Outcome.DONE);
  }

  /** After the unit committed: the step's marker leaves the shared document (the change stays). Safe to repeat. */
  public Future<Void> settleShared(MongoClient mongo) {
    String stepMarker = marker(id);
    return mongo.updateCollection(collection, filter.copy().put(stepMarker, true), Ops.unset(stepMarker)).mapEmpty();
  }

  /**
   * An undo step as the unit journal and the repair journal store it: its filter, update and document travel as
   * encoded JSON text, so that their operators ({@code $set}, {@code $date}) are kept as they are.
   */
  public record Stored(String id, Kind kind, String collection, String filter, String update, String document, Long fence,
                       Long version) {
    static Stored of(UndoStep step) {
      return new Stored(step.id(), step.kind(), step.collection(), encode(step.filter()), encode(step.update()),
        encode(step.document()), step.fence(), step.version());
    }

    UndoStep step() {
      return new UndoStep(id, kind, collection, decode(filter), decode(update), decode(document), fence, version);
    }
  }

  /** This step in its stored form. */
  public Stored stored() {
    return Stored.of(this);
  }

  /** Stored in the repair journal; operators ({@code $set}, {@code $date}) travel as encoded text. */
  public JsonObject toJson() {
    return RecordCodec.toDocument(stored());
  }

  public static UndoStep fromJson(JsonObject json) {
    return RecordCodec.fromDocument(Stored.class, json).step();
  }

  /** Steps stored as a JSON array (unit journal, repair journal), in their stored order. */
  public static List<UndoStep> fromJson(JsonArray steps) {
    return steps.stream().map(step -> fromJson((JsonObject) step)).toList();
  }

  /**
   * Applies each step in the given order; one that fails or conflicts does not stop the others.
   *
   * @return the steps that are not done, in that order
   */
  public static Future<List<UndoStep>> applyEach(List<UndoStep> steps, Function<UndoStep, Future<Outcome>> apply) {
    List<UndoStep> notDone = new ArrayList<>();
    return Steps.each(steps, step -> apply.apply(step)
        .map(outcome -> outcome == Outcome.DONE ? null : notDone.add(step))
        .otherwise(err -> notDone.add(step)))
      .map(v -> notDone);
  }

  private static String encode(JsonObject json) {
    return json == null ? null : json.encode();
  }

  private static JsonObject decode(String text) {
    return text == null ? null : new JsonObject(text);
  }
}
