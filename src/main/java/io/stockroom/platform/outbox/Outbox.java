package io.stockroom.platform.outbox;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.unit.Unit;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * Events recorded durably inside the unit of work whose change they describe ({@code outbox}: {_id, tenantId, unitId,
 * type, data, occurredAt}): the document is one more write of the unit, so it exists if and only if the unit
 * committed. Consumers (webhooks) read it, act, and remove it.
 *
 * <p>Without transactions a unit's writes are visible before it ends and a failed unit deletes them again, so a
 * consumer must not act on an event whose unit may still roll back: {@link #committed} is true only once the unit has
 * no write-ahead journal entry and no repair record and the event still exists after that check (a rolled-back unit
 * deletes its events before its journal entry goes).
 */
public final class Outbox {
  public static final String COLLECTION = "outbox";

  private final MongoClient mongo;

  public Outbox(MongoClient mongo) {
    this.mongo = mongo;
  }

  public static Future<Void> createIndexes(MongoClient mongo) {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("occurredAt", 1), new IndexOptions().name("occurred")).mapEmpty();
  }

  /** Inside a unit: records an event of {@code type} for the tenant; it leaves the outbox with the unit if the unit fails. */
  public static Future<Void> record(Unit unit, String tenantId, String type, JsonObject data) {
    return unit.insert(COLLECTION, new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("unitId", unit.id())
      .put("type", type).put("data", data).put("occurredAt", Mongo.now()));
  }

  /** The oldest events, at most {@code limit}, committed or not (see {@link #committed}). */
  public Future<List<JsonObject>> oldest(int limit) {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(limit));
  }

  /** Whether the event's unit committed (false while it runs, rolls back or waits for repair, and once it is gone). */
  public Future<Boolean> committed(JsonObject event) {
    String unitId = event.getString("unitId");
    return Future.all(mongo.findOne(UnitJournal.COLLECTION, new JsonObject().put("_id", unitId), new JsonObject().put("_id", 1)),
        mongo.findOne(UnitRepairs.COLLECTION, new JsonObject().put("_id", unitId), new JsonObject().put("_id", 1)))
      .compose(pending -> pending.resultAt(0) != null || pending.resultAt(1) != null
        ? Future.succeededFuture(false)
        : mongo.findOne(COLLECTION, new JsonObject().put("_id", event.getString("_id")), new JsonObject().put("_id", 1)).map(still -> still != null));
  }

  /** The event was handed on; it leaves the outbox. */
  public Future<Void> remove(String eventId) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", eventId)).mapEmpty();
  }
}
