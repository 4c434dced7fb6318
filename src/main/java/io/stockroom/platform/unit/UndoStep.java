package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Mongo;
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
 * be applied again, and none deletes a document another unit may have written:
 * <ul>
 *   <li>{@link Kind#DELETE_INSERTED}: removes the document this unit inserted (a fresh id only it knows);</li>
 *   <li>{@link Kind#RESTORE}: puts back the fields and the version of a compare-and-set, only while the document
 *       still has the version this unit gave it (so restores of several writes to one document unwind in order); a
 *       repeat that finds the version already back recognises it is done;</li>
 *   <li>{@link Kind#REINSERT}: inserts a deleted document again (already there: done);</li>
 *   <li>{@link Kind#SHARED}: the reverse update of a shared document. The forward write set the step's marker
 *       ({@code pending.<unitId>-<step>}) on the document, and the undo applies only while that marker is there and
 *       removes it: applied at most once, and never for a forward write that did not happen.</li>
 * </ul>
 * Every kind is also safe to apply for a forward write that never happened, which the write-ahead {@link UnitJournal}
 * relies on after a crash.
 */
public record UndoStep(String id, Kind kind, String collection, JsonObject filter, JsonObject update, JsonObject document) {
  static final String PENDING = "pending";

  public enum Kind { DELETE_INSERTED, RESTORE, REINSERT, SHARED }

  public enum Outcome { DONE, CONFLICT }

  static UndoStep deleteInserted(String id, String collection, Object documentId) {
    return new UndoStep(id, Kind.DELETE_INSERTED, collection, new JsonObject().put("_id", documentId), null, null);
  }

  /** Reverses a compare-and-set that moved {@code before} (version v) to version v+1: back to v. */
  static UndoStep restore(String id, String collection, JsonObject before, JsonObject set, JsonObject unset) {
    long version = before.getLong("version", 0L);
    JsonObject restoreSet = new JsonObject().put("version", version);
    JsonObject restoreUnset = new JsonObject();
    for (String field : set.fieldNames()) {
      if (before.containsKey(field)) restoreSet.put(field, before.getValue(field));
      else restoreUnset.put(field, "");
    }
    if (unset != null) for (String field : unset.fieldNames()) {
      if (before.containsKey(field)) restoreSet.put(field, before.getValue(field));
    }
    JsonObject update = new JsonObject().put("$set", restoreSet);
    if (!restoreUnset.isEmpty()) update.put("$unset", restoreUnset);
    return new UndoStep(id, Kind.RESTORE, collection,
      new JsonObject().put("_id", before.getValue("_id")).put("version", version + 1), update, null);
  }

  static UndoStep reinsert(String id, String collection, JsonObject document) {
    return new UndoStep(id, Kind.REINSERT, collection, null, null, document);
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

  static UndoStep shared(String id, String collection, Object documentId, JsonObject undo) {
    return new UndoStep(id, Kind.SHARED, collection, new JsonObject().put("_id", documentId), undo, null);
  }

  /** Applies the undo; {@link Outcome#CONFLICT} when another write got there first and only a repair can decide. */
  public Future<Outcome> apply(MongoClient mongo) {
    return switch (kind) {
      case DELETE_INSERTED -> mongo.removeDocument(collection, filter).map(Outcome.DONE);
      case REINSERT -> mongo.insert(collection, document).map(Outcome.DONE)
        .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(Outcome.DONE) : Future.failedFuture(err));
      case RESTORE -> mongo.findOneAndUpdate(collection, filter, update).compose(updated -> updated != null
        ? Future.succeededFuture(Outcome.DONE)
        : mongo.findOne(collection, new JsonObject().put("_id", filter.getValue("_id")), new JsonObject().put("version", 1))
            .map(now -> now != null && update.getJsonObject("$set").getLong("version").equals(now.getLong("version"))
              ? Outcome.DONE : Outcome.CONFLICT));
      case SHARED -> applyShared(mongo);
    };
  }

  private Future<Outcome> applyShared(MongoClient mongo) {
    String stepMarker = marker(id);
    JsonObject settled = update.copy();
    settled.put("$unset", settled.getJsonObject("$unset", new JsonObject()).copy().put(stepMarker, ""));
    return mongo.findOneAndUpdateWithOptions(collection, filter.copy().put(stepMarker, true), settled, new FindOptions(),
      new UpdateOptions()).map(Outcome.DONE);
  }

  /** After the unit committed: the step's marker leaves the shared document (the change stays). Safe to repeat. */
  public Future<Void> settleShared(MongoClient mongo) {
    String stepMarker = marker(id);
    return mongo.updateCollection(collection, filter.copy().put(stepMarker, true),
      new JsonObject().put("$unset", new JsonObject().put(stepMarker, ""))).mapEmpty();
  }

  /** Stored in the repair journal; operators ({@code $set}, {@code $date}) travel as encoded text. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("kind", kind.name()).put("collection", collection)
      .put("filter", encode(filter)).put("update", encode(update)).put("document", encode(document));
  }

  public static UndoStep fromJson(JsonObject json) {
    return new UndoStep(json.getString("id"), Kind.valueOf(json.getString("kind")), json.getString("collection"),
      decode(json.getString("filter")), decode(json.getString("update")), decode(json.getString("document")));
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
