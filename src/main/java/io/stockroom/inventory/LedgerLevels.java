package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/**
 * A variant's levels as its movements add them up: per location, on hand is the sum of the movements' quantities and
 * every stored state the units moved into it minus the units moved out. Movements from before locations existed
 * name no location: they are at the default location.
 */
public final class LedgerLevels {
  private final String tenantId;
  private final JsonObject levels = new JsonObject();
  private long stock;

  LedgerLevels(String tenantId) {
    this.tenantId = tenantId;
  }

  void add(String locationId, String from, String to, long quantity, long units) {
    String location = locationId == null ? Locations.defaultId(tenantId) : locationId;
    JsonObject level = levels.getJsonObject(location);
    if (level == null) levels.put(location, level = StockLevels.empty());
    level.put("onHand", level.getLong("onHand") + quantity);
    stock += quantity;
    StockState fromState = StockState.of(from);
    StockState toState = StockState.of(to);
    if (fromState != null && fromState != StockState.AVAILABLE) level.put(from, level.getLong(from) - units);
    if (toState != null && toState != StockState.AVAILABLE) level.put(to, level.getLong(to) + units);
  }

  public long stock() {
    return stock;
  }

  /**
   * Where the stored variant disagrees with its ledger or breaks a bound (a negative state, more unavailable than on
   * hand), or null when it agrees everywhere.
   */
  public JsonObject discrepancy(JsonObject variant) {
    long stored = variant.getLong("stock", 0L);
    JsonObject stocked = StockLevels.all(variant);
    Set<String> locations = new TreeSet<>(stocked.fieldNames());
    locations.addAll(levels.fieldNames());
    JsonObject mismatches = new JsonObject();
    for (String location : locations) {
      JsonObject have = StockLevels.at(variant, location);
      JsonObject ledger = levels.getJsonObject(location, StockLevels.empty());
      JsonObject differs = new JsonObject();
      for (String field : new String[] {"onHand", "reserved", "damaged", "qualityControl", "safetyStock", "inTransit"}) {
        long h = have.getLong(field, 0L);
        long l = ledger.getLong(field, 0L);
        if (h != l || h < 0) differs.put(field, new JsonObject().put("stored", h).put("ledger", l));
      }
      if (StockLevels.available(have) < 0) differs.put("available", new JsonObject().put("stored", StockLevels.available(have)));
      if (!differs.isEmpty()) mismatches.put(location, differs);
    }
    if (stored == stock && stored >= 0 && mismatches.isEmpty()) return null;
    JsonObject found = new JsonObject().put("variantId", variant.getString("_id")).put("sku", variant.getString("sku"))
      .put("stock", stored).put("ledgerSum", stock);
    if (!mismatches.isEmpty()) found.put("locations", mismatches);
    return found;
  }
}
