package io.stockroom.inventory;

import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact sums of dashboard figures as {@link VariantFigures} shapes them: worth {@code {p, c, k, n}}, worth per location
 * {@code {<locationId>: {p, c, n}}} and flows per day {@code {<day>: {i: {TYPE: units}, o: {...}}}}. Each addition
 * takes a sign, so that pending figures can be taken off. Answers leave zero figures out, so equal sums compare equal.
 */
public final class FigureSums {
  public static final List<String> WORTH_FIELDS = List.of("p", "c", "k", "n");
  public static final List<String> AT_FIELDS = List.of("p", "c", "n");

  private final Map<String, BigInteger> worth = new TreeMap<>();
  private final Map<String, Map<String, BigInteger>> at = new TreeMap<>();
  /** day -> "i" / "o" -> type -> units */
  private final Map<String, Map<String, Map<String, Long>>> flows = new TreeMap<>();

  /** A worth {@code {p, c, k, n}} (null: none). */
  public FigureSums addWorth(JsonObject sums, int sign) {
    if (sums == null) return this;
    for (String field : WORTH_FIELDS) worth.merge(field, signed(VariantFigures.amount(sums, field), sign), BigInteger::add);
    return this;
  }

  /** A variant's {@code worthAt} list {@code [{l, p, c, n}]} (null: none). */
  public FigureSums addWorthAt(JsonArray worthAt, int sign) {
    if (worthAt != null) worthAt.forEach(o -> addAt(((JsonObject) o).getString("l"), (JsonObject) o, sign));
    return this;
  }

  /** Worth per location as a map {@code {<locationId>: {p, c, n}}} (null: none). */
  public FigureSums addAtMap(JsonObject byLocation, int sign) {
    if (byLocation != null) byLocation.forEach(e -> addAt(e.getKey(), (JsonObject) e.getValue(), sign));
    return this;
  }

  private void addAt(String location, JsonObject sums, int sign) {
    Map<String, BigInteger> fields = at.computeIfAbsent(location, l -> new TreeMap<>());
    for (String field : AT_FIELDS) fields.merge(field, signed(VariantFigures.amount(sums, field), sign), BigInteger::add);
  }

  /** One day's flows {@code {i: {TYPE: units}, o: {...}}} (a day bucket has these among its fields). */
  public FigureSums addFlows(String day, JsonObject dayFlows, int sign) {
    Map<String, Map<String, Long>> sides = flows.computeIfAbsent(day, d -> new TreeMap<>());
    for (String side : List.of("i", "o")) {
      JsonObject counts = dayFlows.getJsonObject(side);
      if (counts == null) continue;
      for (MovementType type : MovementType.FLOWS) {
        long units = counts.getLong(type.name(), 0L);
        if (units != 0) sides.computeIfAbsent(side, s -> new TreeMap<>()).merge(type.name(), sign * units, Long::sum);
      }
    }
    return this;
  }

  /** A variant's pending figures {@code {w, at, f}} (null: none). */
  public FigureSums addPending(JsonObject pending, int sign) {
    if (pending == null) return this;
    addWorth(pending.getJsonObject("w"), sign);
    addAtMap(pending.getJsonObject("at"), sign);
    JsonObject days = pending.getJsonObject("f");
    if (days != null) days.forEach(e -> addFlows(e.getKey(), (JsonObject) e.getValue(), sign));
    return this;
  }

  /** {@code {p, c, k, n}}, every field present (as stored amounts). */
  public JsonObject worth() {
    JsonObject sums = new JsonObject();
    for (String field : WORTH_FIELDS) sums.put(field, Amounts.stored(worth.getOrDefault(field, BigInteger.ZERO)));
    return sums;
  }

  /** {@code {<locationId>: {p, c, n}}}, locations whose sums are all zero left out. */
  public JsonObject worthAt() {
    JsonObject byLocation = new JsonObject();
    at.forEach((location, sums) -> {
      if (sums.values().stream().allMatch(amount -> amount.signum() == 0)) return;
      JsonObject fields = new JsonObject();
      for (String field : AT_FIELDS) fields.put(field, Amounts.stored(sums.getOrDefault(field, BigInteger.ZERO)));
      byLocation.put(location, fields);
    });
    return byLocation;
  }

  /** The days added, each {@code {i, o}} with zero counts left out. */
  public Map<String, JsonObject> flows() {
    Map<String, JsonObject> byDay = new TreeMap<>();
    flows.keySet().forEach(day -> byDay.put(day, flowsOf(day)));
    return byDay;
  }

  /** One day's {@code {i, o}} (both empty for a day nothing was added to). */
  public JsonObject flowsOf(String day) {
    JsonObject both = new JsonObject().put("i", new JsonObject()).put("o", new JsonObject());
    flows.getOrDefault(day, Map.of()).forEach((side, counts) -> counts.forEach((type, units) -> {
      if (units != 0) both.getJsonObject(side).put(type, units);
    }));
    return both;
  }

  private static BigInteger signed(BigInteger amount, int sign) {
    return sign < 0 ? amount.negate() : amount;
  }
}
