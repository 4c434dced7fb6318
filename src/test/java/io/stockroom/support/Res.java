package io.stockroom.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** An HTTP response as tests need it ({@code location}: its Location header, if any). */
public record Res(int status, String contentType, String text, String location) {

  /**
   * Every answer a test reads through here is also checked for MongoDB's extended JSON ({@code $date},
   * {@code $numberLong}, {@code $oid}, {@code $numberDecimal}...): no key of a JSON answer may start with {@code $}.
   */
  public static Res of(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    Res res = new Res(response.statusCode(), response.getHeader("Content-Type"), body == null ? "" : body.toString(),
      response.getHeader("Location"));
    res.assertNoExtendedJson();
    return res;
  }

  private void assertNoExtendedJson() {
    if (contentType == null || !contentType.contains("json") || text.isBlank()) return;
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException notJson) {
      return;
    }
    String key = extendedKey(parsed);
    if (key != null) throw new AssertionError("MongoDB extended JSON (" + key + ") reached a client: " + this);
  }

  private static String extendedKey(Object value) {
    if (value instanceof JsonObject object) {
      for (var entry : object) {
        if (entry.getKey().startsWith("$")) return entry.getKey();
        String inner = extendedKey(entry.getValue());
        if (inner != null) return inner;
      }
    } else if (value instanceof JsonArray array) {
      for (Object item : array) {
        String inner = extendedKey(item);
        if (inner != null) return inner;
      }
    }
    return null;
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

  /** A health answer's checks: the status of each, by its id. */
  public java.util.Map<String, String> healthChecks() {
    java.util.Map<String, String> checks = new java.util.TreeMap<>();
    JsonArray all = json().getJsonArray("checks", new JsonArray());
    for (int i = 0; i < all.size(); i++) checks.put(all.getJsonObject(i).getString("id"), all.getJsonObject(i).getString("status"));
    return checks;
  }

  @Override
  public String toString() {
    return status + " " + text;
  }
}
