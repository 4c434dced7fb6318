package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;

/**
 * One variant's stock change at one location inside a unit of work, with what the ledger and the projections record
 * about it: {@code units} move from one state to another ({@code from}/{@code to}, null meaning outside: supplier,
 * customer, a count), and {@code quantity} is what that does to the units on hand (signed, derived from the states).
 *
 * <ul>
 *   <li>{@code expectedStock}: when not null, the change applies only if the location's on-hand is exactly this
 *       (compare-and-set, for counts);</li>
 *   <li>{@code source}: the document that caused it, e.g. {@code {kind: ORDER, id: ...}}; {@code sourceKey} is unique
 *       per tenant, so the same source can never move the same variant twice;</li>
 *   <li>{@code day}: the tenant-local date ({@code YYYY-MM-DD}) the movement is counted on in daily rollups;</li>
 *   <li>{@code soldUnits}/{@code soldRevenue}: units sold (+) or given back (−) and their exact revenue, for top
 *       sellers;</li>
 *   <li>{@code incomingDelta}: change of the units still to come on purchase orders, at {@code incomingLocationId};
 *       {@code lastUnitCost}: when not null, the variant's new last unit cost;</li>
 *   <li>{@code event}: the stock event its movement is part of ({@link #partOf}), or null when it is part of none.</li>
 * </ul>
 */
public final class StockChange {
  private final String tenantId;
  private final String variantId;
  private final String sku;
  private final MovementType type;
  private final String locationId;
  private final StockState from;
  private final StockState to;
  private final long units;
  private final Long expectedStock;
  private final JsonObject source;
  private final String sourceKey;
  private final String actor;
  private final String reason;
  private final String day;
  private long soldUnits;
  private BigInteger soldRevenue = BigInteger.ZERO;
  private long incomingDelta;
  private String incomingLocationId;
  private Long lastUnitCost;
  private StockEvents.Key event;

  private StockChange(String tenantId, String variantId, String sku, MovementType type, String locationId, StockState from,
                      StockState to, long units, Long expectedStock, JsonObject source, String sourceKey, String actor,
                      String reason, String day) {
    if (units < 0) throw new IllegalArgumentException("units must not be negative");
    this.tenantId = tenantId;
    this.variantId = variantId;
    this.sku = sku;
    this.type = type;
    this.locationId = locationId;
    this.from = from;
    this.to = to;
    this.units = units;
    this.expectedStock = expectedStock;
    this.source = source;
    this.sourceKey = sourceKey;
    this.actor = actor;
    this.reason = reason;
    this.day = day;
  }

  /** {@code units} move from {@code from} to {@code to} (either null: outside) at the tenant's default location. */
  public static StockChange move(String tenantId, JsonObject variant, MovementType type, long units, StockState from,
                                 StockState to, JsonObject source, String sourceKey, String actor, String reason, String day) {
    Variant typed = Variant.of(variant);
    return new StockChange(tenantId, typed.id(), typed.sku(), type, Locations.defaultId(tenantId),
      from, to, units, null, source, sourceKey, actor, reason, day);
  }

  /** Units in (positive {@code quantity}) to, or out (negative) of, the available units at the default location. */
  public static StockChange of(String tenantId, JsonObject variant, MovementType type, long quantity,
                               JsonObject source, String sourceKey, String actor, String reason, String day) {
    return move(tenantId, variant, type, Math.abs(quantity), quantity < 0 ? StockState.AVAILABLE : null,
      quantity > 0 ? StockState.AVAILABLE : null, source, sourceKey, actor, reason, day);
  }

  private StockChange copy(String locationId, StockState from, StockState to, Long expectedStock) {
    StockChange copy = new StockChange(tenantId, variantId, sku, type, locationId, from, to, units, expectedStock, source,
      sourceKey, actor, reason, day);
    copy.soldUnits = soldUnits;
    copy.soldRevenue = soldRevenue;
    copy.incomingDelta = incomingDelta;
    copy.incomingLocationId = incomingLocationId;
    copy.lastUnitCost = lastUnitCost;
    copy.event = event;
    return copy;
  }

  /** The same change at another location (null: the default location). */
  public StockChange at(String location) {
    return copy(location == null ? Locations.defaultId(tenantId) : location, from, to, expectedStock);
  }

  /** The same units, between other states (e.g. a sale out of {@code reserved}, a return into {@code damaged}). */
  public StockChange between(StockState newFrom, StockState newTo) {
    return copy(locationId, newFrom, newTo, expectedStock);
  }

  public StockChange expecting(long onHand) {
    return copy(locationId, from, to, onHand);
  }

  /** Units sold (+) or returned (−) and their exact revenue (signed the same way). */
  public StockChange sold(long soldUnits, BigInteger revenue) {
    StockChange copy = copy(locationId, from, to, expectedStock);
    copy.soldUnits = soldUnits;
    copy.soldRevenue = revenue;
    return copy;
  }

  /** Received on a purchase order whose incoming units were counted at {@code orderLocationId}. */
  public StockChange received(long unitCost, String orderLocationId) {
    StockChange copy = copy(locationId, from, to, expectedStock);
    copy.incomingDelta = -units;
    copy.incomingLocationId = orderLocationId;
    copy.lastUnitCost = unitCost;
    return copy;
  }

  /** The same change, recorded as part of {@code event} (its movement carries the event's key). */
  public StockChange partOf(StockEvents.Key event) {
    StockChange copy = copy(locationId, from, to, expectedStock);
    copy.event = event;
    return copy;
  }

  public String tenantId() { return tenantId; }
  public String variantId() { return variantId; }
  public String sku() { return sku; }
  public MovementType type() { return type; }
  public String locationId() { return locationId; }
  public StockState from() { return from; }
  public StockState to() { return to; }
  public long units() { return units; }
  public Long expectedStock() { return expectedStock; }
  public JsonObject source() { return source; }
  public String sourceKey() { return sourceKey; }
  public String actor() { return actor; }
  public String reason() { return reason; }
  public String day() { return day; }
  public long soldUnits() { return soldUnits; }
  public BigInteger soldRevenue() { return soldRevenue; }
  public long incomingDelta() { return incomingDelta; }
  public String incomingLocationId() { return incomingLocationId == null ? locationId : incomingLocationId; }
  public Long lastUnitCost() { return lastUnitCost; }
  public StockEvents.Key event() { return event; }

  /** What the change does to the units on hand at its location: + when they arrive on hand, − when they leave it. */
  public long quantity() {
    return (to != null && to.onHand() ? units : 0) - (from != null && from.onHand() ? units : 0);
  }
}
