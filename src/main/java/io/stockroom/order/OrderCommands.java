package io.stockroom.order;

import io.stockroom.inventory.StockState;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** The commands of the order package's use cases, each parsed once from its request (validated by the contract). */
public final class OrderCommands {
  static final String ORDER_ID = "orderId";
  static final String RESERVATION_ID = "reservationId";

  private OrderCommands() {
  }

  /** Units of a variant, taken from the location the line names or, when it names none, where the tenant's rule says. */
  public record OrderLine(String variantId, String locationId, long quantity) {
    public OrderLine {
      if (quantity < 1) throw new ServiceError(ErrorCode.VALIDATION, "quantity must be at least 1");
    }

    /**
     * Lines naming the same variant (and location) merged, quantities summed, so each is checked once for its total;
     * the lines naming a location come first, so the rule allocates around them.
     */
    static List<OrderLine> merged(List<OrderLine> lines) {
      Map<String, OrderLine> merged = new TreeMap<>();
      for (OrderLine line : lines) {
        merged.merge(line.variantId() + "@" + line.locationId(), line,
          (a, b) -> new OrderLine(a.variantId(), a.locationId(), a.quantity() + b.quantity()));
      }
      List<OrderLine> ordered = new ArrayList<>(merged.values().stream().filter(l -> l.locationId() != null).toList());
      ordered.addAll(merged.values().stream().filter(l -> l.locationId() == null).toList());
      return List.copyOf(ordered);
    }

    static Set<String> variantIds(List<OrderLine> lines) {
      return collect(lines, OrderLine::variantId);
    }

    static Set<String> namedLocations(List<OrderLine> lines) {
      return collect(lines, OrderLine::locationId);
    }

    /** Units asked for, per variant, over every location. */
    static Map<String, Long> unitsByVariant(List<OrderLine> lines) {
      Map<String, Long> units = new TreeMap<>();
      lines.forEach(line -> units.merge(line.variantId(), line.quantity(), Long::sum));
      return units;
    }
  }

  /**
   * A new order: lines merged (see {@link OrderLine#merged}); from a reservation, the units are taken where they are
   * held, so no line may name a location.
   */
  public record PlaceOrder(Invocation by, List<OrderLine> lines, String reservationId, JsonObject customer, String note) {
    public PlaceOrder {
      lines = OrderLine.merged(lines);
      if (reservationId != null && !OrderLine.namedLocations(lines).isEmpty()) {
        throw new ServiceError(ErrorCode.VALIDATION, "An order from a reservation takes the units where they are held; omit locationId");
      }
    }

    static PlaceOrder from(BusRequest request) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new PlaceOrder(request.invocation(), body.items(), body.reservationId(), body.customer(), body.note());
    }

    /** An order's body as the contract validated it. */
    private record Body(List<OrderLine> items, String reservationId, JsonObject customer, String note) {
    }

    /** One line only (one variant at one location, or wherever the rule says): such orders can be placed together. */
    boolean singleLine() {
      return lines.size() == 1;
    }
  }

  public record CancelOrder(Invocation by, String orderId) {
    static CancelOrder from(BusRequest request) {
      return new CancelOrder(request.invocation(), request.pathParam(ORDER_ID));
    }
  }

  /**
   * Units coming back: to the location named or (null) to those they left; {@code damaged} as the request said it
   * (null: not said, the units are not damaged), since the return record keeps the items as given.
   */
  public record ReturnedItem(String variantId, long quantity, String locationId, Boolean damaged) {
    public ReturnedItem {
      if (quantity < 1) throw new ServiceError(ErrorCode.VALIDATION, "quantity must be at least 1");
    }

    static ReturnedItem from(JsonObject item) {
      return RecordCodec.api(ReturnedItem.class).decode(item);
    }

    StockState to() {
      return Boolean.TRUE.equals(damaged) ? StockState.DAMAGED : StockState.AVAILABLE;
    }

    /** As given: what was not said is left out. */
    JsonObject toJson() {
      return RecordCodec.toApi(this);
    }
  }

  public record ReturnItems(Invocation by, String orderId, List<ReturnedItem> items, String reason) {
    public ReturnItems {
      items = List.copyOf(items);
    }

    static ReturnItems from(BusRequest request) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new ReturnItems(request.invocation(), request.pathParam(ORDER_ID), body.items(), body.reason());
    }

    /** A return's body (the contract's {@code ReturnRequest}). */
    private record Body(List<ReturnedItem> items, String reason) {
    }

    Set<String> namedLocations() {
      return collect(items, ReturnedItem::locationId);
    }

  }

  /** Units held for {@code ttlSeconds}; lines merged like an order's. */
  public record CreateReservation(Invocation by, List<OrderLine> lines, long ttlSeconds, String reference) {
    public CreateReservation {
      lines = OrderLine.merged(lines);
      if (ttlSeconds < 1) throw new ServiceError(ErrorCode.VALIDATION, "ttlSeconds must be at least 1");
    }

    static CreateReservation from(BusRequest request) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new CreateReservation(request.invocation(), body.items(), body.ttlSeconds(), body.reference());
    }

    /** A reservation's body (the contract's {@code ReservationRequest}). */
    private record Body(List<OrderLine> items, long ttlSeconds, String reference) {
    }
  }

  public record ReleaseReservation(Invocation by, String reservationId) {
    static ReleaseReservation from(BusRequest request) {
      return new ReleaseReservation(request.invocation(), request.pathParam(RESERVATION_ID));
    }
  }

  private static <T> Set<String> collect(List<T> items, Function<T, String> field) {
    Set<String> values = new TreeSet<>();
    items.forEach(item -> {
      if (field.apply(item) != null) values.add(field.apply(item));
    });
    return values;
  }
}
