package io.stockroom.dashboard;

import java.math.BigInteger;

import io.stockroom.platform.money.Amounts;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockLevels;
import io.stockroom.location.Locations;
import io.stockroom.inventory.StockProjection;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.unit.StaleRead;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Keeps the dashboard's documents in step with stock, inside the stock units of work. Both kinds are split in
 * {@link #SHARDS} documents per tenant by variant ({@link #shardOf}); a reader merges the shards:
 * <ul>
 *   <li>the tenant's totals ({@code dashboard_totals}, {@code _id: tenantId:shard}): inventory value counters
 *       ({@code atPrice}, {@code atCost}, {@code costedVariants}, {@code unitsWithoutCost}), {@code low.<variantId>}
 *       for every variant whose available + incoming units are at or below its reorder level, and the top-seller candidates
 *       {@code top.<variantId>} above the shard's {@code topFloor} (every variant of the shard outside the set sold no
 *       more than the floor);</li>
 *   <li>the tenant's daily rollups ({@code daily_stock}, {@code _id: tenantId:YYYY-MM-DD:shard}): units in and out per
 *       movement type and that day's per-variant sales for the 30-day window.</li>
 * </ul>
 * Both are written by many units at once: counters by {@code $inc}, per-variant entries only by the unit holding that
 * variant's lock, so each undo reverses exactly its own unit's change.
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
  /**
   * The last {@code topFloor} seen per totals shard. Only a hint: the update is guarded by the floor, so a stale one
   * costs a re-read. Bounded: past {@link #MAX_KNOWN_FLOORS} shards it starts over.
   */
  private final Map<String, Long> knownFloors = new ConcurrentHashMap<>();
  private static final int MAX_KNOWN_FLOORS = 50_000;

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
      .put("low", new JsonObject()).put("top", new JsonObject())
      .put("topFloor", 0L).put("version", 0L);
  }

  @Override
  public Future<Void> variantChanged(Unit unit, String tenantId, JsonObject before, JsonObject after) {
    int shard = shardOf((after != null ? after : before).getString("_id"));
    String id = totalsId(tenantId, shard);
    Long floor = knownFloors.get(id);
    return (floor != null ? Future.succeededFuture(floor) : totals(tenantId, shard).map(totals -> remember(id, totals.getLong("topFloor", 0L))))
      .compose(known -> applyToTotals(unit, id, before, after, known));
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
      .put("$setOnInsert", new JsonObject().put("tenantId", change.tenantId()).put("day", change.day())
        .put("shard", shardOf(change.variantId())));
    return unit.queueUpdateShared(DAILY, new JsonObject().put("_id", dailyId(change.tenantId(), change.day(), shardOf(change.variantId()))), update,
      new JsonObject().put("$inc", negated), true, null);
  }

  private long remember(String totalsId, long floor) {
    if (knownFloors.size() >= MAX_KNOWN_FLOORS) knownFloors.clear();
    knownFloors.put(totalsId, floor);
    return floor;
  }

  /** One shard of the tenant's totals, created empty on first use. */
  private Future<JsonObject> totals(String tenantId, int shard) {
    JsonObject byId = new JsonObject().put("_id", totalsId(tenantId, shard));
    return mongo.findOne(TOTALS, byId, new JsonObject().put("topFloor", 1)).compose(found -> found != null
      ? Future.succeededFuture(found)
      : mongo.insert(TOTALS, emptyTotals(tenantId, shard)).map(emptyTotals(tenantId, shard))
          .recover(err -> Mongo.isDuplicateKey(err) ? mongo.findOne(TOTALS, byId, null) : Future.failedFuture(err)));
  }

  /**
   * Queued: the update is guarded by the shard's floor as this unit knows it; if the floor moved meanwhile (the
   * candidate set was pruned or rebuilt), the unit fails with {@link StaleRead} and the kernel runs it again with the
   * floor read afresh.
   */
  private Future<Void> applyToTotals(Unit unit, String totalsId, JsonObject before, JsonObject after, long floor) {
    JsonObject update = change(before, after, floor);
    JsonObject undo = change(after, before, floor);
    update.getJsonObject("$inc").put("version", 1L);
    undo.getJsonObject("$inc").put("version", 1L);
    JsonObject filter = new JsonObject().put("_id", totalsId).put("topFloor", floor);
    return unit.queueUpdateShared(TOTALS, filter, update, undo, false,
      new StaleRead("Dashboard totals were being rebuilt; retry", () -> knownFloors.remove(totalsId)));
  }

  /** The update taking the totals from {@code from}'s contribution to {@code to}'s (either may be null). */
  private static JsonObject change(JsonObject from, JsonObject to, long floor) {
    JsonObject inc = new JsonObject();
    BigInteger[] a = value(from);
    BigInteger[] b = value(to);
    String[] fields = {"atPrice", "atCost", "costedVariants", "unitsWithoutCost"};
    for (int i = 0; i < fields.length; i++) {
      BigInteger delta = b[i].subtract(a[i]);
      if (delta.signum() != 0) inc.put(fields[i], fields[i].equals("costedVariants") ? (Object) delta.longValueExact() : Amounts.stored(delta));
    }
    JsonObject set = new JsonObject();
    JsonObject unset = new JsonObject();
    JsonObject subject = to != null ? to : from;
    String id = subject.getString("_id");
    if (to != null && isLow(to)) {
      set.put("low." + id, new JsonObject().put("sku", to.getString("sku")).put("productId", to.getString("productId"))
        .put("stock", to.getLong("stock", 0L)).put("available", StockLevels.totalAvailable(to))
        .put("incoming", incoming(to)).put("reorderLevel", to.getLong("reorderLevel", 0L)));
    } else {
      unset.put("low." + id, "");
    }
    perLocation(from, to, inc, set, unset);
    long units = to == null ? 0 : sales30(to).getLong("u", 0L);
    if (units > floor) {
      set.put("top." + id, new JsonObject().put("u", units).put("r", Amounts.stored(Amounts.of(sales30(to).getValue("r")))));
    } else {
      unset.put("top." + id, "");
    }
    JsonObject update = new JsonObject().put("$inc", inc);
    if (!set.isEmpty()) update.put("$set", set);
    if (!unset.isEmpty()) update.put("$unset", unset);
    return update;
  }

  /**
   * Per location other than the default: the inventory value counters {@code at.<locationId>.*} (the default
   * location's are the tenant's totals minus the others', which also holds for stock from before locations existed);
   * and for every location where the variant has its own reorder level, {@code lowAt.<locationId>.<variantId>} while
   * its available + incoming units there are at or below that level.
   */
  private static void perLocation(JsonObject from, JsonObject to, JsonObject inc, JsonObject set, JsonObject unset) {
    JsonObject subject = to != null ? to : from;
    String defaultLocation = Locations.defaultId(subject.getString("tenantId"));
    String id = subject.getString("_id");
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
      Long level = to == null ? null : to.getJsonObject("locationReorderLevels", new JsonObject()).getLong(location);
      JsonObject at = to == null ? null : StockLevels.at(to, location);
      long incoming = at == null ? 0 : at.getLong("incoming") + at.getLong("inTransit");
      if (level != null && StockLevels.available(at) + incoming <= level) {
        set.put("lowAt." + location + "." + id, new JsonObject().put("sku", to.getString("sku")).put("productId", to.getString("productId"))
          .put("stock", at.getLong("onHand")).put("available", StockLevels.available(at)).put("incoming", incoming)
          .put("reorderLevel", level));
      } else {
        unset.put("lowAt." + location + "." + id, "");
      }
    }
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

  private static long incoming(JsonObject variant) {
    return variant.getLong("incoming", 0L) + StockLevels.inTransit(variant);
  }

  private static JsonObject sales30(JsonObject variant) {
    return variant.getJsonObject("sales30", new JsonObject());
  }
}
