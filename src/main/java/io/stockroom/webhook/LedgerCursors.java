package io.stockroom.webhook;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where webhooks stand in each followed tenant's ledger ({@code webhook_cursors}: {_id: tenantId, tenantId, position,
 * followedAt, advancedAt?}, one small document per tenant with an active endpoint): every movement with an id up to
 * {@code position} was handled for good; those after it are still looked at. Only the webhook package writes it: an
 * endpoint created or turned on follows its tenant, and the dispatcher advances and drops cursors, each by
 * compare-and-set, so instances running at once never move a cursor back.
 */
public final class LedgerCursors {
  public static final String COLLECTION = "webhook_cursors";
  /**
   * How long before an endpoint's creation a newly followed tenant's ledger is read from: a movement's id is made a
   * moment before its {@code createdAt}, and may fall in the second before (older events are filtered out by time).
   */
  static final Duration START_BEFORE = Duration.ofSeconds(2);

  private final MongoClient mongo;

  LedgerCursors(MongoClient mongo) {
    this.mongo = mongo;
  }

  /**
   * Follows the tenant's ledger from a little before {@code since} when it is not followed yet, and records when it
   * was (last) asked to, which keeps {@link #unfollow} from dropping a cursor an endpoint is being created for.
   */
  Future<Void> follow(String tenantId, Instant since) {
    JsonObject update = new JsonObject()
      .put("$setOnInsert", new JsonObject().put("tenantId", tenantId).put("position", firstIdAt(since.minus(START_BEFORE))))
      .put("$set", new JsonObject().put("followedAt", Mongo.now()));
    Future<Void> upserted = mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", tenantId), update,
      new UpdateOptions().setUpsert(true)).mapEmpty();
    // two upserts of one new cursor at once: the one that lost the insert finds the document the second time
    return upserted.recover(err -> Mongo.isDuplicateKey(err)
      ? mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", tenantId), update, new UpdateOptions().setUpsert(true)).mapEmpty()
      : Future.failedFuture(err));
  }

  /** Follows the tenant from a little before {@code since} unless it is followed already; true when it was not. */
  Future<Boolean> startIfAbsent(String tenantId, Instant since) {
    JsonObject cursor = new JsonObject().put("_id", tenantId).put("tenantId", tenantId)
      .put("position", firstIdAt(since.minus(START_BEFORE))).put("followedAt", Mongo.now());
    return mongo.insert(COLLECTION, cursor).map(true)
      .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** The cursors of the tenants after {@code afterTenantId} (null: from the first), in tenant id order, at most {@code limit}. */
  Future<List<JsonObject>> after(String afterTenantId, int limit) {
    JsonObject filter = afterTenantId == null ? new JsonObject() : new JsonObject().put("_id", new JsonObject().put("$gt", afterTenantId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(limit));
  }

  /** The cursors of these tenants that are followed. */
  Future<List<JsonObject>> of(List<String> tenantIds) {
    if (tenantIds.isEmpty()) return Future.succeededFuture(List.of());
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(tenantIds))),
      new FindOptions().setLimit(tenantIds.size()));
  }

  /** The tenant's cursor, or null when it is not followed. */
  Future<JsonObject> of(String tenantId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", tenantId), null);
  }

  /** Moves the cursor from {@code from} on to {@code to}; false when it is no longer at {@code from} (another instance moved it). */
  Future<Boolean> advance(String tenantId, String from, String to) {
    JsonObject filter = new JsonObject().put("_id", tenantId).put("position", from);
    return mongo.updateCollection(COLLECTION, filter, new JsonObject().put("$set", new JsonObject().put("position", to)
      .put("advancedAt", Mongo.now()))).map(result -> result != null && result.getDocMatched() == 1);
  }

  /** Stops following the tenant, unless the cursor moved or was asked to follow again since it was read. */
  Future<Boolean> unfollow(JsonObject cursor) {
    JsonObject filter = new JsonObject().put("_id", cursor.getString("_id")).put("position", cursor.getString("position"))
      .put("followedAt", cursor.getJsonObject("followedAt"));
    return mongo.removeDocuments(COLLECTION, filter).map(result -> result != null && result.getRemovedCount() == 1);
  }

  /** The smallest id made in the second of {@code at}: every id below it was made before that second. */
  static String firstIdAt(Instant at) {
    return Mongo.idAt(Math.max(0, at.getEpochSecond()));
  }

  /** The largest id made before the second of {@code at}. */
  static String lastIdBefore(Instant at) {
    return at.getEpochSecond() <= 0 ? firstIdAt(at) : String.format("%08x", at.getEpochSecond() - 1) + "ffffffffffffffff";
  }
}
