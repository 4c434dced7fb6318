package io.stockroom.location;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;

/** The commands of {@link LocationService}, each parsed once from its request (validated by the contract). */
public final class LocationCommands {
  private LocationCommands() {
  }

  public record CreateLocation(Invocation by, String name, String code, String address, boolean active) {
    /** The contract's {@code LocationCreate}; a location is active unless it says otherwise. */
    private record Body(String name, String code, String address, Boolean active) {
    }

    static CreateLocation from(BusRequest request) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new CreateLocation(request.invocation(), body.name(), body.code(), body.address(), body.active() == null || body.active());
    }
  }

  /** A partial change by the contract's {@code LocationPatch}: name, code, address (null removes it), active. */
  public record ChangeLocation(Invocation by, String locationId, JsonObject changes) {
    static ChangeLocation from(BusRequest request) {
      return new ChangeLocation(request.invocation(), request.pathParam("locationId"), request.body());
    }

    boolean deactivates() {
      return Boolean.FALSE.equals(changes.getValue(Location.ACTIVE));
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
      return new SetAllocation(request.invocation(), RecordCodec.api(AllocationRules.Rule.class).decode(request.body()));
    }
  }
}
