package io.stockroom.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** An HTTP response as tests need it. */
public record Res(int status, String contentType, String text) {

  public static Res of(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    return new Res(response.statusCode(), response.getHeader("Content-Type"), body == null ? "" : body.toString());
  }

  public JsonObject json() {
    return text.isEmpty() ? new JsonObject() : new JsonObject(text);
  }

  public JsonArray items() {
    return json().getJsonArray("items");
  }

  public String id() {
    return json().getString("id");
  }

  @Override
  public String toString() {
    return status + " " + text;
  }
}
