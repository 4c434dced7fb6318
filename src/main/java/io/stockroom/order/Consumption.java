package io.stockroom.order;

import io.stockroom.inventory.VariantLines;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an order takes of the reservation it consumes: the held units it buys, and the rest, going back to available. */
record Consumption(List<Allocation.Part> sold, List<Allocation.Part> released) {

  /**
   * Each variant's units are taken from its holds in the order they were allocated. An order asking for more of a
   * variant than the reservation holds is a 409 listing those lines ({@code variants} give their SKUs).
   */
  static Consumption of(JsonObject reservation, Map<String, Long> ordered, Map<String, JsonObject> variants) {
    requireFits(reservation, ordered, variants);
    List<Allocation.Part> sold = new ArrayList<>();
    List<Allocation.Part> released = new ArrayList<>();
    for (Object o : reservation.getJsonArray("lines")) {
      JsonObject line = (JsonObject) o;
      String variantId = line.getString("variantId");
      long left = ordered.getOrDefault(variantId, 0L);
      for (Object a : line.getJsonArray("allocations")) {
        JsonObject held = (JsonObject) a;
        long take = Math.min(left, held.getLong("quantity"));
        left -= take;
        if (take > 0) sold.add(new Allocation.Part(variantId, held.getString("locationId"), take));
        long rest = held.getLong("quantity") - take;
        if (rest > 0) released.add(new Allocation.Part(variantId, held.getString("locationId"), rest));
      }
    }
    return new Consumption(List.copyOf(sold), List.copyOf(released));
  }

  private static void requireFits(JsonObject reservation, Map<String, Long> ordered, Map<String, JsonObject> variants) {
    JsonArray beyond = new JsonArray();
    ordered.forEach((variantId, quantity) -> {
      JsonObject line = VariantLines.find(reservation.getJsonArray("lines"), variantId);
      long held = line == null ? 0 : line.getLong("quantity");
      if (quantity > held) {
        beyond.add(new JsonObject().put("variantId", variantId).put("sku", variants.get(variantId).getString("sku"))
          .put("requested", quantity).put("reserved", held));
      }
    });
    if (!beyond.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "The order asks for more than the reservation holds; nothing was changed",
        new JsonObject().put("lines", beyond));
    }
  }
}
