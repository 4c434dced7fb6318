package io.stockroom.dashboard;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockLevels;
import io.stockroom.location.Locations;
import io.stockroom.inventory.StockProjection;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Keeps the dashboard's documents in step with stock, inside the stock units of work. Both kinds are split in
 * {@link #SHARDS} documents per tenant by variant ({@link #shardOf}); a reader merges the shards:
 * <ul>
 *   <li>the tenant's totals ({@code dashboard_totals}, {@code _id: tenantId:shard}): inventory value counters
 *       ({@code atPrice}, {@code atCost}, {@code costedVariants}, {@code unitsWithoutCost}, per location other than the
 *       default {@code at.<locationId>.*}) and how many of the shard's variants are low ({@code lowCount}, per location
 *       {@code lowCountAt.<locationId>}). Only counters: no entry per variant, so a shard's size does not grow with the
 *       tenant's variants (the low-stock list and the top sellers are read from the variants' own indexed fields);</li>
 *   <li>the tenant's daily rollups ({@code daily_stock}, {@code _id: tenantId:YYYY-MM-DD:shard}): units in and out per
 *       movement type and that day's per-variant sales for the 30-day window.</li>
 * </ul>
 * Both are written by many units at once, by {@code $inc} only, so each undo reverses exactly its own unit's change.
 */
public final class DashboardProjection implements StockProjection {
  public static final String TOTALS = "dashboard_totals";
  public static final String DAILY = "daily_stock";
  /**
   * Each tenant's totals and daily rollups are split in this many documents by variant, so that concurrent units on
   * different variants rarely write the same one (and each stays small). Changing it needs a migration.
   */
  public static final int SHARDS = 8;

  private final MongoClient mongo;
  public DashboardProjection(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The shard of the tenant's totals and daily rollups that a variant's contributions go to: fixed for good. */
  public static int shardOf(String variantId) {
    return Math.floorMod(variantId.hashCode(), SHARDS);
  }

  public static String totalsId(String tenantId, int shard) {
    return tenantId + ":" + shard;
  }

  public static List<String> totalsIds(String tenantId) {
    return IntStream.range(0, SHARDS).mapToObj(shard -> totalsId(tenantId, shard)).toList();
  }

  public static String dailyId(String tenantId, String day, int shard) {
    return tenantId + ":" + day + ":" + shard;
  }

  /** The ids of every shard of the tenant's rollups of these days. */
  public static List<String> dailyIds(String tenantId, Collection<String> days) {
    List<String> ids = new ArrayList<>();
    for (String day : days) for (int shard = 0; shard < SHARDS; shard++) ids.add(dailyId(tenantId, day, shard));
    return ids;
  }

  public static JsonObject emptyTotals(String tenantId, int shard) {
    return new JsonObject().put("_id", totalsId(tenantId, shard)).put("tenantId", tenantId).put("shard", shard)
      .put("atPrice", Amounts.stored(BigInteger.ZERO))
      .put("atCost", Amounts.stored(BigInteger.ZERO)).put("costedVariants", 0L).put("unitsWithoutCost", Amounts.stored(BigInteger.ZERO))
      .put("lowCount", 0L);
  }

  /**
   * Queued: the shard's counters move by the variant's change ({@code $inc}, upserted with the shard's tenantId and
   * number on first use). The filter names the tenant, so a sharded cluster routes it to one shard.
   */
  @Override
  public Future<Void> variantChanged(Unit unit, String tenantId, JsonObject before, JsonObject after) {
    int shard = shardOf((after != null ? after : before).getString("_id"));
    JsonObject update = change(before, after);
    JsonObject undo = change(after, before);
    if (update.getJsonObject("$inc").isEmpty()) return Future.succeededFuture();
    update.put("$setOnInsert", new JsonObject().put("shard", shard));
    return unit.queueUpdateShared(TOTALS, totalsFilter(tenantId, shard), update, undo, true,
      new ServiceError(ErrorCode.UNAVAILABLE, "Dashboard totals could not be written; retry"));
  }

  /** One shard of the tenant's totals, by its id and tenant (served by {@code _id}, and routed by tenantId). */
  public static JsonObject totalsFilter(String tenantId, int shard) {
    return new JsonObject().put("_id", totalsId(tenantId, shard)).put("tenantId", tenantId);
  }

  @Override
  public Future<Void> movementRecorded(Unit unit, StockChange change) {
    if (!MovementType.FLOWS.contains(change.type())) return Future.succeededFuture();
    String direction = change.quantity() >= 0 ? "in." : "out.";
    JsonObject inc = new JsonObject().put(direction + change.type().name(), Math.abs(change.quantity()));
    JsonObject negated = new JsonObject().put(direction + change.type().name(), -Math.abs(change.quantity()));
    if (change.soldUnits() != 0 || change.soldRevenue().signum() != 0) {
      String sales = "sales." + change.variantId();
      inc.put(sales + ".u", change.soldUnits()).put(sales + ".r", Amounts.stored(change.soldRevenue()));
      negated.put(sales + ".u", -change.soldUnits()).put(sales + ".r", Amounts.stored(change.soldRevenue().negate()));
    }
    JsonObject update = new JsonObject().put("$inc", inc)
      .put("$setOnInsert", new JsonObject().put("day", change.day())
        .put("shard", shardOf(change.variantId())));
    JsonObject filter = new JsonObject().put("_id", dailyId(change.tenantId(), change.day(), shardOf(change.variantId())))
      .put("tenantId", change.tenantId());
    return unit.queueUpdateShared(DAILY, filter, update,
      new JsonObject().put("$inc", negated), true, null);
  }

  /** The update taking the totals from {@code from}'s contribution to {@code to}'s (either may be null). */
  private static JsonObject change(JsonObject from, JsonObject to) {
    JsonObject inc = new JsonObject();
    BigInteger[] a = value(from);
    BigInteger[] b = value(to);
    String[] fields = {"atPrice", "atCost", "costedVariants", "unitsWithoutCost"};
    for (int i = 0; i < fields.length; i++) {
      BigInteger delta = b[i].subtract(a[i]);
      if (delta.signum() != 0) inc.put(fields[i], fields[i].equals("costedVariants") ? (Object) delta.longValueExact() : Amounts.stored(delta));
    }
    long lowDelta = lowCount(to) - lowCount(from);
    if (lowDelta != 0) inc.put("lowCount", lowDelta);
    perLocation(from, to, inc);
    return new JsonObject().put("$inc", inc);
  }

  /**
   * Per location other than the default: the inventory value counters {@code at.<locationId>.*} (the default
   * location's are the tenant's totals minus the others', which also holds for stock from before locations existed);
   * and for every location where the variant has its own reorder level, {@code lowCountAt.<locationId>} counts it while
   * its available + incoming units there are at or below that level.
   */
  private static void perLocation(JsonObject from, JsonObject to, JsonObject inc) {
    JsonObject subject = to != null ? to : from;
    String defaultLocation = Locations.defaultId(subject.getString("tenantId"));
    Set<String> locations = new TreeSet<>();
    for (JsonObject variant : new JsonObject[] {from, to}) {
      if (variant == null) continue;
      locations.addAll(StockLevels.locations(variant));
      locations.addAll(variant.getJsonObject("locationReorderLevels", new JsonObject()).fieldNames());
    }
    String[] fields = {"atPrice", "atCost", "unitsWithoutCost"};
    for (String location : locations) {
      if (!location.equals(defaultLocation)) {
        BigInteger[] a = valueAt(from, location);
        BigInteger[] b = valueAt(to, location);
        for (int i = 0; i < fields.length; i++) {
          BigInteger delta = b[i].subtract(a[i]);
          if (delta.signum() != 0) inc.put("at." + location + "." + fields[i], Amounts.stored(delta));
        }
      }
      long lowDelta = lowCountAt(to, location) - lowCountAt(from, location);
      if (lowDelta != 0) inc.put("lowCountAt." + location, lowDelta);
    }
  }

  private static long lowCount(JsonObject variant) {
    return variant != null && StockLevels.isLow(variant) ? 1 : 0;
  }

  private static long lowCountAt(JsonObject variant, String location) {
    if (variant == null) return 0;
    Long shortfall = StockLevels.shortfallAt(variant, location);
    return shortfall != null && shortfall >= 0 ? 1 : 0;
  }

  /** {atPrice, atCost, unitsWithoutCost} of the variant's units on hand at one location. */
  private static BigInteger[] valueAt(JsonObject variant, String location) {
    BigInteger zero = BigInteger.ZERO;
    if (variant == null) return new BigInteger[] {zero, zero, zero};
    long onHand = StockLevels.at(variant, location).getLong("onHand");
    Long cost = variant.getLong("lastUnitCost");
    return new BigInteger[] {Amounts.times(variant.getLong("price", 0L), onHand), cost == null ? zero : Amounts.times(cost, onHand),
      cost == null ? BigInteger.valueOf(onHand) : zero};
  }

  /** {atPrice, atCost, costedVariants, unitsWithoutCost} contributed by one variant, exactly. */
  private static BigInteger[] value(JsonObject variant) {
    BigInteger zero = BigInteger.ZERO;
    if (variant == null) return new BigInteger[] {zero, zero, zero, zero};
    long stock = variant.getLong("stock", 0L);
    Long cost = variant.getLong("lastUnitCost");
    return new BigInteger[] {Amounts.times(variant.getLong("price", 0L), stock), cost == null ? zero : Amounts.times(cost, stock),
      cost == null ? zero : BigInteger.ONE, cost == null ? BigInteger.valueOf(stock) : zero};
  }

  /** Sellable units plus those on their way (purchase orders, transfers) at or below the reorder level. */
  public static boolean isLow(JsonObject variant) {
    return StockLevels.isLow(variant);
  }

}
