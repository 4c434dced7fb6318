package io.stockroom.inventory;

import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Stock events. The ledger is their durable record: each movement of an event carries the event's {@link Key} and the
 * id of its unit of work, so the movements of one event can be found again once the unit committed (webhooks read
 * them there, see {@code webhook/LedgerFollower}). After the unit committed (never for a rolled-back one) the event is
 * also published on the event bus to the tenant's address {@code stock.<tenantId>}. Each changed variant carries the
 * location and the states its units moved between, its on-hand change ({@code delta}), its totals after the change
 * ({@code stockAfter} on hand, {@code availableAfter} sellable) and its ledger {@code sequence}, so a client that
 * missed events can tell and resync from the REST API.
 */
public final class StockEvents {
  public static final String ADDRESS_PREFIX = "stock.";
  /**
   * The outbox type of a stock event, as releases before the ledger carried events wrote them (stock units no longer
   * write any); an upgrade still hands those on.
   */
  public static final String OUTBOX_TYPE = "stock";

  public enum Type {
    ORDER_PLACED, ORDER_CANCELLED, RETURNED, PO_RECEIVED, ADJUSTED, STATE_CHANGED, RESERVED, RELEASED, EXPIRED,
    TRANSFER_SHIPPED, TRANSFER_RECEIVED
  }

  /**
   * The stock event a movement belongs to: its type and the document that caused it (the order, the receipt, ...).
   * Stored on the movement as {@code event: {type, sourceId}}.
   */
  public record Key(Type type, String sourceId) {
    public Key {
      if (type == null || sourceId == null) throw new IllegalArgumentException("an event needs its type and source id");
    }

    JsonObject toJson() {
      return new JsonObject().put("type", type.name()).put("sourceId", sourceId);
    }

    /** The event a stored movement belongs to, or null when it belongs to none. */
    public static Key ofMovement(JsonObject movement) {
      JsonObject event = movement.getJsonObject("event");
      return event == null ? null : new Key(Type.valueOf(event.getString("type")), event.getString("sourceId"));
    }
  }

  private StockEvents() {
  }

  public static String address(String tenantId) {
    return ADDRESS_PREFIX + tenantId;
  }

  /**
   * Inside the unit, once its movements are recorded: the returned {@link Work.Done} answers {@code reply} and
   * publishes the event once the unit committed. Each movement must have been recorded by this unit as part of this
   * event ({@link StockChange#partOf}); otherwise the unit fails, as webhooks would not find the event in the ledger.
   */
  public static Future<Work.Done> recorded(Unit unit, Vertx vertx, Reply reply, String tenantId, Type type, String sourceId,
                                           List<JsonObject> movements) {
    Key key = new Key(type, sourceId);
    for (JsonObject m : movements) {
      if (!key.equals(Key.ofMovement(m)) || !unit.id().equals(m.getString("unitId"))) {
        return Future.failedFuture(new IllegalStateException("Movement " + m.getString("_id") + " was not recorded as part of "
          + type + " " + sourceId + " by unit " + unit.id()));
      }
    }
    JsonObject event = event(tenantId, type, sourceId, Mongo.now().getString("$date"), movements);
    return Future.succeededFuture(new Work.Done(reply, () -> vertx.eventBus().publish(address(tenantId), event)));
  }

  /**
   * The event as its stored movements (all of one event, in ledger order) describe it, dated by the first of them:
   * the same shape as the published one.
   */
  public static JsonObject fromLedger(List<JsonObject> movements) {
    JsonObject first = movements.get(0);
    Key key = Key.ofMovement(first);
    return event(first.getString("tenantId"), key.type(), key.sourceId(), first.getJsonObject("createdAt").getString("$date"), movements);
  }

  private static JsonObject event(String tenantId, Type type, String sourceId, String occurredAt, List<JsonObject> movements) {
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
      .put("occurredAt", occurredAt)
      .put("variants", variants);
  }
}
