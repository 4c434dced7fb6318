package io.stockroom.platform.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * The MongoDB calls a unit of work's steps make, each bounded on the server by the unit's deadline: its operation
 * timeout, which the driver sends as {@code maxTimeMS}, is what is left until the deadline ({@link #serverLimitMs}). A
 * step may start late (after a wait for locks, after earlier steps), and must still end before its caller gives up.
 *
 * <p>Failure modes: those of the Vert.x client's calls of the same name (a duplicate key on insert, a storage failure),
 * plus the driver's operation timeout once the deadline passes.
 */
public interface DeadlineCalls {
  /** The least a call is given, however close its deadline: enough for a round trip, so a late step fails by itself. */
  long MIN_SERVER_LIMIT_MS = 50;
  /** Rows per batch of an aggregation's cursor: a few round trips for a page of groups. */
  int AGGREGATE_BATCH = 5_000;

  /**
   * What a call with {@code deadline} (epoch ms) may take at {@code now}: what is left, at least
   * {@link #MIN_SERVER_LIMIT_MS}, at most {@code capMs} (the client's own {@code mongo.timeoutMs}).
   */
  static long serverLimitMs(long deadline, long capMs, long now) {
    return Math.min(capMs, Math.max(MIN_SERVER_LIMIT_MS, deadline - now));
  }

  /**
   * Deadline-bound calls over {@code mongo}: on the driver when it is the process's client ({@link Storage#mongo}); a
   * client made otherwise (a test's own) keeps its own fixed limits.
   */
  static DeadlineCalls of(MongoClient mongo) {
    return mongo instanceof SharedMongoClient shared ? new DriverDeadlineCalls(shared) : new FixedLimitCalls(mongo);
  }

  /** Inserts {@code document} (carrying its {@code _id}). */
  Future<Void> insert(long deadline, String collection, JsonObject document);

  /**
   * Applies {@code update} to the first document matching {@code filter} (or inserts it, with {@code upsert}).
   *
   * @param fields the fields to answer, or null for all
   * @return the document after the update, or null when nothing matched
   */
  Future<JsonObject> findOneAndUpdate(long deadline, String collection, JsonObject filter, JsonObject update,
                                      JsonObject fields, boolean upsert);

  /** Deletes the first document matching {@code filter}; true when one was deleted. */
  Future<Boolean> deleteOne(long deadline, String collection, JsonObject filter);

  /** The documents matching {@code filter}, with {@code fields} only (null for all). */
  Future<List<JsonObject>> find(long deadline, String collection, JsonObject filter, JsonObject fields);

  /** What {@code pipeline} answers over {@code collection}, all its rows (a caller's grouping, bounded by what it groups). */
  Future<List<JsonObject>> aggregate(long deadline, String collection, JsonArray pipeline);
}
