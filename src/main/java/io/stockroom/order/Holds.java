package io.stockroom.order;

import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockState;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The ledger side of reservations: RESERVATION movements that move units from {@code available} to {@code reserved}
 * (a hold) or back (a release, an expiry, what an order did not take). On hand never changes.
 */
final class Holds {
  private Holds() {
  }

  static Future<List<JsonObject>> hold(Unit unit, StockLedger ledger, Map<String, JsonObject> latest, List<Allocation.Part> parts,
                                       String tenantId, String keyPrefix, JsonObject source, String actor, String reason, String day,
                                       StockEvents.Key event) {
    return move(unit, ledger, latest, parts, tenantId, keyPrefix, source, actor, reason, day, event, StockState.AVAILABLE, StockState.RESERVED);
  }

  static Future<List<JsonObject>> release(Unit unit, StockLedger ledger, Map<String, JsonObject> latest, List<Allocation.Part> parts,
                                          String tenantId, String keyPrefix, JsonObject source, String actor, String reason, String day,
                                          StockEvents.Key event) {
    return move(unit, ledger, latest, parts, tenantId, keyPrefix, source, actor, reason, day, event, StockState.RESERVED, StockState.AVAILABLE);
  }

  private static Future<List<JsonObject>> move(Unit unit, StockLedger ledger, Map<String, JsonObject> latest, List<Allocation.Part> parts,
                                               String tenantId, String keyPrefix, JsonObject source, String actor, String reason,
                                               String day, StockEvents.Key event, StockState from, StockState to) {
    return Steps.map(parts, part -> {
      JsonObject variant = latest.get(part.variantId());
      StockChange change = StockChange.move(tenantId, variant, MovementType.RESERVATION, part.quantity(), from, to, source,
        keyPrefix + ":" + part.variantId() + ":" + part.locationId(), actor, reason, day).at(part.locationId()).partOf(event);
      return ledger.applyToLatest(unit, latest, change);
    });
  }
}
