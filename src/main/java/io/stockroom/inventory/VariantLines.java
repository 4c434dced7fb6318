package io.stockroom.inventory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Order, purchase-order and receipt documents keep one line per variant, each with a {@code variantId}. */
public final class VariantLines {
  private VariantLines() {
  }

  /** @return the line for {@code variantId}, or null */
  public static JsonObject find(JsonArray lines, String variantId) {
    for (Object o : lines) {
      if (variantId.equals(((JsonObject) o).getString("variantId"))) return (JsonObject) o;
    }
    return null;
  }
}
