package io.stockroom.inventory;

import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    /** The event a stored movement belongs to, or null when it belongs to none. */
    public static Key ofMovement(JsonObject movement) {
      return Movement.of(movement).event();
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
    List<Movement> recorded = movements.stream().map(Movement::of).toList();
    for (Movement m : recorded) {
      if (!key.equals(m.event()) || !unit.id().equals(m.unitId())) {
        return Future.failedFuture(new IllegalStateException("Movement " + m.id() + " was not recorded as part of "
          + type + " " + sourceId + " by unit " + unit.id()));
      }
    }
    JsonObject event = event(tenantId, type, sourceId, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), recorded);
    return Future.succeededFuture(new Work.Done(reply, () -> vertx.eventBus().publish(address(tenantId), event)));
  }

  /**
   * The event as its stored movements (all of one event, in ledger order) describe it, dated by the first of them
   * (the text of its stored date): the same shape as the published one.
   */
  public static JsonObject fromLedger(List<JsonObject> movements) {
    List<Movement> recorded = movements.stream().map(Movement::of).toList();
    Movement first = recorded.get(0);
    String occurredAt = movements.get(0).getJsonObject(Fields.CREATED_AT).getString("$date");
    return event(first.tenantId(), first.event().type(), first.event().sourceId(), occurredAt, recorded);
  }

  /** What subscribers get: the event and each variant it changed. */
  private record Event(Type type, String tenantId, String sourceId, String occurredAt, List<JsonObject> variants) {
  }

  /** One changed variant; every key is sent, null or not. */
  private record Changed(@ExplicitNull String variantId, @ExplicitNull String sku, @ExplicitNull String locationId,
                         @ExplicitNull String from, @ExplicitNull String to, @ExplicitNull Long units, @ExplicitNull Long delta,
                         @ExplicitNull Long stockAfter, @ExplicitNull Long availableAfter, @ExplicitNull Long sequence,
                         @ExplicitNull String movementId) {

    static Changed of(Movement m) {
      return new Changed(m.variantId(), m.sku(), m.locationId(), m.from(), m.to(), m.units(), m.quantity(), m.stockAfter(),
        m.availableAfter(), m.sequence(), m.id());
    }

    JsonObject toJson() {
      return RecordCodec.toApi(this);
    }
  }

  private static JsonObject event(String tenantId, Type type, String sourceId, String occurredAt, List<Movement> movements) {
    return RecordCodec.toApi(new Event(type, tenantId, sourceId, occurredAt, movements.stream().map(m -> Changed.of(m).toJson()).toList()));
  }
}
