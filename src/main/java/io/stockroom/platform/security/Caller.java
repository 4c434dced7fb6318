package io.stockroom.platform.security;

import io.vertx.core.json.JsonObject;

/**
 * Who is calling, taken from a verified JWT only. Every service operation scopes its reads and writes by
 * {@link #tenantId()}; nothing in a request body or query can change it.
 */
public record Caller(String tenantId, String userId, Role role) {

  public JsonObject toJson() {
    return new JsonObject().put("tenantId", tenantId).put("userId", userId).put("role", role.name());
  }

  /** @return the caller, or null when the message carries none (public operations) */
  public static Caller fromJson(JsonObject json) {
    if (json == null) return null;
    return new Caller(json.getString("tenantId"), json.getString("userId"), Role.parse(json.getString("role")));
  }
}
