package io.stockroom.webhook;

import io.stockroom.inventory.LowStockTransition;
import io.stockroom.inventory.StockEvents;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook events that the movements of committed units record: one per stock event (the movements of one unit
 * with the same event key, in ledger order, named by the first of them) and one per low-stock transition (named by
 * its movement). A unit's movements must be all of them: an event made of some would be another event.
 */
final class LedgerEvents {
  /** An event and the movements it was made from. */
  record Made(WebhookEvent event, List<String> movementIds) {
  }

  private LedgerEvents() {
  }

  /** @param units each committed unit's movements, all of them, in ledger order */
  static List<Made> of(String tenantId, Collection<List<JsonObject>> units) {
    List<Made> made = new ArrayList<>();
    for (List<JsonObject> movements : units) {
      Map<StockEvents.Key, List<JsonObject>> byEvent = new LinkedHashMap<>();
      for (JsonObject movement : movements) {
        StockEvents.Key key = StockEvents.Key.ofMovement(movement);
        if (key != null) byEvent.computeIfAbsent(key, k -> new ArrayList<>()).add(movement);
        LowStockTransition lowStock = LowStockTransition.ofMovement(movement);
        if (lowStock != null) {
          MovementRef ref = MovementRef.of(movement);
          made.add(new Made(new WebhookEvent(ref.id(), tenantId, List.of(lowStock.type()), ref.recordedAt(), lowStock.data()),
            List.of(ref.id())));
        }
      }
      byEvent.forEach((key, ofEvent) -> {
        MovementRef first = MovementRef.of(ofEvent.get(0));
        made.add(new Made(new WebhookEvent(first.id(), tenantId, WebhookEvents.ofStock(key.type()), first.recordedAt(),
          StockEvents.fromLedger(ofEvent)), ofEvent.stream().map(m -> MovementRef.of(m).id()).toList()));
      });
    }
    return made;
  }

  /**
   * What the webhook package reads of a stock movement ({@code io.stockroom.inventory}'s ledger): its id, its unit
   * (none on movements of releases before the ledger carried events) and when it was recorded, as stored.
   */
  record MovementRef(@Key("_id") String id, String unitId, JsonObject createdAt) {
    static MovementRef of(JsonObject movement) {
      return RecordCodec.fromDocument(MovementRef.class, movement);
    }

    /** The recording time as MongoDB's client gave it: an event's timestamp, byte for byte. */
    String recordedAt() {
      return WebhookEvent.storedDateText(createdAt);
    }
  }
}
