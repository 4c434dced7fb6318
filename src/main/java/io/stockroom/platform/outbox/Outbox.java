package io.stockroom.platform.outbox;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Events recorded durably inside the unit of work whose change they describe, for the changes the stock ledger has no
 * entry for ({@code outbox}: {_id, tenantId, unitId, type, data, occurredAt}): a variant crossing its low-stock level
 * because its reorder level or a purchase order's incoming units changed. Stock events are not recorded here: the
 * ledger's movements carry them (older releases did write them here, and they are still handed on). The document is
 * one more write of the unit, so it exists if and only if the unit committed. Consumers (webhooks) read it, act, and
 * remove it.
 *
 * <p>Without transactions a unit's writes are visible before it ends and a failed unit deletes them again, so a
 * consumer must not act on an event whose unit may still roll back: {@link #committedAmong} answers only events whose
 * unit settled ({@link UnitSettlement}) and that still exist after that check (a rolled-back unit deletes its events
 * before its journal entry goes).
 */
public final class Outbox {
  public static final String COLLECTION = "outbox";

  /** An event as stored: {_id, tenantId, unitId, type, data, occurredAt}. */
  public record Event(@Key("_id") String id, String tenantId, String unitId, String type, JsonObject data, Instant occurredAt) {
    public static Event of(JsonObject document) {
      return RecordCodec.fromDocument(Event.class, document);
    }
  }

  /** What tells whether an event's unit committed: its id and its unit's (events of every release have both). */
  private record OfUnit(@Key("_id") String id, String unitId) {
  }

  private final MongoClient mongo;
  private final UnitSettlement settlement;

  public Outbox(MongoClient mongo) {
    this.mongo = mongo;
    this.settlement = new UnitSettlement(mongo);
  }

  /** Inside a unit: records an event of {@code type} for the tenant; it leaves the outbox with the unit if the unit fails. */
  public static Future<Void> record(Unit unit, String tenantId, String type, JsonObject data) {
    return unit.queueInsert(COLLECTION, RecordCodec.toDocument(new Event(Mongo.newId(), tenantId, unit.id(), type, data,
      Instant.now().truncatedTo(ChronoUnit.MILLIS))));
  }

  /** The oldest events, at most {@code limit}, committed or not (see {@link #committed}). */
  public Future<List<JsonObject>> oldest(int limit) {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(limit));
  }

  /**
   * The ids of the events whose unit committed, among {@code events}: their unit settled, and the event still exists
   * after that check (false while a unit runs, rolls back or waits for repair, and once the event is gone). Three
   * queries for the whole batch, whatever its size.
   */
  public Future<Set<String>> committedAmong(List<JsonObject> events) {
    if (events.isEmpty()) return Future.succeededFuture(Set.of());
    List<OfUnit> read = events.stream().map(event -> RecordCodec.fromDocument(OfUnit.class, event)).toList();
    return settlement.among(read.stream().map(OfUnit::unitId).distinct().toList()).compose(unsettled -> {
      JsonArray candidates = new JsonArray(read.stream().filter(event -> unsettled.settled(event.unitId())).map(OfUnit::id).toList());
      if (candidates.isEmpty()) return Future.succeededFuture(Set.<String>of());
      return mongo.findWithOptions(COLLECTION, Ops.where(Fields.ID, Ops.in(candidates)), new FindOptions().setFields(Ops.only(Fields.ID)))
        .map(still -> still.stream().map(doc -> doc.getString(Fields.ID)).collect(Collectors.toSet()));
    });
  }

  /** The events were handed on; they leave the outbox, in one command. */
  public Future<Void> removeAll(Collection<String> eventIds) {
    if (eventIds.isEmpty()) return Future.succeededFuture();
    return mongo.removeDocuments(COLLECTION, Ops.where(Fields.ID, Ops.in(new ArrayList<>(eventIds))))
      .mapEmpty();
  }
}
