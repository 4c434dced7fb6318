package io.stockroom.inventory;

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
  static final String LEVELS = "levels";

  private StockLevels() {
  }

  /** Every location's level of the variant (empty levels included only if stored). */
  public static JsonObject all(JsonObject variant) {
    JsonObject levels = new JsonObject();
    Variant.of(variant).levels().forEach((location, level) -> levels.put(location, level.toDocument()));
    return levels;
  }

  /** The level at one location (zeros when the variant never had anything there). */
  public static JsonObject at(JsonObject variant, String locationId) {
    return Variant.of(variant).level(locationId).toDocument();
  }

  public static JsonObject empty() {
    return Level.EMPTY.toDocument();
  }

  /** onHand − reserved − damaged − qualityControl − safetyStock. */
  public static long available(JsonObject level) {
    return Level.of(level).available();
  }

  /** Sellable units of the variant over all its locations. */
  public static long totalAvailable(JsonObject variant) {
    return Variant.of(variant).totalAvailable();
  }

  /** Units of the variant on their way to one of its locations on a transfer. */
  public static long inTransit(JsonObject variant) {
    return Variant.of(variant).inTransit();
  }

  /**
   * The fields the low-stock lists are read by, stored on the variant by every write of it (the variant is its unit's
   * own document): {@code low}, {@code shortfall} and {@code lowAt} (bounded: a tenant has at most 100 locations).
   * Indexes {@code {tenantId, low, _id}}, {@code {tenantId, low, shortfall: -1, sku}} and {@code {tenantId, lowAt, _id}}
   * serve them.
   */
  public static JsonObject lowFields(JsonObject variant) {
    return Variant.of(variant).lowFields().toDocument();
  }

  /** The API row of one location: onHand, available, reserved, unavailable{...}, incoming (purchase orders + transfers). */
  public static JsonObject toApi(String locationId, JsonObject level) {
    return Level.of(level).toApi(locationId);
  }

  /** Location ids holding a level of the variant, in a stable order. */
  public static List<String> locations(JsonObject variant) {
    return Variant.of(variant).locations();
  }

  /** One row per location of the tenant ({@code locationIds}, in order) and any other location the variant has stock at. */
  static JsonArray rows(JsonObject variant, List<String> locationIds) {
    Variant typed = Variant.of(variant);
    List<String> ids = new ArrayList<>(locationIds);
    typed.locations().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    JsonArray rows = new JsonArray();
    for (String id : ids) rows.add(typed.level(id).toApi(id));
    return rows;
  }
}
