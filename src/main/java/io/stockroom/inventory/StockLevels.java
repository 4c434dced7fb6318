package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A variant's stock per location, kept on the variant document as {@code levels: {<locationId>: {onHand, reserved,
 * damaged, qualityControl, safetyStock, inTransit, incoming}}} so that one compare-and-set under the variant's lock
 * changes every location of it at once. {@code stock} on the variant stays the total on hand and {@code incoming} the
 * units still to come on purchase orders (per location in the level too).
 *
 * <p>A variant written before locations existed has no {@code levels}: everything it holds is at the tenant's default
 * location. Reads derive that; the variant's next stock change writes the levels out.
 */
public final class StockLevels {
  static final List<String> FIELDS = List.of("onHand", "reserved", "damaged", "qualityControl", "safetyStock", "inTransit", "incoming");

  private StockLevels() {
  }

  /** Every location's level of the variant (empty levels included only if stored). */
  public static JsonObject all(JsonObject variant) {
    JsonObject stored = variant.getJsonObject("levels");
    if (stored != null) return stored;
    String defaultLocation = Locations.defaultId(variant.getString("tenantId"));
    long stock = variant.getLong("stock", 0L);
    long incoming = variant.getLong("incoming", 0L);
    JsonObject levels = new JsonObject();
    if (stock != 0 || incoming != 0) levels.put(defaultLocation, empty().put("onHand", stock).put("incoming", incoming));
    return levels;
  }

  /** The level at one location (zeros when the variant never had anything there). */
  public static JsonObject at(JsonObject variant, String locationId) {
    JsonObject level = all(variant).getJsonObject(locationId);
    JsonObject complete = empty();
    if (level != null) complete.mergeIn(level);
    return complete;
  }

  public static JsonObject empty() {
    JsonObject level = new JsonObject();
    FIELDS.forEach(f -> level.put(f, 0L));
    return level;
  }

  /** onHand − reserved − damaged − qualityControl − safetyStock. */
  public static long available(JsonObject level) {
    long available = level.getLong("onHand", 0L);
    for (StockState state : StockState.STORED) {
      if (state.onHand()) available -= level.getLong(state.field(), 0L);
    }
    return available;
  }

  /** Sellable units of the variant over all its locations. */
  public static long totalAvailable(JsonObject variant) {
    long total = 0;
    JsonObject levels = all(variant);
    for (String location : levels.fieldNames()) total += available(levels.getJsonObject(location));
    return total;
  }

  /** Units of the variant on their way to one of its locations on a transfer. */
  public static long inTransit(JsonObject variant) {
    long total = 0;
    JsonObject levels = all(variant);
    for (String location : levels.fieldNames()) total += levels.getJsonObject(location).getLong("inTransit", 0L);
    return total;
  }

  /**
   * The one low-stock rule: sellable units plus those on their way (purchase orders, transfers) at or below the
   * variant's reorder level, i.e. a shortfall of zero or more.
   */
  public static boolean isLow(JsonObject variant) {
    return shortfall(variant) >= 0;
  }

  /** reorderLevel − (available + incoming + in transit): zero or more while the variant is low. */
  public static long shortfall(JsonObject variant) {
    return variant.getLong("reorderLevel", 0L) - (totalAvailable(variant) + variant.getLong("incoming", 0L) + inTransit(variant));
  }

  /** The same rule at one location, against the variant's own reorder level there (null: it has none, never low). */
  public static Long shortfallAt(JsonObject variant, String locationId) {
    Long level = variant.getJsonObject("locationReorderLevels", new JsonObject()).getLong(locationId);
    if (level == null) return null;
    JsonObject at = at(variant, locationId);
    return level - (available(at) + at.getLong("incoming") + at.getLong("inTransit"));
  }

  /** The locations (sorted) where the variant has its own reorder level and is low by it. */
  public static List<String> lowAt(JsonObject variant) {
    List<String> low = new ArrayList<>();
    for (String location : variant.getJsonObject("locationReorderLevels", new JsonObject()).fieldNames()) {
      Long shortfall = shortfallAt(variant, location);
      if (shortfall != null && shortfall >= 0) low.add(location);
    }
    low.sort(null);
    return low;
  }

  /**
   * The fields the low-stock lists are read by, stored on the variant by every write of it (the variant is its unit's
   * own document): {@code low}, {@code shortfall} and {@code lowAt} (bounded: a tenant has at most 100 locations).
   * Indexes {@code {tenantId, low, _id}}, {@code {tenantId, low, shortfall: -1, sku}} and {@code {tenantId, lowAt, _id}}
   * serve them.
   */
  public static JsonObject lowFields(JsonObject variant) {
    return new JsonObject().put("low", isLow(variant)).put("shortfall", shortfall(variant)).put("lowAt", new JsonArray(lowAt(variant)));
  }

  public static boolean isEmpty(JsonObject level) {
    return FIELDS.stream().allMatch(f -> level.getLong(f, 0L) == 0L);
  }

  /** The levels with every all-zero level left out (a location the variant no longer has anything at). */
  public static JsonObject withoutEmpty(JsonObject levels) {
    JsonObject kept = new JsonObject();
    levels.forEach(e -> {
      if (!isEmpty((JsonObject) e.getValue())) kept.put(e.getKey(), e.getValue());
    });
    return kept;
  }

  /** The API row of one location: onHand, available, reserved, unavailable{...}, incoming (purchase orders + transfers). */
  public static JsonObject toApi(String locationId, JsonObject level) {
    return new JsonObject().put("locationId", locationId)
      .put("onHand", level.getLong("onHand", 0L))
      .put("available", available(level))
      .put("reserved", level.getLong("reserved", 0L))
      .put("unavailable", new JsonObject()
        .put("damaged", level.getLong("damaged", 0L))
        .put("qualityControl", level.getLong("qualityControl", 0L))
        .put("safetyStock", level.getLong("safetyStock", 0L)))
      .put("inTransit", level.getLong("inTransit", 0L))
      .put("incoming", level.getLong("incoming", 0L) + level.getLong("inTransit", 0L));
  }

  /** Location ids holding a level of the variant, in a stable order. */
  public static List<String> locations(JsonObject variant) {
    List<String> ids = new ArrayList<>(all(variant).fieldNames());
    ids.sort(null);
    return ids;
  }

  /** One row per location of the tenant ({@code locationIds}, in order) and any other location the variant has stock at. */
  static JsonArray rows(JsonObject variant, List<String> locationIds) {
    List<String> ids = new ArrayList<>(locationIds);
    locations(variant).stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    JsonArray rows = new JsonArray();
    for (String id : ids) rows.add(toApi(id, at(variant, id)));
    return rows;
  }
}
