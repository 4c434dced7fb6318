package io.stockroom.order;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.lock.LockKind;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Stock holds for checkouts: {_id, tenantId, status, expiresAt, reference?, lines[{variantId, sku, quantity,
 * allocations[{locationId, quantity}]}], orderId?, version, createdBy, createdAt, releasedAt | consumedAt |
 * expiredAt}. Written only inside units of work, guarded by {@code version} and {@code status: ACTIVE}, so a hold
 * ends exactly once.
 */
public class ReservationRepository extends ScopedCollection {
  public static final String COLLECTION = "reservations";
  /** The lock of a reservation (its rank in the lock order and the collection it guards). */
  public static final LockKind LOCK = LockKind.document("reservation", COLLECTION);

  public ReservationRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Reservation");
  }

  /** Inside a unit: a new reservation (written at once, undone with the unit). */
  static Future<Void> hold(Unit unit, Reservation reservation) {
    return unit.insert(COLLECTION, reservation.toDocument());
  }

  /** Inside a unit: the ACTIVE reservation (as read) ends as {@code status} (409 if it already ended meanwhile). */
  Future<Reservation> settle(Unit unit, JsonObject reservation, ReservationStatus status, String orderId) {
    JsonObject set = Reservation.ending(status, orderId, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return unit.compareAndSet(COLLECTION, reservation, Ops.where(Reservation.STATUS, ReservationStatus.ACTIVE.name()), set, null)
      .compose(after -> after == null
        ? ServiceError.fail(ErrorCode.CONFLICT, "The reservation changed concurrently; nothing was changed, retry")
        : Future.succeededFuture(Reservation.fromDocument(after)));
  }

  /** The filters of a list of reservations. */
  private record Listing(String status, String reference) {
  }

  /** An ACTIVE reservation whose time ran out: which one, of which tenant. */
  record Due(@Key("_id") String id, String tenantId) {
  }

  /** {status?, reference?} with cursor paging; status follows {@link Reservation#shownStatus}. */
  public Future<JsonObject> search(String tenantId, JsonObject query, Page page) {
    Listing listing = RecordCodec.api(Listing.class).decode(query);
    String status = listing.status();
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId);
    if (ReservationStatus.ACTIVE.name().equals(status)) {
      filter.put(Reservation.STATUS, status).put(Reservation.EXPIRES_AT, Ops.gt(Mongo.date(Instant.now())));
    } else if (ReservationStatus.EXPIRED.name().equals(status)) {
      return expired(tenantId, listing.reference(), page);
    } else if (status != null) {
      filter.put(Reservation.STATUS, status);
    }
    if (listing.reference() != null) filter.put(Reservation.REFERENCE, listing.reference());
    return mongo.findWithOptions(COLLECTION, page.filter(filter), page.findOptions())
      .map(docs -> page.result(docs, ReservationRepository::toApi));
  }

  /**
   * EXPIRED ones, and ACTIVE ones past their time that the expiry job has not reached yet, in one page: two queries,
   * each walking one index range ({tenantId, status, _id} and {tenantId, status, expiresAt}; the second finds only the
   * stragglers of the 2-second sweep), merged by id.
   */
  private Future<JsonObject> expired(String tenantId, String reference, Page page) {
    JsonObject ended = Ops.where(Fields.TENANT_ID, tenantId).put(Reservation.STATUS, ReservationStatus.EXPIRED.name());
    JsonObject overdue = Ops.where(Fields.TENANT_ID, tenantId).put(Reservation.STATUS, ReservationStatus.ACTIVE.name())
      .put(Reservation.EXPIRES_AT, Ops.lte(Mongo.date(Instant.now())));
    if (reference != null) {
      ended.put(Reservation.REFERENCE, reference);
      overdue.put(Reservation.REFERENCE, reference);
    }
    return Future.all(mongo.findWithOptions(COLLECTION, page.filter(ended), page.findOptions()),
        mongo.findWithOptions(COLLECTION, overdue, new FindOptions().setLimit(OVERDUE_PER_PAGE)))
      .map(both -> {
        java.util.TreeMap<String, JsonObject> merged = new java.util.TreeMap<>();
        both.<List<JsonObject>>resultAt(0).forEach(d -> merged.put(d.getString(Fields.ID), d));
        both.<List<JsonObject>>resultAt(1).stream()
          .filter(d -> page.afterId() == null || d.getString(Fields.ID).compareTo(page.afterId()) > 0)
          .forEach(d -> merged.put(d.getString(Fields.ID), d));
        return page.result(new java.util.ArrayList<>(merged.values()).subList(0, Math.min(merged.size(), page.limit() + 1)),
          ReservationRepository::toApi);
      });
  }

  /** Most ACTIVE holds past their time one EXPIRED page looks at (the expiry sweep ends them within seconds). */
  private static final int OVERDUE_PER_PAGE = 1_000;

  /** ACTIVE reservations of any tenant whose time ran out, oldest first, at most {@code limit}. */
  Future<List<Due>> due(int limit) {
    JsonObject filter = Ops.where(Reservation.STATUS, ReservationStatus.ACTIVE.name())
      .put(Reservation.EXPIRES_AT, Ops.lte(Mongo.date(Instant.now())));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(Ops.sort(Reservation.EXPIRES_AT)).setLimit(limit)
        .setFields(Ops.only(Fields.ID, Fields.TENANT_ID)))
      .map(docs -> docs.stream().map(doc -> RecordCodec.fromDocument(Due.class, doc)).toList());
  }

  /** What clients see of a stored reservation. */
  public static JsonObject toApi(JsonObject doc) {
    return Reservation.fromDocument(doc).toApi();
  }
}
