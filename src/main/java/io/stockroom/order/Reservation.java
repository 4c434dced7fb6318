package io.stockroom.order;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stock hold for a checkout, stored in {@code reservations} (see {@link ReservationRepository}): ACTIVE until it is
 * RELEASED, CONSUMED by an order or EXPIRED; it ends exactly once, stamped with when ({@code releasedAt},
 * {@code consumedAt} or {@code expiredAt}). Each line says where its units are held.
 */
public record Reservation(@Key("_id") String id, String tenantId, ReservationStatus status, Instant expiresAt,
                          @ExplicitNull String reference, List<Line> lines, String orderId, long version, @ExplicitNull String createdBy,
                          Instant createdAt, Instant releasedAt, Instant consumedAt, Instant expiredAt, Instant updatedAt) {
  static final String STATUS = "status";
  static final String EXPIRES_AT = "expiresAt";
  static final String REFERENCE = "reference";

  /** The units of one variant held, and where. */
  public record Line(String variantId, String sku, long quantity, List<Hold> allocations) {
  }

  /** Units of a line held at one location. */
  public record Hold(String locationId, long quantity) {
  }

  /** A new ACTIVE hold of {@code parts} (one line per variant, by variant id), until {@code expiresAt}. */
  static Reservation hold(String id, String tenantId, Instant expiresAt, String reference, List<Allocation.Part> parts,
                          Map<String, JsonObject> variants, String createdBy, Instant at) {
    Map<String, List<Hold>> held = new java.util.TreeMap<>();
    parts.forEach(part -> held.computeIfAbsent(part.variantId(), v -> new ArrayList<>()).add(new Hold(part.locationId(), part.quantity())));
    List<Line> lines = new ArrayList<>();
    held.forEach((variantId, holds) -> lines.add(new Line(variantId, Sellable.of(variants.get(variantId)).sku(),
      holds.stream().mapToLong(Hold::quantity).sum(), List.copyOf(holds))));
    return new Reservation(id, tenantId, ReservationStatus.ACTIVE, expiresAt, reference, List.copyOf(lines), null, 0L, createdBy, at,
      null, null, null, null);
  }

  /** Whether its time ran out by {@code now}. */
  boolean expired(Instant now) {
    return !expiresAt.isAfter(now);
  }

  /** Still ACTIVE and its time ran out: the expiry sweep ends it. */
  boolean due(Instant now) {
    return status == ReservationStatus.ACTIVE && expired(now);
  }

  /** The status clients see: an ACTIVE hold past its time is EXPIRED, whether or not the expiry job ran yet. */
  ReservationStatus shownStatus(Instant now) {
    return due(now) ? ReservationStatus.EXPIRED : status;
  }

  /** 409 unless the reservation still holds its units and has time left. */
  void requireActive() {
    ReservationStatus shown = shownStatus(Instant.now());
    if (shown != ReservationStatus.ACTIVE) {
      throw new ServiceError(ErrorCode.CONFLICT, "Reservation is " + shown + "; nothing was changed",
        Ops.where(Order.CURRENT_STATUS, shown.name()));
    }
  }

  /** What an order taking {@code ordered} units of its variants buys of this hold, and what goes back (see {@link Consumption}). */
  Consumption consume(Map<String, Long> ordered, Map<String, JsonObject> variants) {
    return Consumption.of(this, ordered, variants);
  }

  /** Every unit held, as a part per line and location. */
  List<Allocation.Part> parts() {
    List<Allocation.Part> parts = new ArrayList<>();
    lines.forEach(line -> line.allocations().forEach(held -> parts.add(new Allocation.Part(line.variantId(), held.locationId(),
      held.quantity()))));
    return parts;
  }

  List<String> variantIds() {
    return lines.stream().map(Line::variantId).toList();
  }

  /** The line of {@code variantId}, or null. */
  Line line(String variantId) {
    return lines.stream().filter(line -> line.variantId().equals(variantId)).findFirst().orElse(null);
  }

  /**
   * The fields an ACTIVE reservation's end sets: its status, when it ended (under the stamp of that status) and, when an
   * order consumed it, the order.
   */
  static JsonObject ending(ReservationStatus status, String orderId, Instant at) {
    return RecordCodec.toDocument(switch (status) {
      case RELEASED -> new Ended(status, orderId, at, null, null, at);
      case CONSUMED -> new Ended(status, orderId, null, at, null, at);
      case EXPIRED -> new Ended(status, orderId, null, null, at, at);
      case ACTIVE -> throw new IllegalArgumentException("a reservation never becomes ACTIVE again");
    });
  }

  private record Ended(ReservationStatus status, String orderId, Instant releasedAt, Instant consumedAt, Instant expiredAt,
                       Instant updatedAt) {
  }

  static Reservation fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Reservation.class, doc);
  }

  /** The stored document: a reservation without a reference or author stores it as null. */
  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code Reservation}): no tenant or version; the status as {@link #shownStatus} says. */
  public JsonObject toApi() {
    return RecordCodec.toApi(new View(id, shownStatus(Instant.now()), expiresAt, reference, lines, orderId, createdBy, createdAt,
      releasedAt, consumedAt, expiredAt, updatedAt));
  }

  private record View(String id, ReservationStatus status, Instant expiresAt, @ExplicitNull String reference, List<Line> lines,
                      String orderId, @ExplicitNull String createdBy, Instant createdAt, Instant releasedAt, Instant consumedAt, Instant expiredAt,
                      Instant updatedAt) {
  }
}
