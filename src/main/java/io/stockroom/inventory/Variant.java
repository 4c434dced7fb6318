package io.stockroom.inventory;

import io.stockroom.location.Locations;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A variant document as {@link Variants} stores it (see there for what each field means). Old documents decode too:
 * a missing count reads as zero, and a variant written before locations existed ({@code levels} missing) holds
 * everything at the tenant's default location ({@link #levels()}).
 */
public record Variant(@Key("_id") String id, String tenantId, String productId, String sku, JsonObject attributes,
                      long price, long reorderLevel, long stock, long incoming, long openPurchaseOrders, long movements,
                      Long lastUnitCost, @Key(Variant.UNCOSTED) Long storedUncosted, @Key(StockLevels.LEVELS) Map<String, Level> storedLevels,
                      Map<String, Long> locationReorderLevels, @Key(Variant.LOW) Boolean storedLow,
                      @Key(Variant.SHORTFALL) Long storedShortfall, @Key(Variant.LOW_AT) List<String> storedLowAt,
                      @Key(VariantFigures.WORTH) JsonObject storedWorth, @Key(VariantFigures.WORTH_AT) JsonArray storedWorthAt,
                      @Key(VariantFigures.DAYS) JsonArray storedDays, @ExplicitNull @Key(VariantFigures.LAST_DAY) String lastDay,
                      @Key(VariantFigures.SALES_CAP) long salesCap, @Key(VariantFigures.PENDING) JsonObject pending,
                      @Key(VariantFigures.PENDING_FLAG) Boolean figuresPending, @Key(VariantFigures.PENDING_BY) String pendingBy,
                      long version, Instant createdAt, Instant updatedAt) {
  public static final String SKU = "sku";
  public static final String PRODUCT_ID = "productId";
  /**
   * Every prefix of the lowercased SKU ({@link SearchKeys#sku}): what {@code q} finds a variant by. Stored beside the
   * record's fields, never decoded with them (most reads of a variant are about its stock).
   */
  public static final String SKU_KEYS = "skuKeys";
  public static final String STOCK = "stock";
  public static final String INCOMING = "incoming";
  public static final String LOCATION_REORDER_LEVELS = "locationReorderLevels";
  public static final String LOW = "low";
  public static final String SHORTFALL = "shortfall";
  public static final String LOW_AT = "lowAt";
  /** Units on hand that came in without a unit cost (opening stock, adjustments, counts, returns). */
  public static final String UNCOSTED = "uncosted";

  /** A new variant with no stock history yet. */
  static Variant create(String tenantId, String productId, String sku, JsonObject attributes, long price, long reorderLevel) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new Variant(Mongo.newId(), tenantId, productId, sku, attributes, price, reorderLevel, 0, 0, 0, 0,
      null, null, null, null, null, null, null, null, null, new JsonArray(), null, 0, null, null, null, 0, now, now);
  }

  /**
   * Units on hand without a known cost, at most the stock: all of them while the variant never had a cost; a variant
   * stored before this was kept has none counted once it has a cost (what the dashboard showed then).
   */
  public long uncosted() {
    if (lastUnitCost == null) return stock;
    return Math.max(0, Math.min(storedUncosted == null ? 0 : storedUncosted, stock));
  }

  /**
   * {@link #uncosted} after a movement of {@code quantity} units: units coming in without a cost add to it, units going
   * out take the uncosted ones first (the oldest: opening stock comes before any receipt); a transfer moves units the
   * tenant already holds, so it changes nothing. Units sold and brought back (a return, a cancellation) come back
   * uncosted while uncosted units are still on hand (the sale took those first) and with the variant's cost otherwise.
   */
  long uncostedAfter(MovementType type, long quantity, Long unitCost) {
    long counted = storedUncosted == null ? (lastUnitCost == null ? stock : 0) : storedUncosted;
    // not capped: units in transit come back on hand with the cost they had ({@link #uncosted} caps what is counted)
    if (type == MovementType.TRANSFER) return counted;
    boolean withoutCost = unitCost == null && (type != MovementType.RETURN || lastUnitCost == null || counted > 0);
    long after = quantity > 0 ? (withoutCost ? counted + quantity : counted) : counted + quantity;
    return Math.max(0, Math.min(after, stock + quantity));
  }

  /** The variant a stored document (or a projection of one) holds. */
  public static Variant of(JsonObject doc) {
    return RecordCodec.fromDocument(Variant.class, doc);
  }

  /**
   * The document: {@code lastDay} is stored even while there is none (null), as the day fields always are
   * ({@link VariantFigures#dayFields}).
   */
  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /**
   * The day buckets ({@link VariantFigures.Day}), decoded when asked for: most reads of a variant are about its stock.
   * The stored worth fields, likewise, stay as stored (they are recomputed on every write, never read back).
   */
  public List<VariantFigures.Day> days() {
    if (storedDays == null) return List.of();
    List<VariantFigures.Day> days = new ArrayList<>(storedDays.size());
    storedDays.forEach(day -> days.add(VariantFigures.Day.of((JsonObject) day)));
    return days;
  }

  /** Every location's level (empty levels included only if stored). */
  public Map<String, Level> levels() {
    if (storedLevels != null) return storedLevels;
    Map<String, Level> levels = new TreeMap<>();
    if (stock != 0 || incoming != 0) levels.put(Locations.defaultId(tenantId), Level.EMPTY.plusOnHand(stock).plusIncoming(incoming));
    return levels;
  }

  /** The level at one location (zeros when the variant never had anything there). */
  public Level level(String locationId) {
    return levels().getOrDefault(locationId, Level.EMPTY);
  }

  /** Location ids holding a level of the variant, in a stable order. */
  public List<String> locations() {
    List<String> ids = new ArrayList<>(levels().keySet());
    ids.sort(null);
    return ids;
  }

  /** Sellable units over all its locations. */
  public long totalAvailable() {
    return levels().values().stream().mapToLong(Level::available).sum();
  }

  /** Units on their way to one of its locations on a transfer. */
  public long inTransit() {
    return levels().values().stream().mapToLong(Level::inTransit).sum();
  }

  /** What clients see as {@code incoming}: purchase orders and transfers. */
  public long incomingAll() {
    return incoming + inTransit();
  }

  /**
   * The one low-stock rule: sellable units plus those on their way (purchase orders, transfers) at or below the
   * variant's reorder level, i.e. a shortfall of zero or more.
   */
  public boolean isLow() {
    return shortfall() >= 0;
  }

  /** reorderLevel − (available + incoming + in transit): zero or more while the variant is low. */
  public long shortfall() {
    return reorderLevel - (totalAvailable() + incoming + inTransit());
  }

  /** The same rule at one location, against the variant's own reorder level there (null: it has none, never low). */
  public Long shortfallAt(String locationId) {
    Long level = locationReorderLevels == null ? null : locationReorderLevels.get(locationId);
    if (level == null) return null;
    Level at = level(locationId);
    return level - (at.available() + at.incoming() + at.inTransit());
  }

  /** The locations (sorted) where the variant has its own reorder level and is low by it. */
  public List<String> lowAt() {
    List<String> low = new ArrayList<>();
    if (locationReorderLevels == null) return low;
    for (String location : locationReorderLevels.keySet()) {
      Long shortfall = shortfallAt(location);
      if (shortfall != null && shortfall >= 0) low.add(location);
    }
    low.sort(null);
    return low;
  }

  /** The low-stock fields every write stores ({@link StockLevels#lowFields}). */
  LowFields lowFields() {
    return new LowFields(isLow(), shortfall(), lowAt());
  }

  record LowFields(boolean low, long shortfall, List<String> lowAt) {
    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }
  }
}
