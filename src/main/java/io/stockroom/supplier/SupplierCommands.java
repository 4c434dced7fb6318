package io.stockroom.supplier;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;

/** The commands of {@link SupplierService}, each parsed once from its request (validated by the contract). */
public final class SupplierCommands {
  private SupplierCommands() {
  }

  public record CreateSupplier(Invocation by, SupplierProfile profile) {
    static CreateSupplier from(BusRequest request) {
      return new CreateSupplier(request.invocation(), SupplierProfile.fromJson(request.body()));
    }
  }

  /** A partial change by the contract's {@code SupplierPatch}: a field given null is removed, one not given kept. */
  public record ChangeSupplier(Invocation by, String supplierId, JsonObject changes) {
    public ChangeSupplier {
      if (changes.isEmpty()) throw new ServiceError(ErrorCode.VALIDATION, "Name at least one field to change");
      if (changes.containsKey(SupplierProfile.NAME) && changes.getValue(SupplierProfile.NAME) == null) {
        throw new ServiceError(ErrorCode.VALIDATION, "A supplier keeps its name: give another one instead of null");
      }
    }

    static ChangeSupplier from(BusRequest request) {
      return new ChangeSupplier(request.invocation(), request.pathParam("supplierId"), request.body());
    }
  }
}
