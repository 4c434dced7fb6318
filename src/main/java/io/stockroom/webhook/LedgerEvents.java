package io.stockroom.webhook;

import io.stockroom.inventory.LowStockTransition;
import io.stockroom.inventory.StockEvents;
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
          made.add(new Made(new WebhookEvent(movement.getString("_id"), tenantId, List.of(lowStock.type()), recordedAt(movement),
            lowStock.data()), List.of(movement.getString("_id"))));
        }
      }
      byEvent.forEach((key, ofEvent) -> {
        JsonObject first = ofEvent.get(0);
        made.add(new Made(new WebhookEvent(first.getString("_id"), tenantId, WebhookEvents.ofStock(key.type()), recordedAt(first),
          StockEvents.fromLedger(ofEvent)), ofEvent.stream().map(m -> m.getString("_id")).toList()));
      });
    }
    return made;
  }

  private static String recordedAt(JsonObject movement) {
    return movement.getJsonObject("createdAt").getString("$date");
  }
}
