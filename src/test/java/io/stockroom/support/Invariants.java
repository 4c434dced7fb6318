package io.stockroom.support;

import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashMap;
import java.util.HashSet;
import java.time.Instant;
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
    assertRollupsMatchLedger(api, mongo, session);
  }

  /**
   * Each variant's day buckets as the ledger says, recomputed here: units in and out per day and movement type, and
   * units sold net of returns with their revenue at the order lines' prices; {@code salesCap} their positive sales.
   * Then the dashboard's trend and top sellers against the same recomputation.
   */
  private static void assertRollupsMatchLedger(Api api, MongoClient mongo, Session session) {
    String tenantId = session.tenantId();
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    Map<String, JsonObject> ordersById = new HashMap<>();
    mongo.find("orders", scope).await().forEach(o -> ordersById.put(o.getString("_id"), o));
    Map<String, Map<String, JsonObject>> ledgerDays = new HashMap<>();
    for (JsonObject m : mongo.find("stock_movements", scope).await()) {
      JsonObject bucket = ledgerDays.computeIfAbsent(m.getString("variantId"), v -> new java.util.TreeMap<>())
        .computeIfAbsent(m.getString("day"), d -> new JsonObject().put("in", new JsonObject()).put("out", new JsonObject())
          .put("u", 0L).put("r", BigInteger.ZERO.toString()));
      long q = m.getLong("quantity");
      if (List.of("PURCHASE", "SALE", "ADJUSTMENT", "RETURN").contains(m.getString("type")) && q != 0) {
        JsonObject direction = bucket.getJsonObject(q > 0 ? "in" : "out");
        direction.put(m.getString("type"), direction.getLong(m.getString("type"), 0L) + Math.abs(q));
      }
      JsonObject source = m.getJsonObject("source");
      String orderId = switch (source.getString("kind")) {
        case "ORDER", "ORDER_CANCELLATION" -> source.getString("id");
        case "ORDER_RETURN" -> source.getString("orderId");
        default -> null;
      };
      if (orderId == null || !List.of("SALE", "RETURN").contains(m.getString("type"))) continue;
      long sold = -q;
      long unitPrice = ordersById.get(orderId).getJsonArray("lines").stream().map(l -> (JsonObject) l)
        .filter(l -> l.getString("variantId").equals(m.getString("variantId"))).findFirst().orElseThrow().getLong("unitPrice");
      bucket.put("u", bucket.getLong("u") + sold)
        .put("r", new BigInteger(bucket.getString("r")).add(BigInteger.valueOf(unitPrice).multiply(BigInteger.valueOf(sold))).toString());
    }
    List<JsonObject> variants = mongo.find("variants", scope).await();
    for (JsonObject v : variants) {
      Map<String, JsonObject> expected = ledgerDays.getOrDefault(v.getString("_id"), Map.of());
      JsonArray stored = v.getJsonArray("days", new JsonArray());
      long cap = 0;
      Set<String> storedDays = new HashSet<>();
      for (Object o : stored) {
        JsonObject day = (JsonObject) o;
        storedDays.add(day.getString("d"));
        cap += Math.max(0, day.getLong("u", 0L));
        JsonObject want = expected.get(day.getString("d"));
        assertNotNull(want, () -> "a day bucket without movements: " + day.encode() + " of " + v.getString("sku"));
        for (String type : List.of("PURCHASE", "SALE", "ADJUSTMENT", "RETURN")) {
          assertEquals(want.getJsonObject("in").getLong(type, 0L), day.getJsonObject("i").getLong(type, 0L), () -> "units in of " + day.encode());
          assertEquals(want.getJsonObject("out").getLong(type, 0L), day.getJsonObject("o").getLong(type, 0L), () -> "units out of " + day.encode());
        }
        assertEquals(want.getLong("u"), day.getLong("u"), () -> "units sold on " + day.encode() + " of " + v.getString("sku"));
        assertEquals(new BigInteger(want.getString("r")), Amounts.of(day.getValue("r")), () -> "revenue on " + day.encode());
      }
      String lastDay = v.getString("lastDay");
      expected.keySet().stream().filter(day -> lastDay != null && java.time.LocalDate.parse(day)
          .isAfter(java.time.LocalDate.parse(lastDay).minusDays(31)))
        .forEach(day -> assertTrue(storedDays.contains(day), () -> "no bucket for " + day + " of " + v.encode()));
      assertEquals(cap, v.getLong("salesCap", 0L), () -> "salesCap of " + v.encode());
    }
    Res dashboard = api.get("/api/v1/dashboard?trendDays=31", session.token());
    assertEquals(200, dashboard.status(), dashboard::toString);
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of(dashboard.json().getString("timezone")));
    for (Object o : dashboard.json().getJsonArray("movementTrend")) {
      JsonObject day = (JsonObject) o;
      JsonObject in = new JsonObject();
      JsonObject out = new JsonObject();
      ledgerDays.values().forEach(byDay -> {
        JsonObject bucket = byDay.get(day.getString("date"));
        if (bucket == null) return;
        bucket.getJsonObject("in").forEach(e -> in.put(e.getKey(), in.getLong(e.getKey(), 0L) + (Long) e.getValue()));
        bucket.getJsonObject("out").forEach(e -> out.put(e.getKey(), out.getLong(e.getKey(), 0L) + (Long) e.getValue()));
      });
      for (String type : List.of("PURCHASE", "SALE", "ADJUSTMENT", "RETURN")) {
        assertEquals(in.getLong(type, 0L), day.getJsonObject("in").getLong(type), () -> "trend in of " + day.encode());
        assertEquals(out.getLong(type, 0L), day.getJsonObject("out").getLong(type), () -> "trend out of " + day.encode());
      }
    }
    List<JsonObject> best = new java.util.ArrayList<>();
    String from = today.minusDays(29).toString();
    for (JsonObject v : variants) {
      long units = 0;
      BigInteger revenue = BigInteger.ZERO;
      for (Map.Entry<String, JsonObject> day : ledgerDays.getOrDefault(v.getString("_id"), Map.of()).entrySet()) {
        if (day.getKey().compareTo(from) < 0 || day.getKey().compareTo(today.toString()) > 0) continue;
        units += day.getValue().getLong("u");
        revenue = revenue.add(new BigInteger(day.getValue().getString("r")));
      }
      if (units > 0) best.add(new JsonObject().put("variantId", v.getString("_id")).put("unitsSold", units).put("revenue", revenue.toString())
        .put("sku", v.getString("sku")));
    }
    best.sort(java.util.Comparator.comparingLong((JsonObject r) -> -r.getLong("unitsSold"))
      .thenComparing((JsonObject r) -> new BigInteger(r.getString("revenue")), java.util.Comparator.reverseOrder())
      .thenComparing(r -> r.getString("sku")));
    List<JsonObject> top = best.subList(0, Math.min(5, best.size()));
    JsonArray shown = dashboard.json().getJsonArray("topSellers");
    assertEquals(top.size(), shown.size(), () -> "top sellers " + shown.encode() + ", expected " + top);
    for (int i = 0; i < top.size(); i++) {
      JsonObject want = top.get(i);
      JsonObject got = shown.getJsonObject(i);
      assertEquals(want.getString("variantId"), got.getString("variantId"), () -> "top sellers " + shown.encode() + ", expected " + top);
      assertEquals(want.getLong("unitsSold"), got.getLong("unitsSold"), () -> "top seller units " + got.encode());
      assertEquals(want.getString("revenue"), got.getString("revenue"), () -> "top seller revenue " + got.encode());
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
    Res dashboard = api.get("/api/v1/dashboard", session.token());
    assertEquals(200, dashboard.status(), dashboard::toString);
    JsonObject totals = dashboard.json().getJsonObject("inventoryValue");
    BigInteger atPrice = BigInteger.ZERO;
    BigInteger atCost = BigInteger.ZERO;
    long costed = 0;
    Set<String> low = new HashSet<>();
    for (JsonObject v : variants) {
      long stock = v.getLong("stock");
      atPrice = atPrice.add(BigInteger.valueOf(stock).multiply(BigInteger.valueOf(v.getLong("price"))));
      if (v.getLong("lastUnitCost") != null) {
        atCost = atCost.add(BigInteger.valueOf(stock - uncosted(v)).multiply(BigInteger.valueOf(v.getLong("lastUnitCost"))));
        costed++;
      }
      long shortfall = v.getLong("reorderLevel") - (available(v, tenantId) + v.getLong("incoming", 0L) + inTransit(v));
      if (shortfall >= 0) low.add(v.getString("_id"));
      assertEquals(shortfall >= 0, v.getBoolean("low"), () -> "stored low flag of " + v.encode());
      assertEquals(shortfall, v.getLong("shortfall"), () -> "stored shortfall of " + v.encode());
    }
    BigInteger expectedPrice = atPrice;
    BigInteger expectedCost = atCost;
    assertEquals(expectedPrice.toString(), totals.getString("atPrice"), () -> "dashboard atPrice " + totals.encode() + "; projection "
      + mongo.find("dashboard_totals", new JsonObject().put("tenantId", tenantId)).await() + "; pending " + variants.stream()
      .map(v -> v.getString("sku") + "=" + v.getValue("pending") + " by " + v.getValue("pendingBy")).toList());
    assertEquals(costed == 0 ? null : expectedCost.toString(), totals.getString("atCost"), () -> "dashboard atCost " + totals.encode());
    assertEquals(low.size(), dashboard.json().getLong("lowStockTotal"), () -> "dashboard lowStockTotal " + dashboard + ", low: " + low);
    assertPerLocationTotals(api, session, variants);
    for (JsonObject a : adjustments) {
      if (a.getString("movementId") != null) {
        assertTrue(sourceKeys.contains("adjustment:" + a.getString("_id")), () -> "adjustment without movement " + a.encode());
      }
    }
  }

  /** Each location's value and own low-stock count on the dashboard, and every variant's stored lowAt, match the variants. */
  private static void assertPerLocationTotals(Api api, Session session, List<JsonObject> variants) {
    String tenantId = session.tenantId();
    Map<String, BigInteger[]> value = new HashMap<>();
    Map<String, Set<String>> lowAt = new HashMap<>();
    for (JsonObject v : variants) {
      JsonObject levels = v.getJsonObject("levels", new JsonObject());
      long uncostedLeft = uncosted(v);
      for (String location : new java.util.TreeSet<>(levels.fieldNames())) {
        long onHand = levels.getJsonObject(location).getLong("onHand", 0L);
        BigInteger[] sums = value.computeIfAbsent(location, l -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
        sums[0] = sums[0].add(BigInteger.valueOf(onHand).multiply(BigInteger.valueOf(v.getLong("price"))));
        // units without a cost are attributed to the locations in id order
        long without = v.getLong("lastUnitCost") == null ? onHand : Math.min(onHand, uncostedLeft);
        uncostedLeft -= Math.min(onHand, uncostedLeft);
        if (v.getLong("lastUnitCost") != null) sums[1] = sums[1].add(BigInteger.valueOf(onHand - without).multiply(BigInteger.valueOf(v.getLong("lastUnitCost"))));
        sums[2] = sums[2].add(BigInteger.valueOf(without));
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
    Set<String> locations = new HashSet<>(value.keySet());
    locations.addAll(lowAt.keySet());
    for (String location : locations) {
      Res atLocation = api.get("/api/v1/dashboard?locationId=" + location, session.token());
      assertEquals(200, atLocation.status(), atLocation::toString);
      JsonObject shown = atLocation.json().getJsonObject("inventoryValue");
      BigInteger[] expected = value.getOrDefault(location, new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
      assertEquals(expected[0].toString(), shown.getString("atPrice"), () -> "value at " + location + ": " + atLocation);
      if (shown.getString("atCost") != null) assertEquals(expected[1].toString(), shown.getString("atCost"), () -> "cost at " + location + ": " + atLocation);
      assertEquals(expected[2].toString(), shown.getString("unitsWithoutCost"), () -> "units without cost at " + location + ": " + atLocation);
      assertEquals(lowAt.getOrDefault(location, Set.of()).size(), atLocation.json().getLong("lowStockTotal"),
        () -> "low stock count at " + location + ": " + atLocation);
    }
  }

  /** Units on hand without a known cost, as the variant stores them (all of its stock while it never had a cost). */
  private static long uncosted(JsonObject variant) {
    long stock = variant.getLong("stock");
    if (variant.getLong("lastUnitCost") == null) return stock;
    return Math.max(0, Math.min(variant.getLong("uncosted", 0L), stock));
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
    copy.remove("pending");  // the variant's figures not yet in the dashboard's projection, which takes them at any time
    copy.remove("figuresPending");
    copy.remove("pendingBy");
    copy.remove("writtenBy");  // the projector's own writes of the variant (taking its pending figures) carry their identity
    copy.remove("fence");
    copy.remove("recentWrites");
    return copy;
  }

  /**
   * Waits for the tenant's journal to empty: committed units leave it in batches a few milliseconds after they
   * answered, the dashboard's projector may have a pass in flight at any moment, and a unit left to recovery (its
   * lease no longer renewed) is recovered within a few seconds of its lease's expiry.
   */
  private static void assertJournalDrains(MongoClient mongo, JsonObject scope) {
    long started = System.currentTimeMillis();
    List<JsonObject> left = mongo.find("unit_journal", scope).await();
    while (!left.isEmpty()) {
      long leasesEnd = left.stream().filter(doc -> doc.containsKey("leaseUntil"))
        .mapToLong(doc -> Instant.parse(doc.getJsonObject("leaseUntil").getString("$date")).toEpochMilli()).max().orElse(0L);
      long deadline = Math.min(started + 60_000, Math.max(started + 20_000, leasesEnd + RECOVERY_ALLOWANCE_MS));
      if (System.currentTimeMillis() >= deadline) break;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = mongo.find("unit_journal", scope).await();
    }
    List<JsonObject> stuck = left;
    assertTrue(stuck.isEmpty(), () -> "a unit of this tenant is still in the write-ahead journal: " + stuck);
  }

  /** How long after an entry's lease expired its recovery may take: a few recovery sweeps (a third of a lease each). */
  private static final long RECOVERY_ALLOWANCE_MS = 8_000;

  /** Everything a failed unit must leave untouched, for before/after comparison. */
  public static final List<String> SNAPSHOT_COLLECTIONS = List.of("variants", "stock_movements", "orders", "purchase_orders",
    "receipts", "adjustments", "products", "suppliers", "locations", "reservations", "transfers");

  public static String snapshot(TestStack stack, String tenantId) {
    return snapshot(stack, tenantId, SNAPSHOT_COLLECTIONS);
  }

  /** The tenant's documents in each collection, for before/after comparison (without their bookkeeping fields). */
  public static String snapshot(TestStack stack, String tenantId, List<String> collections) {
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    StringBuilder out = new StringBuilder();
    for (String collection : collections) {
      List<JsonObject> docs = stack.mongo.findWithOptions(collection, scope,
        new io.vertx.ext.mongo.FindOptions().setSort(new JsonObject().put("_id", 1))).await();
      docs = docs.stream().map(Invariants::withoutBookkeeping).toList();
      out.append(collection).append('=').append(docs).append('\n');
    }
    return out.toString();
  }
}
