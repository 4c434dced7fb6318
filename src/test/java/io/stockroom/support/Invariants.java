package io.stockroom.support;

import io.stockroom.dashboard.DashboardProjection;
import io.stockroom.dashboard.DashboardTotals;
import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger invariants every concurrency or failure test ends with, checked both through the API (audit) and
 * directly in the database: no negative stock; for every variant the movements add up to its stock; every movement
 * belongs to an existing document (order, return, receipt, adjustment, variant) and every document line has its movement.
 */
public final class Invariants {
  private Invariants() {
  }

  /**
   * Everything {@link #assertLedgerAndTotalsHold} checks, plus the rollups recomputed from the ledger: each day's units
   * in and out per movement type, each day's per-variant sales, and each variant's 30-day sales (units and exact
   * revenue at the order lines' prices). Tests that fabricate history directly in the database use the other one.
   */
  public static void assertHold(TestStack stack, Session session) {
    assertHold(stack.api, stack.mongo, session);
  }

  /** The same checks against any running Stockroom: its API and its database. */
  public static void assertHold(Api api, MongoClient mongo, Session session) {
    assertLedgerAndTotalsHold(api, mongo, session);
    assertRollupsMatchLedger(mongo, session.tenantId());
  }

  private static void assertRollupsMatchLedger(MongoClient mongo, String tenantId) {
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    Map<String, JsonObject> ordersById = new HashMap<>();
    mongo.find("orders", scope).await().forEach(o -> ordersById.put(o.getString("_id"), o));
    Map<String, JsonObject> daily = new HashMap<>();
    Map<String, long[]> units = new HashMap<>();
    Map<String, BigInteger> revenue = new HashMap<>();
    java.time.LocalDate windowStart = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(29);
    for (JsonObject m : mongo.find("stock_movements", scope).await()) {
      if (!List.of("PURCHASE", "SALE", "ADJUSTMENT", "RETURN").contains(m.getString("type"))) continue;
      String day = m.getString("day");
      long q = m.getLong("quantity");
      JsonObject rollup = daily.computeIfAbsent(day, d -> new JsonObject().put("in", new JsonObject()).put("out", new JsonObject())
        .put("sales", new JsonObject()));
      JsonObject direction = rollup.getJsonObject(q >= 0 ? "in" : "out");
      direction.put(m.getString("type"), direction.getLong(m.getString("type"), 0L) + Math.abs(q));
      JsonObject source = m.getJsonObject("source");
      String orderId = switch (source.getString("kind")) {
        case "ORDER", "ORDER_CANCELLATION" -> source.getString("id");
        case "ORDER_RETURN" -> source.getString("orderId");
        default -> null;
      };
      if (orderId == null) continue;
      long sold = -q;
      long unitPrice = ordersById.get(orderId).getJsonArray("lines").stream().map(l -> (JsonObject) l)
        .filter(l -> l.getString("variantId").equals(m.getString("variantId"))).findFirst().orElseThrow().getLong("unitPrice");
      BigInteger soldRevenue = BigInteger.valueOf(unitPrice).multiply(BigInteger.valueOf(sold));
      JsonObject perVariant = rollup.getJsonObject("sales").getJsonObject(m.getString("variantId"), new JsonObject().put("u", 0L).put("r", "0"));
      rollup.getJsonObject("sales").put(m.getString("variantId"), perVariant.put("u", perVariant.getLong("u") + sold)
        .put("r", new BigInteger(perVariant.getString("r")).add(soldRevenue).toString()));
      if (!java.time.LocalDate.parse(day).isBefore(windowStart)) {
        units.computeIfAbsent(m.getString("variantId"), k -> new long[1])[0] += sold;
        revenue.merge(m.getString("variantId"), soldRevenue, BigInteger::add);
      }
    }
    for (JsonObject stored : dailyRollups(mongo, scope)) {
      JsonObject expected = daily.getOrDefault(stored.getString("day"), new JsonObject().put("in", new JsonObject()).put("out", new JsonObject())
        .put("sales", new JsonObject()));
      for (String direction : List.of("in", "out")) {
        JsonObject counters = stored.getJsonObject(direction, new JsonObject());
        for (String type : List.of("PURCHASE", "SALE", "ADJUSTMENT", "RETURN")) {
          assertEquals(expected.getJsonObject(direction).getLong(type, 0L), counters.getLong(type, 0L),
            () -> "daily " + direction + "." + type + " of " + stored.getString("day") + ": " + stored.encode());
        }
      }
      JsonObject sales = stored.getJsonObject("sales", new JsonObject());
      sales.forEach(e -> {
        JsonObject want = expected.getJsonObject("sales").getJsonObject(e.getKey(), new JsonObject().put("u", 0L).put("r", "0"));
        JsonObject got = (JsonObject) e.getValue();
        assertEquals(want.getLong("u"), got.getLong("u", 0L), () -> "daily sales units of " + e.getKey() + ": " + stored.encode());
        assertEquals(new BigInteger(want.getString("r")), Amounts.of(got.getValue("r")), () -> "daily revenue of " + e.getKey());
      });
      daily.remove(stored.getString("day"));
    }
    daily.values().forEach(missing -> assertTrue(missing.getJsonObject("in").isEmpty() && missing.getJsonObject("out").isEmpty(),
      () -> "movements without a daily rollup: " + missing.encode()));
    for (JsonObject v : mongo.find("variants", scope).await()) {
      JsonObject sales = v.getJsonObject("sales30");
      long[] u = units.getOrDefault(v.getString("_id"), new long[1]);
      assertEquals(u[0], sales.getLong("u"), () -> "30-day units of " + v.encode());
      assertEquals(revenue.getOrDefault(v.getString("_id"), BigInteger.ZERO), Amounts.of(sales.getValue("r")), () -> "30-day revenue of " + v.encode());
    }
  }

  /** The ledger, the guards' counters and the dashboard totals (not the daily rollups) are consistent. */
  public static void assertLedgerAndTotalsHold(TestStack stack, Session session) {
    assertLedgerAndTotalsHold(stack.api, stack.mongo, session);
  }

  private static void assertLedgerAndTotalsHold(Api api, MongoClient mongo, Session session) {
    Res audit = api.get("/api/v1/inventory/audit", session.token());
    assertEquals(200, audit.status(), audit::toString);
    assertTrue(audit.json().getJsonArray("discrepancies").isEmpty(), () -> "audit: " + audit);

    String tenantId = session.tenantId();
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    List<JsonObject> variants = mongo.find("variants", scope).await();
    List<JsonObject> movements = mongo.find("stock_movements", scope).await();
    List<JsonObject> orders = mongo.find("orders", scope).await();
    List<JsonObject> receipts = mongo.find("receipts", scope).await();
    List<JsonObject> adjustments = mongo.find("adjustments", scope).await();

    Map<String, Long> sums = new HashMap<>();
    Set<String> sourceKeys = new HashSet<>();
    movements.forEach(m -> {
      sums.merge(m.getString("variantId"), m.getLong("quantity"), Long::sum);
      assertTrue(sourceKeys.add(m.getString("sourceKey")), () -> "duplicate movement source " + m.encode());
    });
    Set<String> variantIds = new HashSet<>();
    for (JsonObject v : variants) {
      variantIds.add(v.getString("_id"));
      assertTrue(v.getLong("stock") >= 0, () -> "negative stock " + v.encode());
      assertEquals(v.getLong("stock"), sums.getOrDefault(v.getString("_id"), 0L), () -> "ledger sum of " + v.encode());
    }

    Map<String, JsonObject> ordersById = new HashMap<>();
    orders.forEach(o -> ordersById.put(o.getString("_id"), o));
    Map<String, JsonObject> receiptsById = new HashMap<>();
    receipts.forEach(r -> receiptsById.put(r.getString("_id"), r));
    Set<String> importIds = new HashSet<>();
    mongo.find("import_jobs", scope).await().forEach(j -> importIds.add(j.getString("_id")));
    Set<String> transferIds = new HashSet<>();
    mongo.find("transfers", scope).await().forEach(t -> transferIds.add(t.getString("_id")));
    Set<String> reservationIds = new HashSet<>();
    mongo.find("reservations", scope).await().forEach(r -> reservationIds.add(r.getString("_id")));
    Set<String> adjustmentIds = new HashSet<>();
    adjustments.forEach(a -> adjustmentIds.add(a.getString("_id")));

    for (JsonObject m : movements) {
      assertTrue(variantIds.contains(m.getString("variantId")), () -> "movement of unknown variant " + m.encode());
      JsonObject source = m.getJsonObject("source");
      String id = source.getString("id");
      boolean owned = switch (source.getString("kind")) {
        case "ORDER" -> ordersById.containsKey(id);
        case "ORDER_CANCELLATION" -> ordersById.containsKey(id) && "CANCELLED".equals(ordersById.get(id).getString("status"));
        case "ORDER_RETURN" -> ordersById.containsKey(source.getString("orderId"))
          && ordersById.get(source.getString("orderId")).getJsonArray("returns").stream().anyMatch(r -> id.equals(((JsonObject) r).getString("id")));
        case "RECEIPT" -> receiptsById.containsKey(id);
        case "ADJUSTMENT", "COUNT", "STATE_MOVE" -> adjustmentIds.contains(id);
        case "RESERVATION" -> reservationIds.contains(id);
        case "TRANSFER" -> transferIds.contains(id);
        case "IMPORT" -> importIds.contains(id);
        case "OPENING_STOCK" -> variantIds.contains(id);
        default -> false;
      };
      assertTrue(owned, () -> "orphan movement " + m.encode());
    }
    for (JsonObject o : orders) {
      for (Object l : o.getJsonArray("lines")) {
        String key = "order:" + o.getString("_id") + ":" + ((JsonObject) l).getString("variantId");
        long sold = movements.stream().filter(m -> m.getString("sourceKey").startsWith(key + ":")).mapToLong(m -> -m.getLong("quantity")).sum();
        assertEquals(((JsonObject) l).getLong("quantity"), sold, () -> "order line and its SALE movements " + key);
      }
    }
    for (JsonObject r : receipts) {
      for (Object l : r.getJsonArray("lines")) {
        String key = "receipt:" + r.getString("_id") + ":" + ((JsonObject) l).getString("variantId");
        assertTrue(sourceKeys.contains(key), () -> "receipt line without PURCHASE movement " + key);
      }
    }
    Map<String, Long> incoming = new HashMap<>();
    for (JsonObject po : mongo.find("purchase_orders", scope).await()) {
      if (List.of("SENT", "CONFIRMED").contains(po.getString("status"))) {
        for (Object l : po.getJsonArray("lines")) {
          JsonObject line = (JsonObject) l;
          incoming.merge(line.getString("variantId"), line.getLong("quantity") - line.getLong("received"), Long::sum);
        }
      }
    }
    for (JsonObject v : variants) {
      assertEquals(incoming.getOrDefault(v.getString("_id"), 0L), v.getLong("incoming", 0L), () -> "incoming of " + v.encode());
    }
    assertOpenOrderCounts(mongo, scope, variants);
    assertLocationLevels(mongo, tenantId, variants, movements);
    assertTrue(mongo.find("unit_repairs", scope).await().isEmpty(), "a unit of this tenant is recorded for repair");
    assertJournalDrains(mongo, scope);
    List<JsonObject> shards = mongo.find("dashboard_totals", scope).await();
    JsonObject totals = DashboardTotals.merge(tenantId, shards);
    Map<Integer, JsonObject> shardOf = new HashMap<>();
    shards.forEach(shard -> shardOf.put(shard.getInteger("shard"), shard));
    BigInteger atPrice = BigInteger.ZERO;
    BigInteger atCost = BigInteger.ZERO;
    long costed = 0;
    Set<String> low = new HashSet<>();
    for (JsonObject v : variants) {
      long stock = v.getLong("stock");
      atPrice = atPrice.add(BigInteger.valueOf(stock).multiply(BigInteger.valueOf(v.getLong("price"))));
      if (v.getLong("lastUnitCost") != null) {
        atCost = atCost.add(BigInteger.valueOf(stock).multiply(BigInteger.valueOf(v.getLong("lastUnitCost"))));
        costed++;
      }
      long shortfall = v.getLong("reorderLevel") - (available(v, tenantId) + v.getLong("incoming", 0L) + inTransit(v));
      if (shortfall >= 0) low.add(v.getString("_id"));
      assertEquals(shortfall >= 0, v.getBoolean("low"), () -> "stored low flag of " + v.encode());
      assertEquals(shortfall, v.getLong("shortfall"), () -> "stored shortfall of " + v.encode());
    }
    BigInteger expectedPrice = atPrice;
    BigInteger expectedCost = atCost;
    assertEquals(expectedPrice, Amounts.of(totals.getValue("atPrice")), () -> "totals atPrice " + totals.encode());
    assertEquals(expectedCost, Amounts.of(totals.getValue("atCost")), () -> "totals atCost " + totals.encode());
    assertEquals(costed, totals.getLong("costedVariants"), () -> "totals costedVariants " + totals.encode());
    assertEquals(low.size(), totals.getLong("lowCount"), () -> "totals lowCount " + totals.encode() + ", low: " + low);
    assertPerLocationTotals(tenantId, variants, totals);
    for (JsonObject a : adjustments) {
      if (a.getString("movementId") != null) {
        assertTrue(sourceKeys.contains("adjustment:" + a.getString("_id")), () -> "adjustment without movement " + a.encode());
      }
    }
  }

  /** Each non-default location's value counters and every location's own low-stock entries match the variants. */
  private static void assertPerLocationTotals(String tenantId, List<JsonObject> variants, JsonObject totals) {
    Map<String, BigInteger[]> value = new HashMap<>();
    Map<String, Set<String>> lowAt = new HashMap<>();
    for (JsonObject v : variants) {
      JsonObject levels = v.getJsonObject("levels", new JsonObject());
      for (String location : levels.fieldNames()) {
        if (location.equals(tenantId)) continue;
        long onHand = levels.getJsonObject(location).getLong("onHand", 0L);
        BigInteger[] sums = value.computeIfAbsent(location, l -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
        sums[0] = sums[0].add(BigInteger.valueOf(onHand).multiply(BigInteger.valueOf(v.getLong("price"))));
        if (v.getLong("lastUnitCost") != null) sums[1] = sums[1].add(BigInteger.valueOf(onHand).multiply(BigInteger.valueOf(v.getLong("lastUnitCost"))));
        else sums[2] = sums[2].add(BigInteger.valueOf(onHand));
      }
      JsonObject own = v.getJsonObject("locationReorderLevels", new JsonObject());
      for (String location : own.fieldNames()) {
        JsonObject l = levels.getJsonObject(location, new JsonObject());
        long available = l.getLong("onHand", 0L) - l.getLong("reserved", 0L) - l.getLong("damaged", 0L) - l.getLong("qualityControl", 0L)
          - l.getLong("safetyStock", 0L);
        if (levels.isEmpty() && location.equals(tenantId)) available = v.getLong("stock");
        long incoming = l.getLong("incoming", levels.isEmpty() && location.equals(tenantId) ? v.getLong("incoming", 0L) : 0L) + l.getLong("inTransit", 0L);
        if (available + incoming <= own.getLong(location)) lowAt.computeIfAbsent(location, k -> new HashSet<>()).add(v.getString("_id"));
      }
      Set<String> expectedLowAt = new HashSet<>();
      lowAt.forEach((location, ids) -> { if (ids.contains(v.getString("_id"))) expectedLowAt.add(location); });
      assertEquals(expectedLowAt, new HashSet<>(v.getJsonArray("lowAt", new JsonArray()).getList()), () -> "stored lowAt of " + v.encode());
    }
    JsonObject at = totals.getJsonObject("at", new JsonObject());
    Set<String> locations = new HashSet<>(at.fieldNames());
    locations.addAll(value.keySet());
    String[] fields = {"atPrice", "atCost", "unitsWithoutCost"};
    for (String location : locations) {
      BigInteger[] expected = value.getOrDefault(location, new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
      for (int i = 0; i < fields.length; i++) {
        int field = i;
        assertEquals(expected[i], Amounts.of(at.getJsonObject(location, new JsonObject()).getValue(fields[i])),
          () -> "totals at." + location + "." + fields[field] + " " + totals.encode());
      }
    }
    JsonObject storedLow = totals.getJsonObject("lowCountAt", new JsonObject());
    Set<String> lowLocations = new HashSet<>(storedLow.fieldNames());
    lowLocations.addAll(lowAt.keySet());
    for (String location : lowLocations) {
      assertEquals(lowAt.getOrDefault(location, Set.of()).size(), storedLow.getLong(location, 0L),
        () -> "low stock count at " + location + ": " + totals.encode());
    }
  }

  /** Sellable units over all locations, computed here from the stored levels (a variant without levels: its stock). */
  private static long available(JsonObject variant, String tenantId) {
    JsonObject levels = variant.getJsonObject("levels");
    if (levels == null) return variant.getLong("stock");
    long total = 0;
    for (String location : levels.fieldNames()) {
      JsonObject l = levels.getJsonObject(location);
      total += l.getLong("onHand", 0L) - l.getLong("reserved", 0L) - l.getLong("damaged", 0L) - l.getLong("qualityControl", 0L)
        - l.getLong("safetyStock", 0L);
    }
    return total;
  }

  private static long inTransit(JsonObject variant) {
    JsonObject levels = variant.getJsonObject("levels", new JsonObject());
    return levels.fieldNames().stream().mapToLong(l -> levels.getJsonObject(l).getLong("inTransit", 0L)).sum();
  }

  private static final List<String> STORED_STATES = List.of("reserved", "damaged", "qualityControl", "safetyStock", "inTransit");

  /**
   * Per variant × location × state, the stored level equals what the movements add up to (on hand: the quantities;
   * every other stored state: units moved in minus units moved out); no state is negative and nothing more is
   * unavailable than on hand; each location's count of stocked variants matches the levels.
   */
  private static void assertLocationLevels(MongoClient mongo, String tenantId, List<JsonObject> variants, List<JsonObject> movements) {
    Map<String, JsonObject> ledger = new HashMap<>();
    for (JsonObject m : movements) {
      String location = m.getString("locationId", tenantId);
      JsonObject level = ledger.computeIfAbsent(m.getString("variantId") + "@" + location, k -> new JsonObject());
      level.put("onHand", level.getLong("onHand", 0L) + m.getLong("quantity"));
      if (m.getString("from") != null && STORED_STATES.contains(m.getString("from"))) level.put(m.getString("from"), level.getLong(m.getString("from"), 0L) - m.getLong("units"));
      if (m.getString("to") != null && STORED_STATES.contains(m.getString("to"))) level.put(m.getString("to"), level.getLong(m.getString("to"), 0L) + m.getLong("units"));
    }
    Map<String, Long> held = new HashMap<>();
    for (JsonObject r : mongo.find("reservations", new JsonObject().put("tenantId", tenantId)).await()) {
      if (!"ACTIVE".equals(r.getString("status"))) continue;
      for (Object l : r.getJsonArray("lines")) {
        for (Object a : ((JsonObject) l).getJsonArray("allocations")) {
          held.merge(((JsonObject) l).getString("variantId") + "@" + ((JsonObject) a).getString("locationId"), ((JsonObject) a).getLong("quantity"), Long::sum);
        }
      }
    }
    Map<String, Long> transit = new HashMap<>();
    for (JsonObject t : mongo.find("transfers", new JsonObject().put("tenantId", tenantId)).await()) {
      if (!"SHIPPED".equals(t.getString("status"))) continue;
      for (Object l : t.getJsonArray("lines")) {
        JsonObject line = (JsonObject) l;
        transit.merge(line.getString("variantId") + "@" + t.getString("toLocationId"), line.getLong("quantity") - line.getLong("received"), Long::sum);
      }
    }
    Map<String, Long> stocked = new HashMap<>();
    for (JsonObject v : variants) {
      JsonObject levels = v.getJsonObject("levels");
      if (levels == null) {
        levels = new JsonObject();
        if (v.getLong("stock") != 0 || v.getLong("incoming", 0L) != 0) {
          levels.put(tenantId, new JsonObject().put("onHand", v.getLong("stock")).put("incoming", v.getLong("incoming", 0L)));
        }
      }
      long incoming = 0;
      Set<String> locations = new HashSet<>(levels.fieldNames());
      ledger.keySet().stream().filter(k -> k.startsWith(v.getString("_id") + "@")).forEach(k -> locations.add(k.substring(k.indexOf('@') + 1)));
      for (String location : locations) {
        JsonObject stored = levels.getJsonObject(location, new JsonObject());
        JsonObject expected = ledger.getOrDefault(v.getString("_id") + "@" + location, new JsonObject());
        String where = v.getString("sku") + " at " + location + ": " + stored.encode() + " vs ledger " + expected.encode();
        assertEquals(expected.getLong("onHand", 0L), stored.getLong("onHand", 0L), () -> "on hand of " + where);
        long unavailable = 0;
        for (String state : STORED_STATES) {
          assertEquals(expected.getLong(state, 0L), stored.getLong(state, 0L), () -> state + " of " + where);
          assertTrue(stored.getLong(state, 0L) >= 0, () -> "negative " + state + " of " + where);
          if (!state.equals("inTransit")) unavailable += stored.getLong(state, 0L);
        }
        assertEquals(held.getOrDefault(v.getString("_id") + "@" + location, 0L), stored.getLong("reserved", 0L),
          () -> "reserved units and ACTIVE reservations of " + where);
        assertEquals(transit.getOrDefault(v.getString("_id") + "@" + location, 0L), stored.getLong("inTransit", 0L),
          () -> "units in transit and SHIPPED transfers to " + where);
        long onHand = stored.getLong("onHand", 0L);
        assertTrue(onHand >= unavailable, () -> "more reserved or unavailable than on hand: " + where);
        incoming += stored.getLong("incoming", 0L);
        boolean holds = stored.stream().anyMatch(e -> e.getValue() instanceof Number n && n.longValue() != 0);
        if (holds && !location.equals(tenantId)) stocked.merge(location, 1L, Long::sum);
      }
      long incomingTotal = incoming;
      assertEquals(v.getLong("incoming", 0L), incomingTotal, () -> "incoming per location of " + v.encode());
    }
    for (JsonObject location : mongo.find("locations", new JsonObject().put("tenantId", tenantId)).await()) {
      if (location.getString("_id").equals(tenantId)) continue;
      assertEquals(stocked.getOrDefault(location.getString("_id"), 0L), location.getLong("stockedVariants", 0L),
        () -> "stocked variants of location " + location.encode());
    }
  }

  /** Variants' and suppliers' open purchase-order counts, and products' variant counts, match a recount. */
  private static void assertOpenOrderCounts(MongoClient mongo, JsonObject scope, List<JsonObject> variants) {
    Map<String, Long> openByVariant = new HashMap<>();
    Map<String, Long> openBySupplier = new HashMap<>();
    for (JsonObject po : mongo.find("purchase_orders", scope).await()) {
      if (!List.of("DRAFT", "SENT", "CONFIRMED").contains(po.getString("status"))) continue;
      openBySupplier.merge(po.getString("supplierId"), 1L, Long::sum);
      po.getJsonArray("lines").forEach(l -> openByVariant.merge(((JsonObject) l).getString("variantId"), 1L, Long::sum));
    }
    for (JsonObject v : variants) {
      assertEquals(openByVariant.getOrDefault(v.getString("_id"), 0L), v.getLong("openPurchaseOrders", 0L), () -> "open POs of " + v.encode());
    }
    for (JsonObject s : mongo.find("suppliers", scope).await()) {
      assertEquals(openBySupplier.getOrDefault(s.getString("_id"), 0L), s.getLong("openPurchaseOrders", 0L), () -> "open POs of " + s.encode());
    }
    Map<String, Long> variantsByProduct = new HashMap<>();
    variants.forEach(v -> variantsByProduct.merge(v.getString("productId"), 1L, Long::sum));
    for (JsonObject p : mongo.find("products", scope).await()) {
      assertEquals(variantsByProduct.getOrDefault(p.getString("_id"), 0L), p.getLong("variantCount", 0L), () -> "variants of " + p.encode());
    }
  }

  /** An undone unit leaves a location's value counters at 0 where they were absent; both mean the same. */
  private static JsonObject withoutZeroLocationCounters(JsonObject totals) {
    for (String map : List.of("at", "lowCountAt")) {
      JsonObject counters = withoutZeroCounters(totals.getJsonObject(map, new JsonObject()));
      totals.remove(map);
      if (!counters.isEmpty()) totals.put(map, counters);
    }
    for (String counter : List.of("atPrice", "atCost", "unitsWithoutCost", "costedVariants", "lowCount")) {
      if (totals.containsKey(counter) && Amounts.of(totals.getValue(counter)).signum() == 0) totals.remove(counter);
    }
    return totals;
  }

  /**
   * Rollup counters are undone by subtracting (so concurrent units' increments survive), which can leave a counter,
   * or a whole daily document, that a failed unit created at 0; a 0 counter and a missing one mean the same.
   */
  private static JsonObject withoutZeroCounters(JsonObject doc) {
    JsonObject out = new JsonObject();
    doc.forEach(e -> {
      Object value = e.getValue();
      if (value instanceof JsonObject nested) {
        JsonObject cleaned = withoutZeroCounters(nested);
        if (!cleaned.isEmpty()) out.put(e.getKey(), cleaned);
      } else if (!(value instanceof Number n && n.longValue() == 0)) {
        out.put(e.getKey(), value);
      }
    });
    return out;
  }

  /** Map entries removed and re-added by an undo come back in another order; the order carries no meaning. */
  private static JsonObject sortedKeys(JsonObject doc) {
    JsonObject out = new JsonObject();
    new java.util.TreeSet<>(doc.fieldNames()).forEach(k -> {
      Object value = doc.getValue(k);
      out.put(k, value instanceof JsonObject nested ? sortedKeys(nested) : value);
    });
    return out;
  }

  /**
   * Compare-and-set versions move on when a change is undone (so a repeated undo recognises itself) and shared
   * documents keep the ids of the undos applied to them: neither is data.
   */
  /**
   * Without what an undo moves forward by design (version, fence, recent write identities) and undo markers: the write
   * identity stays, since an undo hands the document back to the write it was made over.
   */
  private static JsonObject withoutBookkeeping(JsonObject doc) {
    JsonObject copy = doc.copy();
    copy.remove("version");
    copy.remove("pending");
    copy.remove("fence");
    copy.remove("recentWrites");
    return copy;
  }

  /** The tenant's daily rollups, each day's shards added up into one document per day. */
  private static List<JsonObject> dailyRollups(MongoClient mongo, JsonObject scope) {
    Map<String, JsonObject> byDay = new java.util.TreeMap<>();
    for (JsonObject shard : mongo.find("daily_stock", scope).await()) {
      JsonObject day = byDay.computeIfAbsent(shard.getString("day"), d -> new JsonObject().put("day", d)
        .put("in", new JsonObject()).put("out", new JsonObject()).put("sales", new JsonObject()));
      for (String direction : List.of("in", "out")) {
        shard.getJsonObject(direction, new JsonObject()).forEach(e -> day.getJsonObject(direction)
          .put(e.getKey(), day.getJsonObject(direction).getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
      }
      shard.getJsonObject("sales", new JsonObject()).forEach(e -> {
        assertFalse(day.getJsonObject("sales").containsKey(e.getKey()), () -> "a variant's sales in two shards: " + shard.encode());
        assertEquals(DashboardProjection.shardOf(e.getKey()), shard.getInteger("shard"), () -> "sales in the wrong shard: " + shard.encode());
        day.getJsonObject("sales").put(e.getKey(), e.getValue());
      });
    }
    return new java.util.ArrayList<>(byDay.values());
  }

  /** Committed units leave the write-ahead journal in batches a few milliseconds after they answered. */
  private static void assertJournalDrains(MongoClient mongo, JsonObject scope) {
    long deadline = System.currentTimeMillis() + 3_000;
    while (!mongo.find("unit_journal", scope).await().isEmpty() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertTrue(mongo.find("unit_journal", scope).await().isEmpty(), "a unit of this tenant is still in the write-ahead journal");
  }

  /** Everything a failed unit must leave untouched, for before/after comparison. */
  public static String snapshot(TestStack stack, String tenantId) {
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    StringBuilder out = new StringBuilder();
    for (String collection : List.of("variants", "stock_movements", "orders", "purchase_orders", "receipts", "adjustments", "daily_stock",
      "dashboard_totals", "products", "suppliers", "locations", "reservations", "transfers")) {
      List<JsonObject> docs = stack.mongo.findWithOptions(collection, scope,
        new io.vertx.ext.mongo.FindOptions().setSort(new JsonObject().put("_id", 1))).await();
      if (collection.equals("daily_stock")) {
        docs = docs.stream().map(Invariants::withoutZeroCounters).filter(d -> d.containsKey("in") || d.containsKey("out")
          || d.containsKey("sales")).toList();
      }
      if (collection.equals("dashboard_totals")) docs = docs.stream().map(d -> sortedKeys(withoutZeroLocationCounters(d.copy()))).toList();
      docs = docs.stream().map(Invariants::withoutBookkeeping).toList();
      if (collection.equals("dashboard_totals")) {
        docs = docs.stream().filter(d -> !Set.of("_id", "tenantId", "shard").containsAll(d.fieldNames())).toList();
      }
      out.append(collection).append('=').append(docs).append('\n');
    }
    return out.toString();
  }
}
