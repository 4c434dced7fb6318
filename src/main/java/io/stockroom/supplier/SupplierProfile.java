package io.stockroom.supplier;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;

/** What a tenant says about a supplier (the contract's {@code SupplierCreate}): only the name is required. */
public record SupplierProfile(String name, String contactName, String email, String phone, String address, Integer leadTimeDays,
                              String notes) {
  public SupplierProfile {
    if (name == null || name.isBlank()) throw new ServiceError(ErrorCode.VALIDATION, "A supplier needs a name");
  }

  static SupplierProfile fromJson(JsonObject json) {
    return new SupplierProfile(json.getString("name"), json.getString("contactName"), json.getString("email"),
      json.getString("phone"), json.getString("address"), json.getInteger("leadTimeDays"), json.getString("notes"));
  }

  /** The fields given, by their contract names (a field not given is left out, not null). */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name);
    if (contactName != null) json.put("contactName", contactName);
    if (email != null) json.put("email", email);
    if (phone != null) json.put("phone", phone);
    if (address != null) json.put("address", address);
    if (leadTimeDays != null) json.put("leadTimeDays", leadTimeDays);
    if (notes != null) json.put("notes", notes);
    return json;
  }
}
