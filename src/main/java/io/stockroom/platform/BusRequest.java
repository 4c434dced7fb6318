package io.stockroom.platform;

import io.stockroom.auth.Caller;
import io.vertx.core.json.JsonObject;

/**
 * The envelope the HTTP layer sends to a service verticle: the authenticated caller plus the request's validated
 * path parameters, query parameters and body. Services read inputs only from here.
 */
public record BusRequest(Caller caller, JsonObject path, JsonObject query, JsonObject body) {

  public static BusRequest of(Caller caller, JsonObject path, JsonObject query, JsonObject body) {
    return new BusRequest(caller,
      path == null ? new JsonObject() : path,
      query == null ? new JsonObject() : query,
      body == null ? new JsonObject() : body);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("caller", caller == null ? null : caller.toJson())
      .put("path", path).put("query", query).put("body", body);
  }

  public static BusRequest fromJson(JsonObject json) {
    return of(Caller.fromJson(json.getJsonObject("caller")), json.getJsonObject("path"),
      json.getJsonObject("query"), json.getJsonObject("body"));
  }

  public String tenantId() {
    return caller.tenantId();
  }

  public String pathParam(String name) {
    return path.getString(name);
  }
}
