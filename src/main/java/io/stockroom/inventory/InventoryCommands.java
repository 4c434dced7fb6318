package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;

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
      JsonObject body = request.body();
      return new Adjust(request.invocation(), request.pathParam("variantId"), locationOf(request), body.getLong("quantity"),
        body.getString("reason"));
    }
  }

  /**
   * A cycle count: if stock is no longer what the counter expected, 409 with the current value (compare-and-set);
   * otherwise an ADJUSTMENT for the difference (none when it matches).
   */
  public record Count(Invocation by, String variantId, String locationId, long counted, long expected, String reason) {
    static Count from(BusRequest request) {
      JsonObject body = request.body();
      return new Count(request.invocation(), request.pathParam("variantId"), locationOf(request), body.getLong("countedQuantity"),
        body.getLong("expectedQuantity"), body.getString("reason", "cycle count"));
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
      JsonObject body = request.body();
      return new MoveState(request.invocation(), request.pathParam("variantId"), locationOf(request),
        StockState.of(body.getString("from")), StockState.of(body.getString("to")), body.getLong("quantity"), body.getString("reason"));
    }
  }

  private static String locationOf(BusRequest request) {
    return request.body().getString("locationId", Locations.defaultId(request.tenantId()));
  }
}
