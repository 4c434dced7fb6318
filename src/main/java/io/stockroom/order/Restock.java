package io.stockroom.order;

import io.stockroom.inventory.StockState;
import io.stockroom.inventory.VariantLines;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.ReturnedItem;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Units of an order coming back: the order's lines as they become (a copy, the order read is left as it is) and the
 * units going back to stock. Only a PLACED order has units to give back.
 */
record Restock(JsonArray lines, List<Back> back) {
  /** Units going back to stock: from which order line, to which location and state. */
  record Back(JsonObject line, String locationId, long quantity, StockState to) {
  }

  /** A cancellation: every unit not yet returned goes back to available, at the location it left. */
  static Restock cancelling(JsonObject order) {
    requirePlaced(order, "only PLACED orders can be cancelled");
    JsonArray lines = order.getJsonArray("lines").copy();
    List<Back> back = new ArrayList<>();
    for (Object o : lines) {
      JsonObject line = (JsonObject) o;
      JsonArray allocations = allocations(order, line);
      for (Object a : allocations) {
        JsonObject part = (JsonObject) a;
        long remaining = part.getLong("quantity") - part.getLong("returned");
        if (remaining > 0) back.add(new Back(line, part.getString("locationId"), remaining, StockState.AVAILABLE));
        part.put("returned", part.getLong("quantity"));
      }
      line.put("allocations", allocations).put("returned", line.getLong("quantity"));
    }
    return new Restock(lines, List.copyOf(back));
  }

  /**
   * A partial return: never more than sold minus already returned, per line (a 409 listing the lines asking more).
   * Units go back to the locations they left (the most recently allocated first) or to the location an item names,
   * into the state the item says.
   */
  static Restock returning(JsonObject order, List<ReturnedItem> items) {
    requirePlaced(order, "nothing left to return");
    JsonArray lines = order.getJsonArray("lines").copy();
    requireReturnable(lines, items);
    List<Back> back = new ArrayList<>();
    for (ReturnedItem item : items) {
      JsonObject line = VariantLines.find(lines, item.variantId());
      JsonArray allocations = allocations(order, line);
      long left = item.quantity();
      for (int i = allocations.size() - 1; i >= 0 && left > 0; i--) {
        JsonObject part = allocations.getJsonObject(i);
        long take = Math.min(left, part.getLong("quantity") - part.getLong("returned"));
        if (take <= 0) continue;
        part.put("returned", part.getLong("returned") + take);
        left -= take;
        back.add(new Back(line, item.locationId() != null ? item.locationId() : part.getString("locationId"), take, item.to()));
      }
      line.put("allocations", allocations).put("returned", line.getLong("returned") + item.quantity());
    }
    return new Restock(lines, List.copyOf(back));
  }

  /**
   * The units going back, one entry per variant, location and state (each becomes one RETURN movement), keyed by
   * what tells the movements apart.
   */
  Map<String, Back> perMovement() {
    Map<String, Back> merged = new TreeMap<>();
    for (Back b : back) {
      String key = b.line().getString("variantId") + ":" + b.locationId() + (b.to() == StockState.AVAILABLE ? "" : ":" + b.to().field());
      merged.merge(key, b, (x, y) -> new Back(x.line(), x.locationId(), x.quantity() + y.quantity(), x.to()));
    }
    return merged;
  }

  /** Whether every unit sold has come back. */
  boolean allReturned() {
    return lines.stream().map(JsonObject.class::cast).allMatch(line -> line.getLong("returned").equals(line.getLong("quantity")));
  }

  private static void requireReturnable(JsonArray lines, List<ReturnedItem> items) {
    Map<String, Long> unitsByVariant = new TreeMap<>();
    items.forEach(item -> unitsByVariant.merge(item.variantId(), item.quantity(), Long::sum));
    JsonArray problems = new JsonArray();
    unitsByVariant.forEach((variantId, quantity) -> {
      JsonObject line = VariantLines.find(lines, variantId);
      long returnable = line == null ? 0 : line.getLong("quantity") - line.getLong("returned");
      if (quantity > returnable) {
        problems.add(new JsonObject().put("variantId", variantId).put("sku", line == null ? null : line.getString("sku"))
          .put("returnable", returnable).put("requested", quantity));
      }
    });
    if (!problems.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "Cannot return more than was sold and not yet returned",
        new JsonObject().put("lines", problems));
    }
  }

  private static void requirePlaced(JsonObject order, String why) {
    if (OrderStatus.of(order.getString("status")) != OrderStatus.PLACED) {
      throw new ServiceError(ErrorCode.CONFLICT, "Order is " + order.getString("status") + "; " + why,
        new JsonObject().put("currentStatus", order.getString("status")));
    }
  }

  /** The line's allocations (a copy); orders from before locations existed took everything at the default location. */
  private static JsonArray allocations(JsonObject order, JsonObject line) {
    JsonArray stored = line.getJsonArray("allocations");
    if (stored != null) return stored.copy();
    return new JsonArray().add(new JsonObject().put("locationId", Locations.defaultId(order.getString("tenantId")))
      .put("quantity", line.getLong("quantity")).put("returned", line.getLong("returned")));
  }
}
