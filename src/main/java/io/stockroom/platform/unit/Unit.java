package io.stockroom.platform.unit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The writes of one all-or-nothing unit of work. Business code issues its steps through this interface, in order
 * (never concurrently), and does not know whether a transaction or compensation makes them atomic.
 */
public interface Unit {

  /** Inserts a document (it must carry its {@code _id}). Undone by deleting it. */
  Future<Void> insert(String collection, JsonObject document);

  /**
   * Updates the one document matching {@code filter} (a guard such as {@code stock >= q} or {@code version == v})
   * and returns it as it is after the update, or null when the guard matched nothing (no change, nothing to undo).
   *
   * @param undo the update that reverses this one when applied to the same {@code _id} (used without transactions)
   */
  Future<JsonObject> update(String collection, JsonObject filter, JsonObject update, JsonObject undo);

  /** Deletes the document {@code document} (as read, with its {@code _id}). Undone by inserting it again. */
  Future<Void> delete(String collection, JsonObject document);

  /**
   * Adds {@code increments} (numeric fields) to the document {@code _id}, creating it with {@code onInsert} first
   * if it does not exist (rollup counters). Undone by subtracting again, or by deleting a document it created.
   */
  Future<Void> increment(String collection, String id, JsonObject increments, JsonObject onInsert);
}
