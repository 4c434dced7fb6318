package io.stockroom.webhook;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
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

  /** A followed tenant's cursor ({@code _id} is the tenant's id). */
  record Cursor(@Key("_id") String id, String tenantId, String position, Instant followedAt, Instant advancedAt) {
    static final String POSITION = "position";
    static final String FOLLOWED_AT = "followedAt";
    static final String ADVANCED_AT = "advancedAt";

    /** A new cursor of the tenant, at {@code position}, asked to follow at {@code now}. */
    static Cursor start(String tenantId, String position, Instant now) {
      return new Cursor(tenantId, tenantId, position, now, null);
    }

    static Cursor fromDocument(JsonObject doc) {
      return RecordCodec.fromDocument(Cursor.class, doc);
    }

    /** Whether the cursor was last asked to follow before {@code bound}: it may stop when no endpoint is left. */
    boolean followedBefore(Instant bound) {
      return !followedAt.isAfter(bound);
    }
  }

  private final MongoClient mongo;

  LedgerCursors(MongoClient mongo) {
    this.mongo = mongo;
  }

  /**
   * Follows the tenant's ledger from a little before {@code since} when it is not followed yet, and records when it
   * was (last) asked to, which keeps {@link #unfollow} from dropping a cursor an endpoint is being created for.
   */
  Future<Void> follow(String tenantId, Instant since) {
    JsonObject update = Ops.merge(
      Ops.setOnInsert(new JsonObject().put(Fields.TENANT_ID, tenantId).put(Cursor.POSITION, firstIdAt(since.minus(START_BEFORE)))),
      Ops.set(Cursor.FOLLOWED_AT, Mongo.now()));
    Future<Void> upserted = mongo.updateCollectionWithOptions(COLLECTION, Ops.where(Fields.ID, tenantId), update,
      new UpdateOptions().setUpsert(true)).mapEmpty();
    // two upserts of one new cursor at once: the one that lost the insert finds the document the second time
    return upserted.recover(err -> Mongo.isDuplicateKey(err)
      ? mongo.updateCollectionWithOptions(COLLECTION, Ops.where(Fields.ID, tenantId), update, new UpdateOptions().setUpsert(true)).mapEmpty()
      : Future.failedFuture(err));
  }

  /** Follows the tenant from a little before {@code since} unless it is followed already; true when it was not. */
  Future<Boolean> startIfAbsent(String tenantId, Instant since) {
    Cursor cursor = Cursor.start(tenantId, firstIdAt(since.minus(START_BEFORE)), Instant.now());
    return mongo.insert(COLLECTION, RecordCodec.toDocument(cursor)).map(true)
      .recover(err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** The cursors of the tenants after {@code afterTenantId} (null: from the first), in tenant id order, at most {@code limit}. */
  Future<List<Cursor>> after(String afterTenantId, int limit) {
    JsonObject filter = afterTenantId == null ? new JsonObject() : Ops.where(Fields.ID, Ops.gt(afterTenantId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(limit))
      .map(LedgerCursors::cursors);
  }

  /** The cursors of these tenants that are followed. */
  Future<List<Cursor>> of(List<String> tenantIds) {
    if (tenantIds.isEmpty()) return Future.succeededFuture(List.of());
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.ID, Ops.in(tenantIds)), new FindOptions().setLimit(tenantIds.size()))
      .map(LedgerCursors::cursors);
  }

  private static List<Cursor> cursors(List<JsonObject> docs) {
    return docs.stream().map(Cursor::fromDocument).toList();
  }

  /** The tenant's cursor document, or null when it is not followed. */
  Future<JsonObject> of(String tenantId) {
    return mongo.findOne(COLLECTION, Ops.where(Fields.ID, tenantId), null);
  }

  /** Moves the cursor from {@code from} on to {@code to}; false when it is no longer at {@code from} (another instance moved it). */
  Future<Boolean> advance(String tenantId, String from, String to) {
    JsonObject filter = Ops.where(Fields.ID, tenantId).put(Cursor.POSITION, from);
    return mongo.updateCollection(COLLECTION, filter, Ops.set(new JsonObject().put(Cursor.POSITION, to)
      .put(Cursor.ADVANCED_AT, Mongo.now()))).map(result -> result != null && result.getDocMatched() == 1);
  }

  /** Stops following the tenant, unless the cursor moved or was asked to follow again since it was read. */
  Future<Boolean> unfollow(Cursor cursor) {
    JsonObject filter = Ops.where(Fields.ID, cursor.id()).put(Cursor.POSITION, cursor.position())
      .put(Cursor.FOLLOWED_AT, Mongo.date(cursor.followedAt()));
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
