package io.stockroom.order;

import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.ReturnedItem;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer order, stored in {@code orders} (see {@link OrderRepository}): PLACED until every unit came back
 * (RETURNED) or it was cancelled (CANCELLED); only a PLACED order changes. Each line records where its units came from
 * and how many of them came back. Orders stored before returns were recorded have no {@code returns} (null here).
 */
public record Order(@Key("_id") String id, String tenantId, OrderStatus status, List<Line> lines, BigInteger total,
                    @ExplicitNull String currency, @ExplicitNull JsonObject customer, @ExplicitNull String note,
                    @ExplicitNull String reservationId, List<Return> returns, long version, @ExplicitNull String createdBy,
                    Instant createdAt, Instant updatedAt, Instant cancelledAt) {
  static final String STATUS = "status";
  static final String LINES = "lines";
  static final String RETURNS = "returns";
  static final String CANCELLED_AT = "cancelledAt";
  static final String CURRENT_STATUS = "currentStatus";
  /**
   * The most returns one order keeps. Each return takes at least one unit, but an order of 100 lines can sell millions
   * of units, so the units alone do not bound {@code returns}. The largest order (100 lines, each taken from 100
   * locations) is about 880 KB before any return and a return of 100 items about 12.5 KB: with 10 returns it stays
   * below 1 MB (docs/documents.md, {@code DocumentBoundsTest}).
   */
  public static final int MAX_RETURNS = 10;
  static final String MAX_RETURNS_FIELD = "maxReturns";

  /**
   * One variant of an order: {@code allocations} say where its units came from (null on orders from before locations
   * existed, which took everything at the default location).
   */
  public record Line(String variantId, String sku, long quantity, long unitPrice, long returned, List<Allocated> allocations,
                     BigInteger lineTotal) {

    /** The line's allocations; an order from before locations existed took everything at the tenant's default location. */
    List<Allocated> allocationsAt(String tenantId) {
      return allocations != null ? allocations : List.of(new Allocated(Locations.defaultId(tenantId), quantity, returned));
    }

    long returnable() {
      return quantity - returned;
    }

    Line with(List<Allocated> allocations, long returned) {
      return new Line(variantId, sku, quantity, unitPrice, returned, allocations, lineTotal);
    }
  }

  /** Units of a line taken from one location, and how many of them came back. */
  public record Allocated(String locationId, long quantity, long returned) {
    long remaining() {
      return quantity - returned;
    }

    Allocated returning(long units) {
      return new Allocated(locationId, quantity, returned + units);
    }
  }

  /** A return as recorded on the order: the items as the request gave them (one without a reason stores and shows it as null). */
  public record Return(String id, List<ReturnedItem> items, @ExplicitNull String reason, String createdBy, Instant createdAt) {
    /** What clients see of it. */
    JsonObject toApi() {
      return RecordCodec.toApi(this);
    }
  }

  /** A new PLACED order: its lines priced, its total their sum, no return yet. */
  static Order placed(String id, String tenantId, List<Line> lines, String currency, JsonObject customer, String note,
                      String reservationId, String createdBy, Instant at) {
    BigInteger total = lines.stream().map(Line::lineTotal).reduce(BigInteger.ZERO, BigInteger::add);
    return new Order(id, tenantId, OrderStatus.PLACED, lines, total, currency, customer, note, reservationId, List.of(), 0L, createdBy,
      at, null, null);
  }

  /** A line as sold: {@code allocations} taken at {@code unitPrice}, nothing returned yet. */
  static Line sold(String variantId, String sku, long unitPrice, List<Allocated> allocations) {
    long quantity = allocations.stream().mapToLong(Allocated::quantity).sum();
    return new Line(variantId, sku, quantity, unitPrice, 0, allocations, Amounts.times(unitPrice, quantity));
  }

  /** Cancelling: every unit not yet returned goes back to available, at the location it left; 409 unless PLACED. */
  Restock cancel() {
    requirePlaced("only PLACED orders can be cancelled");
    return Restock.cancelling(this);
  }

  /**
   * A partial return of {@code items} (see {@link Restock#returning}); 409 unless PLACED, and once the order has
   * {@link #MAX_RETURNS} returns.
   */
  Restock returning(List<ReturnedItem> items) {
    requirePlaced("nothing left to return");
    int recorded = returns == null ? 0 : returns.size();
    if (recorded >= MAX_RETURNS) {
      throw new ServiceError(ErrorCode.CONFLICT, "An order keeps at most " + MAX_RETURNS + " returns and this one has "
        + recorded + "; cancel the order to take back what is left", Ops.where(MAX_RETURNS_FIELD, MAX_RETURNS));
    }
    return Restock.returning(this, items);
  }

  /** The order once cancelled: its lines as {@code restock} leaves them. */
  Order cancelled(Restock restock, Instant at) {
    return new Order(id, tenantId, OrderStatus.CANCELLED, restock.lines(), total, currency, customer, note, reservationId, returns,
      version, createdBy, createdAt, updatedAt, at);
  }

  /** The order once {@code record} came back: RETURNED when every unit sold has. */
  Order returned(Restock restock, Return record) {
    List<Return> all = new ArrayList<>(returns == null ? List.of() : returns);
    all.add(record);
    return new Order(id, tenantId, restock.allReturned() ? OrderStatus.RETURNED : OrderStatus.PLACED, restock.lines(), total, currency,
      customer, note, reservationId, List.copyOf(all), version, createdBy, createdAt, updatedAt, cancelledAt);
  }

  List<String> variantIds() {
    return lines.stream().map(Line::variantId).toList();
  }

  private void requirePlaced(String why) {
    if (status != OrderStatus.PLACED) {
      throw new ServiceError(ErrorCode.CONFLICT, "Order is " + status + "; " + why, Ops.where(CURRENT_STATUS, status.name()));
    }
  }

  static Order fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Order.class, doc);
  }

  /** The stored document: an order without a currency, customer, note, reservation or author stores it as null. */
  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code Order}): no tenant or version; amounts as digits. */
  public JsonObject toApi() {
    return RecordCodec.toApi(new View(id, status, lines, total, currency, customer, note, reservationId, returns, createdBy, createdAt,
      updatedAt, cancelledAt));
  }

  private record View(String id, OrderStatus status, List<Line> lines, BigInteger total, @ExplicitNull String currency,
                      @ExplicitNull JsonObject customer, @ExplicitNull String note, @ExplicitNull String reservationId,
                      List<Return> returns, @ExplicitNull String createdBy, Instant createdAt, Instant updatedAt,
                      Instant cancelledAt) {
  }
}
