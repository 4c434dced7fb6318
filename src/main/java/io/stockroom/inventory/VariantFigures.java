package io.stockroom.inventory;

import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
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

  /** A variant's worth: {@code p} stock × price, {@code c} stock × last unit cost, {@code k} 1 if it has a cost, {@code n} units without one. */
  public record Worth(BigInteger p, BigInteger c, long k, BigInteger n) {
    /** The amounts by field name, {@code k} as an amount too (as pending sums keep it). */
    Map<String, BigInteger> sums() {
      return Map.of("p", zeroIfNull(p), "c", zeroIfNull(c), "k", BigInteger.valueOf(k), "n", zeroIfNull(n));
    }
  }

  /** The worth at one location {@code l} holding units on hand. */
  public record WorthAt(String l, BigInteger p, BigInteger c, BigInteger n) {
    Map<String, BigInteger> sums() {
      return Map.of("p", zeroIfNull(p), "c", zeroIfNull(c), "n", zeroIfNull(n));
    }
  }

  /** One tenant-local day {@code d}: units in ({@code i}) and out ({@code o}) per movement type, net units sold {@code u}, their revenue {@code r}. */
  public record Day(String d, Map<String, Long> i, Map<String, Long> o, long u, BigInteger r) {
    static Day empty(String d) {
      return new Day(d, Map.of(), Map.of(), 0, BigInteger.ZERO);
    }

    static Day of(JsonObject stored) {
      return RecordCodec.fromDocument(Day.class, stored);
    }

    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }

    BigInteger revenue() {
      return zeroIfNull(r);
    }

    /** {@code quantity} units (signed: + in, − out) of a movement of {@code type} more; only flows count. */
    Day withFlow(MovementType type, long quantity) {
      if (!MovementType.FLOWS.contains(type) || quantity == 0) return this;
      return quantity > 0 ? new Day(d, added(i, type, quantity), o, u, r) : new Day(d, i, added(o, type, -quantity), u, r);
    }

    Day withSold(long units, BigInteger revenue) {
      return new Day(d, i, o, u + units, revenue().add(revenue));
    }

    /** This day's flows, as pending figures keep them (null: none). */
    Flows flows() {
      Map<String, Long> in = i == null ? Map.of() : i;
      Map<String, Long> out = o == null ? Map.of() : o;
      return in.isEmpty() && out.isEmpty() ? null : new Flows(new LinkedHashMap<>(in), new LinkedHashMap<>(out));
    }
  }

  /** Units in and out per movement type on one day. */
  public record Flows(Map<String, Long> i, Map<String, Long> o) {
    static final Flows NONE = new Flows(Map.of(), Map.of());

    Flows with(MovementType type, long quantity) {
      return quantity > 0 ? new Flows(added(i, type, quantity), o) : new Flows(i, added(o, type, -quantity));
    }
  }

  /**
   * What the variant's changes added to the tenant's totals since the projector last took them: worth {@code w},
   * worth per location {@code at} and flows per day {@code f} (each null when there is none).
   */
  public record Pending(Map<String, BigInteger> w, Map<String, Map<String, BigInteger>> at, Map<String, Flows> f) {
    static Pending of(JsonObject stored) {
      return stored == null ? new Pending(null, null, null) : RecordCodec.fromDocument(Pending.class, stored);
    }

    boolean isEmpty() {
      return w == null && at == null && f == null;
    }

    /** The $set fragment that stores it, with {@link #PENDING_FLAG}; both null (so taken off) when there is nothing. */
    JsonObject toFields() {
      if (isEmpty()) return new JsonObject().putNull(PENDING).putNull(PENDING_FLAG);
      return Ops.where(PENDING, RecordCodec.toDocument(this)).put(PENDING_FLAG, true);
    }
  }

  /** The worth fields of a variant ({@code worth}, {@code worthAt}). */
  record WorthFields(@Key(WORTH) Worth worth, @Key(WORTH_AT) List<WorthAt> worthAt) {
    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }

    Map<String, Map<String, BigInteger>> byLocation() {
      Map<String, Map<String, BigInteger>> at = new TreeMap<>();
      worthAt.forEach(w -> at.put(w.l(), w.sums()));
      return at;
    }
  }

  /** The day fields of a variant: {@code lastDay} is stored as null while there is no day. */
  record DayFields(@Key(DAYS) List<Day> days, @ExplicitNull @Key(LAST_DAY) String lastDay, @Key(SALES_CAP) long salesCap) {
    JsonObject toDocument() {
      return RecordCodec.toDocument(this);
    }
  }

  /** The worth fields of a variant as it is ({@code worth}, {@code worthAt}). */
  public static JsonObject worth(JsonObject variant) {
    return worth(Variant.of(variant)).toDocument();
  }

  /**
   * Units without a known cost ({@link Variant#uncosted}) are counted in {@code n} and left out of {@code c}; per
   * location they are attributed to the locations in id order, so that the locations' sums are the variant's.
   */
  static WorthFields worth(Variant variant) {
    long stock = variant.stock();
    Long cost = variant.lastUnitCost();
    long price = variant.price();
    long uncosted = variant.uncosted();
    Worth worth = new Worth(Amounts.times(price, stock), cost == null ? BigInteger.ZERO : Amounts.times(cost, stock - uncosted),
      cost == null ? 0L : 1L, BigInteger.valueOf(uncosted));
    List<WorthAt> at = new ArrayList<>();
    Map<String, Level> levels = new TreeMap<>(variant.levels());
    long[] left = {uncosted};
    levels.forEach((location, level) -> {
      long onHand = level.onHand();
      if (onHand == 0) return;
      long without = Math.max(0, Math.min(onHand, left[0]));
      left[0] -= without;
      at.add(new WorthAt(location, Amounts.times(price, onHand), cost == null ? BigInteger.ZERO : Amounts.times(cost, onHand - without),
        BigInteger.valueOf(without)));
    });
    return new WorthFields(worth, at);
  }

  /**
   * The day fields after one more movement of the variant: its day's bucket moves by the change, days older than
   * {@link #KEPT_DAYS} before the latest one are dropped.
   */
  static DayFields afterMovement(Variant variant, StockChange change) {
    Map<String, Day> days = new TreeMap<>();
    variant.days().forEach(day -> days.put(day.d(), day));
    Day bucket = days.getOrDefault(change.day(), Day.empty(change.day())).withFlow(change.type(), change.quantity());
    if (change.soldUnits() != 0 || change.soldRevenue().signum() != 0) bucket = bucket.withSold(change.soldUnits(), change.soldRevenue());
    days.put(change.day(), bucket);
    return dayFieldsOf(days.values());
  }

  /** {@code days}, {@code lastDay} and {@code salesCap} for these buckets (any order), keeping the last ones. */
  public static JsonObject dayFields(Iterable<JsonObject> buckets) {
    List<Day> days = new ArrayList<>();
    buckets.forEach(bucket -> days.add(Day.of(bucket)));
    return dayFieldsOf(days).toDocument();
  }

  static DayFields dayFieldsOf(Collection<Day> buckets) {
    TreeMap<String, Day> byDay = new TreeMap<>();
    buckets.forEach(bucket -> byDay.put(bucket.d(), bucket));
    if (byDay.isEmpty()) return new DayFields(List.of(), null, 0L);
    String oldestKept = LocalDate.parse(byDay.lastKey()).minusDays(KEPT_DAYS - 1L).toString();
    List<Day> kept = new ArrayList<>(byDay.tailMap(oldestKept, true).values());
    long cap = 0;
    for (Day bucket : kept) cap += Math.max(0, bucket.u());
    return new DayFields(kept, byDay.lastKey(), cap);
  }

  /**
   * The day buckets of {@code movements} as the ledger has them ({@code day}, {@code type}, {@code quantity} and
   * {@code sold} of each), from the day {@code from} on: what the variant's {@code days} must hold for those days.
   */
  public static Map<String, JsonObject> bucketsOf(Iterable<JsonObject> movements, String from) {
    Map<String, JsonObject> days = new TreeMap<>();
    daysOf(movements, from).forEach((day, bucket) -> days.put(day, bucket.toDocument()));
    return days;
  }

  static Map<String, Day> daysOf(Iterable<JsonObject> movements, String from) {
    Map<String, Day> days = new TreeMap<>();
    for (JsonObject stored : movements) {
      Movement m = Movement.of(stored);
      if (m.day() == null || m.day().compareTo(from) < 0) continue;
      Day bucket = days.getOrDefault(m.day(), Day.empty(m.day())).withFlow(m.type(), m.quantityOrZero());
      if (m.sold() != null) bucket = bucket.withSold(m.sold().u(), m.sold().revenue());
      days.put(m.day(), bucket);
    }
    return days;
  }

  public static JsonObject emptyDay(String day) {
    return Day.empty(day).toDocument();
  }

  /**
   * The pending fields after a write that took the variant from {@code before} (null: created) to {@code after}, plus the
   * flows of {@code change} (null: no movement): the previous pending sums with this write's difference added.
   */
  static Pending pendingAfter(Variant before, Variant after, StockChange change) {
    Pending pending = Pending.of(before == null ? null : before.pending());
    WorthFields was = before == null ? null : worth(before);
    WorthFields is = worth(after);
    Map<String, BigInteger> totals = pending.w() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(pending.w());
    addDeltas(totals, FigureSums.WORTH_FIELDS, is.worth().sums(), was == null ? Map.of() : was.worth().sums());
    Map<String, Map<String, BigInteger>> at = pending.at() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(pending.at());
    Map<String, Map<String, BigInteger>> wasAt = was == null ? Map.of() : was.byLocation();
    Map<String, Map<String, BigInteger>> isAt = is.byLocation();
    java.util.Set<String> locations = new java.util.TreeSet<>(wasAt.keySet());
    locations.addAll(isAt.keySet());
    for (String location : locations) {
      Map<String, BigInteger> sums = new LinkedHashMap<>(at.getOrDefault(location, Map.of()));
      addDeltas(sums, FigureSums.AT_FIELDS, isAt.getOrDefault(location, Map.of()), wasAt.getOrDefault(location, Map.of()));
      at.put(location, sums);
    }
    Map<String, Flows> flows = pending.f() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(pending.f());
    if (change != null && MovementType.FLOWS.contains(change.type()) && change.quantity() != 0) {
      flows.put(change.day(), flows.getOrDefault(change.day(), Flows.NONE).with(change.type(), change.quantity()));
    }
    Map<String, Map<String, BigInteger>> nonZeroAt = new LinkedHashMap<>();
    at.forEach((location, sums) -> { if (!isZero(sums)) nonZeroAt.put(location, sums); });
    return new Pending(isZero(totals) ? null : totals, nonZeroAt.isEmpty() ? null : nonZeroAt, flows.isEmpty() ? null : flows);
  }

  /** Each of {@code fields} of {@code sums} moved by {@code is − was}, where that is not zero. */
  private static void addDeltas(Map<String, BigInteger> sums, List<String> fields, Map<String, BigInteger> is, Map<String, BigInteger> was) {
    for (String field : fields) {
      BigInteger delta = is.getOrDefault(field, BigInteger.ZERO).subtract(was.getOrDefault(field, BigInteger.ZERO));
      if (delta.signum() != 0) sums.put(field, sums.getOrDefault(field, BigInteger.ZERO).add(delta));
    }
  }

  /**
   * The pending figures of a variant that the projection has never seen (an older release's, or a seeded one): all its
   * worth, and the flows of these day buckets.
   */
  static Pending pendingFromScratch(Variant variant, Iterable<Day> buckets) {
    Pending fromWorth = pendingAfter(null, variant, null);
    Map<String, Flows> flows = new LinkedHashMap<>();
    for (Day bucket : buckets) {
      Flows dayFlows = bucket.flows();
      if (dayFlows != null) flows.put(bucket.d(), dayFlows);
    }
    return new Pending(fromWorth.w(), fromWorth.at(), flows.isEmpty() ? null : flows);
  }

  private static boolean isZero(Map<String, BigInteger> sums) {
    return sums.values().stream().allMatch(amount -> amount == null || amount.signum() == 0);
  }

  public static BigInteger amount(JsonObject sums, String field) {
    return sums == null ? BigInteger.ZERO : Amounts.of(sums.getValue(field));
  }

  private static BigInteger zeroIfNull(BigInteger amount) {
    return amount == null ? BigInteger.ZERO : amount;
  }

  private static Map<String, Long> added(Map<String, Long> counts, MovementType type, long units) {
    Map<String, Long> next = counts == null ? new LinkedHashMap<>() : new LinkedHashMap<>(counts);
    next.merge(type.name(), units, Long::sum);
    return next;
  }

  /** Units sold net of returns and their revenue over the days {@code from}..{@code to} (inclusive) of a variant. */
  public static Sales salesBetween(JsonObject variant, String from, String to) {
    long units = 0;
    BigInteger revenue = BigInteger.ZERO;
    for (Day day : Variant.of(variant).days()) {
      if (day.d().compareTo(from) < 0 || day.d().compareTo(to) > 0) continue;
      units += day.u();
      revenue = revenue.add(day.revenue());
    }
    return new Sales(units, revenue);
  }

  public record Sales(long units, BigInteger revenue) {
  }
}
