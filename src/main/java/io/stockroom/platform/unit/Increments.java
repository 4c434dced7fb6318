package io.stockroom.platform.unit;

import io.vertx.core.json.JsonObject;

/** Helpers for {@code $inc} documents. */
public final class Increments {
  private Increments() {
  }

  /** The same fields with every amount negated. */
  public static JsonObject negate(JsonObject increments) {
    JsonObject negated = new JsonObject();
    increments.forEach(e -> negated.put(e.getKey(), -((Number) e.getValue()).longValue()));
    return negated;
  }
}
