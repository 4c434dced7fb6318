package io.stockroom.platform.unit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The writes of one all-or-nothing unit of work. Business code issues its steps through this interface one after
 * another (never concurrently; loops go through {@link Steps}) and does not know whether a transaction or
 * compensation makes them atomic. Every write knows its own undo, and an undo reverses only this unit's change.
 */
public interface Unit {

  /** Identifies this unit in logs, the repair journal and its shared-document undo markers. */
  String id();

  /** Inserts a new document (it must carry a fresh {@code _id}). Undone by deleting that {@code _id}. */
  Future<Void> insert(String collection, JsonObject document);

  /**
   * Compare-and-set on a document read under the lock: applies {@code set} (and removes {@code unset} fields) only if
   * the document still has the {@code version} it was read with, and moves the version on by one.
   *
   * @param before the document as read under the lock, with its {@code _id}, {@code tenantId} and {@code version}
   * @param guard  further conditions on the stored document (e.g. {@code {status: "DRAFT"}}), or null
   * @return the document after the change, or null when the document changed since it was read (nothing written)
   */
  Future<JsonObject> compareAndSet(String collection, JsonObject before, JsonObject guard, JsonObject set, JsonObject unset);

  /** Deletes a document read under the lock, if it still has that {@code version}; false when it changed. */
  Future<Boolean> delete(String collection, JsonObject before);

  /**
   * Changes a document that other units write at the same time (rollups and counters): {@code update} is applied to
   * the document matching {@code filter} (created with {@code upsert}), and {@code undo} reverses exactly this change
   * (commutative {@code $inc}, or entries only this unit's locks cover). The undo is applied at most once and never
   * deletes the document.
   *
   * @return {@code {_id}} of the changed document (shared documents can be large, so nothing more), or null when
   *         nothing matched (and no upsert)
   */
  Future<JsonObject> updateShared(String collection, JsonObject filter, JsonObject update, JsonObject undo, boolean upsert);

  // Queued writes: the runner may hold them and write them later, together with this unit's other queued writes and
  // with other units' (at the latest before the unit commits), which saves round trips. Only for writes whose outcome
  // the work does not decide on: each one that fails fails the whole unit. Writes to one document keep their order
  // (an immediate write sends the queued writes to its document first). The defaults write at once.

  /** {@link #insert} of a document that cannot be refused: a fresh {@code _id} and no other unique key at stake. */
  default Future<Void> queueInsert(String collection, JsonObject document) {
    return insert(collection, document);
  }

  /**
   * {@link #compareAndSet} without further guard, answering the document as it will be; the unit fails with 409 if the
   * document turns out to have changed since it was read under the lock.
   */
  default Future<JsonObject> queueCompareAndSet(String collection, JsonObject before, JsonObject set, JsonObject unset) {
    return compareAndSet(collection, before, null, set, unset).compose(after -> after != null ? Future.succeededFuture(after)
      : Future.failedFuture(CompareAndSet.changed(collection, before)));
  }

  /**
   * {@link #updateShared} whose result the work does not need; when it matches nothing (and does not upsert) the unit
   * fails with {@code unmatched}.
   */
  default Future<Void> queueUpdateShared(String collection, JsonObject filter, JsonObject update, JsonObject undo,
                                         boolean upsert, Throwable unmatched) {
    return updateShared(collection, filter, update, undo, upsert)
      .compose(after -> after != null ? Future.<Void>succeededFuture() : Future.failedFuture(unmatched));
  }
}
