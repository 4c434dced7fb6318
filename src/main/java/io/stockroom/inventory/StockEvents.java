package io.stockroom.inventory;

import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.outbox.Outbox;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Stock events. Each is recorded in the outbox inside the unit of work that made the change (for webhooks: it exists
 * only if the unit committed) and published on the event bus after the unit committed (never for a rolled-back one)
 * to the tenant's address {@code stock.<tenantId>}. Each changed variant carries the location and the states its
 * units moved between, its on-hand change ({@code delta}), its totals after the change ({@code stockAfter} on hand,
 * {@code availableAfter} sellable) and its ledger {@code sequence}, so a client that missed events can tell and
 * resync from the REST API.
 */
public final class StockEvents {
  public static final String ADDRESS_PREFIX = "stock.";
  /** The outbox type of a stock event; its {@code data} is the event as published. */
  public static final String OUTBOX_TYPE = "stock";

  public enum Type {
    ORDER_PLACED, ORDER_CANCELLED, RETURNED, PO_RECEIVED, ADJUSTED, STATE_CHANGED, RESERVED, RELEASED, EXPIRED,
    TRANSFER_SHIPPED, TRANSFER_RECEIVED
  }

  private StockEvents() {
  }

  public static String address(String tenantId) {
    return ADDRESS_PREFIX + tenantId;
  }

  /**
   * Inside the unit: records the event of these movements in the outbox; the returned {@link Work.Done} answers
   * {@code reply} and publishes the same event once the unit committed.
   */
  public static Future<Work.Done> recorded(Unit unit, Vertx vertx, Reply reply, String tenantId, Type type, String sourceId,
                                           List<JsonObject> movements) {
    JsonObject event = event(tenantId, type, sourceId, movements);
    return Outbox.record(unit, tenantId, OUTBOX_TYPE, event)
      .map(v -> new Work.Done(reply, () -> vertx.eventBus().publish(address(tenantId), event)));
  }

  static JsonObject event(String tenantId, Type type, String sourceId, List<JsonObject> movements) {
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
        .put("sequence", m.getLong("sequence"))
        .put("movementId", m.getString("_id")));
    }
    return new JsonObject()
      .put("type", type.name())
      .put("tenantId", tenantId)
      .put("sourceId", sourceId)
      .put("occurredAt", Mongo.now().getString("$date"))
      .put("variants", variants);
  }
}
