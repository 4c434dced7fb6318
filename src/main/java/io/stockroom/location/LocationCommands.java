package io.stockroom.location;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;

/** The commands of {@link LocationService}, each parsed once from its request (validated by the contract). */
public final class LocationCommands {
  private LocationCommands() {
  }

  public record CreateLocation(Invocation by, String name, String code, String address, boolean active) {
    static CreateLocation from(BusRequest request) {
      JsonObject body = request.body();
      return new CreateLocation(request.invocation(), body.getString("name"), body.getString("code"), body.getString("address"),
        body.getBoolean("active", true));
    }
  }

  /** A partial change by the contract's {@code LocationPatch}: name, code, address (null removes it), active. */
  public record ChangeLocation(Invocation by, String locationId, JsonObject changes) {
    static ChangeLocation from(BusRequest request) {
      return new ChangeLocation(request.invocation(), request.pathParam("locationId"), request.body());
    }

    boolean deactivates() {
      return Boolean.FALSE.equals(changes.getBoolean("active"));
    }
  }

  /** The allocation rule to keep: each location named once. */
  public record SetAllocation(Invocation by, AllocationRules.Rule rule) {
    public SetAllocation {
      if (new LinkedHashSet<>(rule.locationIds()).size() != rule.locationIds().size()) {
        throw new ServiceError(ErrorCode.VALIDATION, "Each location may appear once in locationIds");
      }
    }

    static SetAllocation from(BusRequest request) {
      List<String> ids = request.body().getJsonArray("locationIds", new JsonArray()).stream().map(String::valueOf).toList();
      return new SetAllocation(request.invocation(), new AllocationRules.Rule(
        AllocationRules.Strategy.valueOf(request.body().getString("strategy")), ids));
    }
  }
}
