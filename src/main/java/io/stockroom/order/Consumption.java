package io.stockroom.order;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an order takes of the reservation it consumes: the held units it buys, and the rest, going back to available. */
record Consumption(List<Allocation.Part> sold, List<Allocation.Part> released) {

  /** A line asking more than is held of its variant (the 409's {@code lines}). */
  private record Beyond(String variantId, String sku, long requested, long reserved) {
  }

  /**
   * Each variant's units are taken from its holds in the order they were allocated. An order asking for more of a
   * variant than the reservation holds is a 409 listing those lines ({@code variants} give their SKUs).
   */
  static Consumption of(Reservation reservation, Map<String, Long> ordered, Map<String, JsonObject> variants) {
    requireFits(reservation, ordered, variants);
    List<Allocation.Part> sold = new ArrayList<>();
    List<Allocation.Part> released = new ArrayList<>();
    for (Reservation.Line line : reservation.lines()) {
      String variantId = line.variantId();
      long left = ordered.getOrDefault(variantId, 0L);
      for (Reservation.Hold held : line.allocations()) {
        long take = Math.min(left, held.quantity());
        left -= take;
        if (take > 0) sold.add(new Allocation.Part(variantId, held.locationId(), take));
        long rest = held.quantity() - take;
        if (rest > 0) released.add(new Allocation.Part(variantId, held.locationId(), rest));
      }
    }
    return new Consumption(List.copyOf(sold), List.copyOf(released));
  }

  private static void requireFits(Reservation reservation, Map<String, Long> ordered, Map<String, JsonObject> variants) {
    JsonArray beyond = new JsonArray();
    ordered.forEach((variantId, quantity) -> {
      Reservation.Line line = reservation.line(variantId);
      long held = line == null ? 0 : line.quantity();
      if (quantity > held) {
        beyond.add(RecordCodec.toApi(new Beyond(variantId, Sellable.of(variants.get(variantId)).sku(), quantity, held)));
      }
    });
    if (!beyond.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "The order asks for more than the reservation holds; nothing was changed",
        Ops.where(Order.LINES, beyond));
    }
  }
}
