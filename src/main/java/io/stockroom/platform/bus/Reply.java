package io.stockroom.platform.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/** A successful service answer: the HTTP status to use and the JSON body (a JsonObject, JsonArray or null). */
public record Reply(int status, Object body) {
  public static final String STATUS_HEADER = "status";

  public static Reply ok(Object body) { return new Reply(200, body); }
  public static Reply created(Object body) { return new Reply(201, body); }
  public static Reply noContent() { return new Reply(204, null); }

  public DeliveryOptions deliveryOptions() {
    return new DeliveryOptions().addHeader(STATUS_HEADER, Integer.toString(status));
  }
}
