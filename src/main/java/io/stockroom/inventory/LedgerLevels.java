package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A variant's levels as its movements add them up: per location, on hand is the sum of the movements' quantities and
 * every stored state the units moved into it minus the units moved out. Movements from before locations existed
 * name no location: they are at the default location.
 */
public final class LedgerLevels {
  private final String tenantId;
  private final Map<String, Level> levels = new TreeMap<>();
  private long stock;

  LedgerLevels(String tenantId) {
    this.tenantId = tenantId;
  }

  void add(String locationId, String from, String to, long quantity, long units) {
    String location = locationId == null ? Locations.defaultId(tenantId) : locationId;
    Level level = levels.getOrDefault(location, Level.EMPTY).plusOnHand(quantity);
    stock += quantity;
    StockState fromState = StockState.of(from);
    StockState toState = StockState.of(to);
    if (fromState != null) level = level.plus(fromState, -units);
    if (toState != null) level = level.plus(toState, units);
    levels.put(location, level);
  }

  public long stock() {
    return stock;
  }

  /** A stored count next to the ledger's (the ledger's left out for {@code available}, which only has a bound). */
  record Mismatch(long stored, Long ledger) {
  }

  /** How a stored variant disagrees with its ledger: {@code locations} by location id, then by field. */
  record Discrepancy(String variantId, String sku, long stock, long ledgerSum, Map<String, Map<String, Mismatch>> locations) {
  }

  /**
   * Where the stored variant disagrees with its ledger or breaks a bound (a negative state, more unavailable than on
   * hand), or null when it agrees everywhere.
   */
  public JsonObject discrepancy(JsonObject stored) {
    Variant variant = Variant.of(stored);
    Set<String> locations = new TreeSet<>(variant.levels().keySet());
    locations.addAll(levels.keySet());
    Map<String, Map<String, Mismatch>> mismatches = new LinkedHashMap<>();
    for (String location : locations) {
      Level have = variant.level(location);
      Level ledger = levels.getOrDefault(location, Level.EMPTY);
      Map<String, Mismatch> differs = new LinkedHashMap<>();
      Map<String, Long> ledgerCounts = ledger.counts();
      have.counts().forEach((field, h) -> {
        long l = ledgerCounts.get(field);
        if (h != l || h < 0) differs.put(field, new Mismatch(h, l));
      });
      if (have.available() < 0) differs.put(StockState.AVAILABLE.field(), new Mismatch(have.available(), null));
      if (!differs.isEmpty()) mismatches.put(location, differs);
    }
    if (variant.stock() == stock && variant.stock() >= 0 && mismatches.isEmpty()) return null;
    return RecordCodec.toApi(new Discrepancy(variant.id(), variant.sku(), variant.stock(), stock,
      mismatches.isEmpty() ? null : mismatches));
  }
}
