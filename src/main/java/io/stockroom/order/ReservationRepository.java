package io.stockroom.order;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.List;

/**
 * Stock holds for checkouts: {_id, tenantId, status, expiresAt, reference?, lines[{variantId, sku, quantity,
 * allocations[{locationId, quantity}]}], orderId?, version, createdBy, createdAt, releasedAt | consumedAt |
 * expiredAt}. Written only inside units of work, guarded by {@code version} and {@code status: ACTIVE}, so a hold
 * ends exactly once.
 */
public class ReservationRepository extends ScopedCollection {
  public static final String COLLECTION = "reservations";

  public ReservationRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Reservation");
  }

  static List<String> variantIds(JsonObject reservation) {
    return reservation.getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("variantId")).toList();
  }

  static boolean expired(JsonObject reservation, Instant now) {
    return !Instant.parse(reservation.getJsonObject("expiresAt").getString("$date")).isAfter(now);
  }

  /** The status clients see: an ACTIVE hold past its time is EXPIRED, whether or not the expiry job ran yet. */
  static ReservationStatus status(JsonObject reservation) {
    ReservationStatus stored = ReservationStatus.valueOf(reservation.getString("status"));
    return stored == ReservationStatus.ACTIVE && expired(reservation, Instant.now()) ? ReservationStatus.EXPIRED : stored;
  }

  /** 409 unless the reservation still holds its units and has time left. */
  static void requireActive(JsonObject reservation) {
    ReservationStatus status = status(reservation);
    if (status != ReservationStatus.ACTIVE) {
      throw new ServiceError(ErrorCode.CONFLICT, "Reservation is " + status + "; nothing was changed",
        new JsonObject().put("currentStatus", status.name()));
    }
  }

  /** Inside a unit: the ACTIVE reservation ends as {@code status} (409 if it already ended meanwhile). */
  Future<JsonObject> settle(Unit unit, JsonObject reservation, ReservationStatus status, JsonObject extra) {
    String stamp = switch (status) {
      case RELEASED -> "releasedAt";
      case CONSUMED -> "consumedAt";
      case EXPIRED -> "expiredAt";
      case ACTIVE -> throw new IllegalArgumentException("a reservation never becomes ACTIVE again");
    };
    JsonObject set = extra.copy().put("status", status.name()).put(stamp, Mongo.now()).put("updatedAt", Mongo.now());
    return unit.compareAndSet(COLLECTION, reservation, new JsonObject().put("status", ReservationStatus.ACTIVE.name()), set, null)
      .compose(after -> after == null
        ? ServiceError.fail(ErrorCode.CONFLICT, "The reservation changed concurrently; nothing was changed, retry")
        : Future.succeededFuture(after));
  }

  /** {status?, reference?} with cursor paging; status follows {@link #status}. */
  public Future<JsonObject> search(String tenantId, JsonObject query, Page page) {
    JsonObject filter = new JsonObject();
    JsonObject now = Mongo.date(Instant.now());
    String status = query.getString("status");
    if (ReservationStatus.ACTIVE.name().equals(status)) {
      filter.put("status", status).put("expiresAt", new JsonObject().put("$gt", now));
    } else if (ReservationStatus.EXPIRED.name().equals(status)) {
      return expired(tenantId, query.getString("reference"), page);
    } else if (status != null) {
      filter.put("status", status);
    }
    if (query.getString("reference") != null) filter.put("reference", query.getString("reference"));
    return mongo.findWithOptions(COLLECTION, page.filter(filter.put("tenantId", tenantId)), page.findOptions())
      .map(docs -> page.result(docs, ReservationRepository::toApi));
  }

  /**
   * EXPIRED ones, and ACTIVE ones past their time that the expiry job has not reached yet, in one page: two queries,
   * each walking one index range ({tenantId, status, _id} and {tenantId, status, expiresAt}; the second finds only the
   * stragglers of the 2-second sweep), merged by id.
   */
  private Future<JsonObject> expired(String tenantId, String reference, Page page) {
    JsonObject ended = new JsonObject().put("tenantId", tenantId).put("status", ReservationStatus.EXPIRED.name());
    JsonObject overdue = new JsonObject().put("tenantId", tenantId).put("status", ReservationStatus.ACTIVE.name())
      .put("expiresAt", new JsonObject().put("$lte", Mongo.date(Instant.now())));
    if (reference != null) {
      ended.put("reference", reference);
      overdue.put("reference", reference);
    }
    return Future.all(mongo.findWithOptions(COLLECTION, page.filter(ended), page.findOptions()),
        mongo.findWithOptions(COLLECTION, overdue, new FindOptions().setLimit(OVERDUE_PER_PAGE)))
      .map(both -> {
        java.util.TreeMap<String, JsonObject> merged = new java.util.TreeMap<>();
        both.<List<JsonObject>>resultAt(0).forEach(d -> merged.put(d.getString("_id"), d));
        both.<List<JsonObject>>resultAt(1).stream()
          .filter(d -> page.afterId() == null || d.getString("_id").compareTo(page.afterId()) > 0)
          .forEach(d -> merged.put(d.getString("_id"), d));
        return page.result(new java.util.ArrayList<>(merged.values()).subList(0, Math.min(merged.size(), page.limit() + 1)),
          ReservationRepository::toApi);
      });
  }

  /** Most ACTIVE holds past their time one EXPIRED page looks at (the expiry sweep ends them within seconds). */
  private static final int OVERDUE_PER_PAGE = 1_000;

  /** ACTIVE reservations of any tenant whose time ran out, oldest first, at most {@code limit}. */
  Future<List<JsonObject>> due(int limit) {
    JsonObject filter = new JsonObject().put("status", ReservationStatus.ACTIVE.name())
      .put("expiresAt", new JsonObject().put("$lte", Mongo.date(Instant.now())));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(new JsonObject().put("expiresAt", 1)).setLimit(limit)
      .setFields(new JsonObject().put("_id", 1).put("tenantId", 1)));
  }

  public static JsonObject toApi(JsonObject doc) {
    JsonObject api = Mongo.toApi(doc);
    api.remove("version");
    api.put("status", status(doc).name());
    return api;
  }
}
