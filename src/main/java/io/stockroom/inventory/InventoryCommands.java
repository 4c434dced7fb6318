package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;

/**
 * The commands of {@link InventoryService}: stock changed by hand at one location of one variant (the tenant's
 * default location when the request names none), each parsed once from its request (validated by the contract).
 */
public final class InventoryCommands {
  private InventoryCommands() {
  }

  /** Units added (positive) or taken (negative) as an ADJUSTMENT movement; never below zero (409). */
  public record Adjust(Invocation by, String variantId, String locationId, long quantity, String reason) {
    public Adjust {
      if (quantity == 0) throw new ServiceError(ErrorCode.VALIDATION, "quantity must not be 0");
    }

    static Adjust from(BusRequest request) {
      Body body = Body.of(request);
      return new Adjust(request.invocation(), request.pathParam("variantId"), body.locationOr(request.tenantId()), body.quantity(), body.reason());
    }
  }

  /**
   * A cycle count: if stock is no longer what the counter expected, 409 with the current value (compare-and-set);
   * otherwise an ADJUSTMENT for the difference (none when it matches).
   */
  public record Count(Invocation by, String variantId, String locationId, long counted, long expected, String reason) {
    static Count from(BusRequest request) {
      Body body = Body.of(request);
      return new Count(request.invocation(), request.pathParam("variantId"), body.locationOr(request.tenantId()), body.countedQuantity(),
        body.expectedQuantity(), body.reason() == null ? "cycle count" : body.reason());
    }

    long difference() {
      return counted - expected;
    }
  }

  /** Units between {@code available} and an unavailable state (damaged, qualityControl, safetyStock); on hand stays. */
  public record MoveState(Invocation by, String variantId, String locationId, StockState from, StockState to, long units,
                          String reason) {
    public MoveState {
      if (from == to || from != StockState.AVAILABLE && to != StockState.AVAILABLE) {
        throw new ServiceError(ErrorCode.VALIDATION, "A state move goes from available to an unavailable state or back");
      }
    }

    static MoveState from(BusRequest request) {
      Body body = Body.of(request);
      return new MoveState(request.invocation(), request.pathParam("variantId"), body.locationOr(request.tenantId()),
        StockState.of(body.from()), StockState.of(body.to()), body.quantity(), body.reason());
    }
  }

  /**
   * What the three requests' bodies may hold (the contract checked which each needs): the location, quantities, the
   * states of a move and the reason.
   */
  private record Body(String locationId, Long quantity, Long countedQuantity, Long expectedQuantity, String from, String to,
                      String reason) {
    static Body of(BusRequest request) {
      return RecordCodec.api(Body.class).decode(request.body());
    }

    /** The location named, or the default one of the tenant. */
    String locationOr(String tenantId) {
      return locationId == null ? Locations.defaultId(tenantId) : locationId;
    }
  }
}
