package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Fields;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;

/**
 * One queued write of a compensating unit ({@link Unit#queueInsert} and its kin), with the undo written ahead of it.
 *
 * @param step      the unit's step number (journal sequence); the write's identity is its undo's id
 * @param unmatched for a guarded shared update, what the unit fails with when it matched nothing; otherwise null
 */
record QueuedWrite(int step, UndoStep undo, Kind kind, String collection, JsonObject filter, JsonObject document,
                   boolean upsert, Throwable unmatched) {

  enum Kind { INSERT, COMPARE_AND_SET, SHARED }

  static QueuedWrite insert(int step, UndoStep undo, String collection, JsonObject document) {
    return new QueuedWrite(step, undo, Kind.INSERT, collection, null, document, false, null);
  }

  static QueuedWrite compareAndSet(int step, UndoStep undo, String collection, JsonObject filter, JsonObject update) {
    return new QueuedWrite(step, undo, Kind.COMPARE_AND_SET, collection, filter, update, false, null);
  }

  static QueuedWrite shared(int step, UndoStep undo, String collection, JsonObject filter, JsonObject markedUpdate,
                            boolean upsert, Throwable unmatched) {
    return new QueuedWrite(step, undo, Kind.SHARED, collection, filter, markedUpdate, upsert, unmatched);
  }

  BulkOperation operation() {
    return switch (kind) {
      case INSERT -> BulkOperation.createInsert(document);
      // the Vert.x client sends a bulk update's documents as JSON text, parsed back: amounts must say they are exact
      case COMPARE_AND_SET -> BulkOperation.createUpdate(Mongo.withExactDecimals(filter), Mongo.withExactDecimals(document), false, false);
      case SHARED -> BulkOperation.createUpdate(Mongo.withExactDecimals(filter), Mongo.withExactDecimals(document), upsert, false);
    };
  }

  /** The tenant of the written document (every filter and document carries it). */
  String tenantId() {
    return kind == Kind.INSERT ? document.getString(Fields.TENANT_ID) : filter.getString(Fields.TENANT_ID);
  }

  /** The written document's {@code _id}. */
  Object documentId() {
    return kind == Kind.INSERT ? document.getValue(Fields.ID) : filter.getValue(Fields.ID);
  }
}
