package io.stockroom.supplier;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

/** What a tenant says about a supplier (the contract's {@code SupplierCreate}): only the name is required. */
public record SupplierProfile(String name, String contactName, String email, String phone, String address, Integer leadTimeDays,
                              String notes) {
  public SupplierProfile {
    if (name == null || name.isBlank()) throw new ServiceError(ErrorCode.VALIDATION, "A supplier needs a name");
  }

  static final String NAME = "name";

  /** The profile's fields of a request's body or of a supplier's document (where they sit at top level). */
  static SupplierProfile fromJson(JsonObject json) {
    return RecordCodec.api(SupplierProfile.class).decode(json);
  }

  /** The fields given, by their contract names (a field not given is left out, not null). */
  JsonObject toJson() {
    return RecordCodec.toApi(this);
  }
}
