package io.stockroom.inventory;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Stock events, published on the event bus after a unit of work committed (never for a rolled-back one) to the
 * tenant's address {@code stock.<tenantId>}. Each changed variant carries the location and the states its units moved
 * between, its on-hand change ({@code delta}) and its totals after the change ({@code stockAfter} on hand,
 * {@code availableAfter} sellable), so a client that missed events can tell and resync from the REST API.
 */
public final class StockEvents {
  public static final String ADDRESS_PREFIX = "stock.";

  public enum Type {
    ORDER_PLACED, ORDER_CANCELLED, RETURNED, PO_RECEIVED, ADJUSTED, STATE_CHANGED, RESERVED, RELEASED, EXPIRED,
    TRANSFER_SHIPPED, TRANSFER_RECEIVED
  }

  private StockEvents() {
  }

  public static String address(String tenantId) {
    return ADDRESS_PREFIX + tenantId;
  }

  public static void publish(Vertx vertx, String tenantId, Type type, String sourceId, List<JsonObject> movements) {
    JsonArray variants = new JsonArray();
    for (JsonObject m : movements) {
      variants.add(new JsonObject()
        .put("variantId", m.getString("variantId"))
        .put("sku", m.getString("sku"))
        .put("locationId", m.getString("locationId"))
        .put("from", m.getString("from"))
        .put("to", m.getString("to"))
        .put("units", m.getLong("units"))
        .put("delta", m.getLong("quantity"))
        .put("stockAfter", m.getLong("stockAfter"))
        .put("availableAfter", m.getLong("availableAfter"))
        .put("movementId", m.getString("_id")));
    }
    JsonObject event = new JsonObject()
      .put("type", type.name())
      .put("tenantId", tenantId)
      .put("sourceId", sourceId)
      .put("occurredAt", Mongo.now().getString("$date"))
      .put("variants", variants);
    vertx.eventBus().publish(address(tenantId), event);
  }
}
