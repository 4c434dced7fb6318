package io.stockroom.platform.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.Json;

/**
 * A successful service answer: the HTTP status to use and the JSON body (a JsonObject, JsonArray or null). It crosses
 * the bus as the body's JSON text, encoded once here, which the HTTP verticle writes as it is.
 */
public record Reply(int status, Object body) {
  public static final String STATUS_HEADER = "status";

  public static Reply ok(Object body) { return new Reply(200, body); }
  public static Reply created(Object body) { return new Reply(201, body); }
  public static Reply noContent() { return new Reply(204, null); }

  /** The body's JSON text, or null for no body. */
  public Buffer encodedBody() {
    return body == null ? null : Json.encodeToBuffer(body);
  }

  public DeliveryOptions deliveryOptions() {
    DeliveryOptions options = new DeliveryOptions().addHeader(STATUS_HEADER, Integer.toString(status));
    return body == null ? options : options.setCodecName(BusCodecs.REPLY_BYTES);
  }
}
