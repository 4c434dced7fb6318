package io.stockroom.inventory;

import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a variant contributes to its tenant's dashboard, kept on the variant itself by every write of it, so that no
 * stock unit writes a document that units of other variants also write. The dashboard adds these up at read time over
 * indexes, and the ledger can recompute every one of them ({@link VariantFiguresCheck}):
 * <ul>
 *   <li>{@code worth: {p, c, k, n}}: stock × price, stock × last unit cost, 1 if the variant has a cost (else 0), and
 *       the units without a cost (all but {@code k} in Decimal128, so that sums over a tenant stay exact);</li>
 *   <li>{@code worthAt: [{l, p, c, n}]}: the same per location holding units on hand (a tenant has at most 100);</li>
 *   <li>{@code days: [{d, i: {TYPE: units}, o: {TYPE: units}, u, r}]}: units in and out per movement type, and units
 *       sold net of returns with their revenue, per tenant-local day, for the last {@link #KEPT_DAYS} days up to the
 *       variant's latest movement (so the document stays bounded);</li>
 *   <li>{@code lastDay}: the latest day in {@code days} (the trend reads the variants that moved in its window);</li>
 *   <li>{@code salesCap}: the sum of the days' positive net sales, an upper bound of the variant's sales over any
 *       window of the kept days, by which top sellers are found without reading every variant.</li>
 * </ul>
 */
public final class VariantFigures {
  /** Days of flows and sales kept per variant: the longest trend (31 days) and top-seller window (30 days). */
  public static final int KEPT_DAYS = 31;
  public static final String WORTH = "worth";
  public static final String WORTH_AT = "worthAt";
  public static final String DAYS = "days";
  public static final String LAST_DAY = "lastDay";
  public static final String SALES_CAP = "salesCap";
  /**
   * What the variant's changes since the dashboard projector last took them added to the tenant's totals: {@code
   * {w: {p, c, k, n}, at: {<locationId>: {p, c, n}}, f: {<day>: {i: {TYPE: units}, o: {...}}}}}, present (with
   * {@link #PENDING_FLAG}) only while there is something to take.
   */
  public static final String PENDING = "pending";
  public static final String PENDING_FLAG = "figuresPending";
  /**
   * The unit that last added to the pending figures: without transactions its writes are visible before it ends, so
   * the projector takes them only once that unit has settled (a rolled-back unit takes its additions back).
   */
  public static final String PENDING_BY = "pendingBy";

  private VariantFigures() {
  }

  /** The worth fields of a variant as it is ({@code worth}, {@code worthAt}). */
  public static JsonObject worth(JsonObject variant) {
    long stock = variant.getLong("stock", 0L);
    Long cost = variant.getLong("lastUnitCost");
    long price = variant.getLong("price", 0L);
    JsonObject worth = new JsonObject()
      .put("p", Amounts.stored(Amounts.times(price, stock)))
      .put("c", Amounts.stored(cost == null ? BigInteger.ZERO : Amounts.times(cost, stock)))
      .put("k", cost == null ? 0L : 1L)
      .put("n", Amounts.stored(BigInteger.valueOf(cost == null ? stock : 0L)));
    JsonArray at = new JsonArray();
    JsonObject levels = StockLevels.all(variant);
    for (String location : new java.util.TreeSet<>(levels.fieldNames())) {
      long onHand = levels.getJsonObject(location).getLong("onHand", 0L);
      if (onHand == 0) continue;
      at.add(new JsonObject().put("l", location)
        .put("p", Amounts.stored(Amounts.times(price, onHand)))
        .put("c", Amounts.stored(cost == null ? BigInteger.ZERO : Amounts.times(cost, onHand)))
        .put("n", Amounts.stored(BigInteger.valueOf(cost == null ? onHand : 0L))));
    }
    return new JsonObject().put(WORTH, worth).put(WORTH_AT, at);
  }

  /**
   * The day fields after one more movement of the variant: its day's bucket moves by the change, days older than
   * {@link #KEPT_DAYS} before the latest one are dropped.
   */
  public static JsonObject afterMovement(JsonObject variant, StockChange change) {
    Map<String, JsonObject> days = new TreeMap<>();
    for (Object o : variant.getJsonArray(DAYS, new JsonArray())) {
      JsonObject day = (JsonObject) o;
      days.put(day.getString("d"), day);
    }
    JsonObject bucket = days.containsKey(change.day()) ? days.get(change.day()).copy() : emptyDay(change.day());
    if (MovementType.FLOWS.contains(change.type()) && change.quantity() != 0) {
      String direction = change.quantity() > 0 ? "i" : "o";
      JsonObject flows = bucket.getJsonObject(direction).copy();
      flows.put(change.type().name(), flows.getLong(change.type().name(), 0L) + Math.abs(change.quantity()));
      bucket.put(direction, flows);
    }
    if (change.soldUnits() != 0 || change.soldRevenue().signum() != 0) {
      bucket.put("u", bucket.getLong("u") + change.soldUnits())
        .put("r", Amounts.stored(Amounts.of(bucket.getValue("r")).add(change.soldRevenue())));
    }
    days.put(change.day(), bucket);
    return dayFields(days.values());
  }

  /** {@code days}, {@code lastDay} and {@code salesCap} for these buckets (any order), keeping the last ones. */
  public static JsonObject dayFields(Iterable<JsonObject> buckets) {
    TreeMap<String, JsonObject> byDay = new TreeMap<>();
    buckets.forEach(bucket -> byDay.put(bucket.getString("d"), bucket));
    if (byDay.isEmpty()) return new JsonObject().put(DAYS, new JsonArray()).put(LAST_DAY, null).put(SALES_CAP, 0L);
    String oldestKept = LocalDate.parse(byDay.lastKey()).minusDays(KEPT_DAYS - 1L).toString();
    List<JsonObject> kept = new ArrayList<>(byDay.tailMap(oldestKept, true).values());
    long cap = 0;
    for (JsonObject bucket : kept) cap += Math.max(0, bucket.getLong("u", 0L));
    return new JsonObject().put(DAYS, new JsonArray(new ArrayList<>(kept))).put(LAST_DAY, byDay.lastKey()).put(SALES_CAP, cap);
  }

  /**
   * The day buckets of {@code movements} as the ledger has them ({@code day}, {@code type}, {@code quantity} and
   * {@code sold} of each), from the day {@code from} on: what the variant's {@code days} must hold for those days.
   */
  public static Map<String, JsonObject> bucketsOf(Iterable<JsonObject> movements, String from) {
    Map<String, JsonObject> days = new TreeMap<>();
    for (JsonObject m : movements) {
      String day = m.getString("day");
      if (day == null || day.compareTo(from) < 0) continue;
      JsonObject bucket = days.computeIfAbsent(day, VariantFigures::emptyDay);
      MovementType type = MovementType.valueOf(m.getString("type"));
      long quantity = m.getLong("quantity", 0L);
      if (MovementType.FLOWS.contains(type) && quantity != 0) {
        JsonObject flows = bucket.getJsonObject(quantity > 0 ? "i" : "o");
        flows.put(type.name(), flows.getLong(type.name(), 0L) + Math.abs(quantity));
      }
      JsonObject sold = m.getJsonObject("sold");
      if (sold != null) {
        bucket.put("u", bucket.getLong("u") + sold.getLong("u", 0L))
          .put("r", Amounts.stored(Amounts.of(bucket.getValue("r")).add(Amounts.of(sold.getValue("r")))));
      }
    }
    return days;
  }

  public static JsonObject emptyDay(String day) {
    return new JsonObject().put("d", day).put("i", new JsonObject()).put("o", new JsonObject()).put("u", 0L)
      .put("r", Amounts.stored(BigInteger.ZERO));
  }

  /**
   * The pending fields after a write that took the variant from {@code before} (null: created) to {@code after}, plus the
   * flows of {@code change} (null: no movement): the previous pending sums with this write's difference added.
   */
  public static JsonObject pendingAfter(JsonObject before, JsonObject after, StockChange change) {
    JsonObject stored = before == null ? null : before.getJsonObject(PENDING);
    JsonObject pending = stored == null ? new JsonObject() : stored.copy();
    JsonObject was = before == null ? null : worth(before);
    JsonObject is = worth(after);
    JsonObject totals = pending.getJsonObject("w", new JsonObject()).copy();
    for (String field : List.of("p", "c", "k", "n")) {
      BigInteger delta = amount(is.getJsonObject(WORTH), field).subtract(was == null ? BigInteger.ZERO : amount(was.getJsonObject(WORTH), field));
      if (delta.signum() != 0) totals.put(field, Amounts.stored(amount(totals, field).add(delta)));
    }
    JsonObject at = pending.getJsonObject("at", new JsonObject()).copy();
    Map<String, JsonObject> wasAt = byLocation(was);
    Map<String, JsonObject> isAt = byLocation(is);
    java.util.Set<String> locations = new java.util.TreeSet<>(wasAt.keySet());
    locations.addAll(isAt.keySet());
    for (String location : locations) {
      JsonObject sums = at.getJsonObject(location, new JsonObject()).copy();
      for (String field : List.of("p", "c", "n")) {
        BigInteger delta = amount(isAt.get(location), field).subtract(amount(wasAt.get(location), field));
        if (delta.signum() != 0) sums.put(field, Amounts.stored(amount(sums, field).add(delta)));
      }
      at.put(location, sums);
    }
    JsonObject flows = pending.getJsonObject("f", new JsonObject()).copy();
    if (change != null && MovementType.FLOWS.contains(change.type()) && change.quantity() != 0) {
      JsonObject day = flows.getJsonObject(change.day(), new JsonObject().put("i", new JsonObject()).put("o", new JsonObject())).copy();
      String direction = change.quantity() > 0 ? "i" : "o";
      JsonObject side = day.getJsonObject(direction).copy();
      side.put(change.type().name(), side.getLong(change.type().name(), 0L) + Math.abs(change.quantity()));
      flows.put(change.day(), day.put(direction, side));
    }
    JsonObject next = new JsonObject();
    if (!isZero(totals)) next.put("w", totals);
    JsonObject nonZeroAt = new JsonObject();
    at.forEach(e -> { if (!isZero((JsonObject) e.getValue())) nonZeroAt.put(e.getKey(), e.getValue()); });
    if (!nonZeroAt.isEmpty()) next.put("at", nonZeroAt);
    if (!flows.isEmpty()) next.put("f", flows);
    return next.isEmpty() ? new JsonObject().putNull(PENDING).putNull(PENDING_FLAG)
      : new JsonObject().put(PENDING, next).put(PENDING_FLAG, true);
  }

  /**
   * The pending fields of a variant that the projection has never seen (an older release's, or a seeded one): all its
   * worth, and the flows of these day buckets.
   */
  public static JsonObject pendingFromScratch(JsonObject variant, Iterable<JsonObject> buckets) {
    JsonObject fields = pendingAfter(null, variant, null);
    JsonObject pending = fields.getJsonObject(PENDING) == null ? new JsonObject() : fields.getJsonObject(PENDING);
    JsonObject flows = new JsonObject();
    for (JsonObject bucket : buckets) {
      JsonObject i = bucket.getJsonObject("i", new JsonObject());
      JsonObject o = bucket.getJsonObject("o", new JsonObject());
      if (!i.isEmpty() || !o.isEmpty()) flows.put(bucket.getString("d"), new JsonObject().put("i", i.copy()).put("o", o.copy()));
    }
    if (!flows.isEmpty()) pending.put("f", flows);
    return pending.isEmpty() ? new JsonObject().putNull(PENDING).putNull(PENDING_FLAG)
      : new JsonObject().put(PENDING, pending).put(PENDING_FLAG, true);
  }

  private static Map<String, JsonObject> byLocation(JsonObject worth) {
    Map<String, JsonObject> at = new TreeMap<>();
    if (worth != null) worth.getJsonArray(WORTH_AT, new JsonArray()).forEach(o -> at.put(((JsonObject) o).getString("l"), (JsonObject) o));
    return at;
  }

  private static boolean isZero(JsonObject sums) {
    return sums.stream().allMatch(e -> e.getValue() == null || Amounts.of(e.getValue()).signum() == 0);
  }

  public static BigInteger amount(JsonObject sums, String field) {
    return sums == null ? BigInteger.ZERO : Amounts.of(sums.getValue(field));
  }

  /** Units sold net of returns and their revenue over the days {@code from}..{@code to} (inclusive) of a variant. */
  public static Sales salesBetween(JsonObject variant, String from, String to) {
    long units = 0;
    BigInteger revenue = BigInteger.ZERO;
    for (Object o : variant.getJsonArray(DAYS, new JsonArray())) {
      JsonObject day = (JsonObject) o;
      String d = day.getString("d");
      if (d.compareTo(from) < 0 || d.compareTo(to) > 0) continue;
      units += day.getLong("u", 0L);
      revenue = revenue.add(Amounts.of(day.getValue("r")));
    }
    return new Sales(units, revenue);
  }

  public record Sales(long units, BigInteger revenue) {
  }
}
