package io.stockroom;

import io.stockroom.dashboard.DashboardContract;
import io.stockroom.inventory.InventoryContract;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.redis.RedisConnections;

import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.stockroom.support.Api.line;
import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard against expectations computed independently, from the public API only (variants, purchase orders,
 * receipts, orders and the raw movement ledger), never from the rollups the dashboard reads.
 */
class DashboardApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private String purchaseOrder(Session s, String supplier, JsonObject... lines) {
    JsonArray items = new JsonArray();
    for (JsonObject l : lines) items.add(l);
    Res res = api.post("/api/v1/purchase-orders", s.token(), new JsonObject().put("supplierId", supplier).put("items", items));
    assertEquals(201, res.status(), res::toString);
    return res.id();
  }

  private void transition(Session s, String po, String... steps) {
    for (String step : steps) assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/" + step, s.token(), null).status());
  }

  private Res receive(Session s, String po, String variantId, long quantity, long unitCost) {
    Res res = api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", s.token(), new JsonObject().put("items",
      new JsonArray().add(line(variantId, quantity, unitCost))), Api.newKey()).await();
    assertEquals(201, res.status(), res::toString);
    return res;
  }

  /** Builds a tenant with every edge case the dashboard must get right. */
  private Session scenario(String name) {
    Session owner = api.signup(name);
    String shirt = api.createProduct(owner, name + " Shirt");
    String mug = api.createProduct(owner, name + " Mug");
    String a = createVariant(owner, shirt, "A", 1000, 5, 20);
    String b = createVariant(owner, shirt, "B", 500, 10, 8);
    String c = createVariant(owner, mug, "C", 200, 2, 5);
    String d = createVariant(owner, mug, "D", 300, 3, 2);
    String e = createVariant(owner, mug, "E", 50, 0, 0);
    String supplier = api.createSupplier(owner, "Supplier");

    String poA = purchaseOrder(owner, supplier, line(a, 10, 600));
    transition(owner, poA, "send", "confirm");
    receive(owner, poA, a, 4, 650);
    String poB = purchaseOrder(owner, supplier, line(b, 5, 300));
    transition(owner, poB, "send");
    String poD = purchaseOrder(owner, supplier, line(d, 10, 100));
    transition(owner, poD, "send", "confirm");
    receive(owner, poD, d, 1, 100);
    transition(owner, poD, "close");
    String poC = purchaseOrder(owner, supplier, line(c, 4, 50));
    transition(owner, poC, "send", "cancel");
    purchaseOrder(owner, supplier, line(c, 9, 50));

    String o1 = api.placeOrder(owner, Api.order(a, 3, b, 2)).id();
    api.placeOrder(owner, Api.order(c, 4));
    assertEquals(201, api.send(HttpMethod.POST, "/api/v1/orders/" + o1 + "/returns", owner.token(),
      Api.order(a, 1).put("reason", "too big"), Api.newKey()).await().status());
    String o3 = api.placeOrder(owner, Api.order(b, 1)).id();
    assertEquals(200, api.post("/api/v1/orders/" + o3 + "/cancel", owner.token(), null).status());
    api.placeOrder(owner, Api.order(a, 1, c, 1));
    api.send(HttpMethod.POST, "/api/v1/variants/" + d + "/adjustments", owner.token(), new JsonObject().put("quantity", 1).put("reason", "found"), null).await();
    api.send(HttpMethod.POST, "/api/v1/variants/" + a + "/adjustments", owner.token(), new JsonObject().put("quantity", -2).put("reason", "damaged"), null).await();
    api.patch("/api/v1/variants/" + e, owner.token(), new JsonObject().put("price", 75));
    return owner;
  }

  private JsonObject inventoryValue(Session s) {
    return api.get("/api/v1/dashboard", s.token()).json().getJsonObject("inventoryValue");
  }

  private String createVariant(Session s, String product, String sku, long price, long reorderLevel, long opening) {
    Res res = api.post("/api/v1/products/" + product + "/variants", s.token(), new JsonObject().put("sku", sku).put("price", price)
      .put("reorderLevel", reorderLevel).put("openingStock", opening));
    assertEquals(201, res.status(), res::toString);
    return res.id();
  }

  private List<JsonObject> all(Session s, String path) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      Res page = api.get(path + (path.contains("?") ? "&" : "?") + "limit=200" + (cursor == null ? "" : "&cursor=" + cursor), s.token());
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(i -> out.add((JsonObject) i));
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    return out;
  }

  private JsonObject expectedDashboard(Session s) {
    List<JsonObject> variants = all(s, "/api/v1/variants");
    Map<String, String> productNames = new HashMap<>();
    all(s, "/api/v1/products").forEach(p -> productNames.put(p.getString("id"), p.getString("name")));
    List<JsonObject> purchaseOrders = all(s, "/api/v1/purchase-orders");
    Map<String, Long> incoming = new HashMap<>();
    Map<String, long[]> lastCost = new HashMap<>();
    for (JsonObject po : purchaseOrders) {
      if (Set.of("SENT", "CONFIRMED").contains(po.getString("status"))) {
        po.getJsonArray("lines").forEach(l -> incoming.merge(((JsonObject) l).getString("variantId"),
          ((JsonObject) l).getLong("quantity") - ((JsonObject) l).getLong("received"), Long::sum));
      }
      for (Object r : api.get("/api/v1/purchase-orders/" + po.getString("id") + "/receipts", s.token()).items()) {
        JsonObject receipt = (JsonObject) r;
        long at = Instant.parse(receipt.getString("createdAt")).toEpochMilli();
        receipt.getJsonArray("lines").forEach(l -> lastCost.merge(((JsonObject) l).getString("variantId"),
          new long[] {at, ((JsonObject) l).getLong("unitCost")}, (x, y) -> y[0] >= x[0] ? y : x));
      }
    }
    Map<String, Long> uncosted = uncostedUnits(all(s, "/api/v1/stock-movements"));
    long atPrice = 0;
    long atCost = 0;
    long withoutCost = 0;
    boolean anyCost = false;
    JsonArray low = new JsonArray();
    Map<String, JsonObject> byId = new HashMap<>();
    for (JsonObject v : variants) {
      byId.put(v.getString("id"), v);
      long stock = v.getLong("stock");
      atPrice += stock * v.getLong("price");
      if (lastCost.containsKey(v.getString("id"))) {
        anyCost = true;
        long without = Math.min(stock, uncosted.getOrDefault(v.getString("id"), 0L));
        atCost += (stock - without) * lastCost.get(v.getString("id"))[1];
        withoutCost += without;
      } else {
        withoutCost += stock;
      }
      long in = incoming.getOrDefault(v.getString("id"), 0L);
      if (stock + in <= v.getLong("reorderLevel")) {
        low.add(new JsonObject().put("sku", v.getString("sku")).put("productName", productNames.get(v.getString("productId")))
          .put("stock", stock).put("incoming", in).put("reorderLevel", v.getLong("reorderLevel"))
          .put("shortfall", v.getLong("reorderLevel") - stock - in));
      }
    }

    Map<String, Long> orderLinePrice = new HashMap<>();
    all(s, "/api/v1/orders").forEach(o -> o.getJsonArray("lines").forEach(l ->
      orderLinePrice.put(o.getString("id") + ":" + ((JsonObject) l).getString("variantId"), ((JsonObject) l).getLong("unitPrice"))));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Map<String, long[]> sold = new HashMap<>();
    Map<String, JsonObject> trendByDay = new HashMap<>();
    for (JsonObject m : all(s, "/api/v1/stock-movements")) {
      LocalDate day = LocalDate.ofInstant(Instant.parse(m.getString("createdAt")), ZoneOffset.UTC);
      String type = m.getString("type");
      long quantity = m.getLong("quantity");
      JsonObject entry = trendByDay.computeIfAbsent(day.toString(), k -> new JsonObject().put("in", new JsonObject()).put("out", new JsonObject()));
      JsonObject side = entry.getJsonObject(quantity >= 0 ? "in" : "out");
      side.put(type, side.getLong(type, 0L) + Math.abs(quantity));
      if (!day.isBefore(today.minusDays(29)) && (type.equals("SALE") || type.equals("RETURN"))) {
        JsonObject source = m.getJsonObject("source");
        String orderId = source.getString("kind").equals("ORDER_RETURN") ? source.getString("orderId") : source.getString("id");
        long price = orderLinePrice.get(orderId + ":" + m.getString("variantId"));
        long units = -quantity;
        sold.merge(m.getString("variantId"), new long[] {units, units * price}, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
      }
    }
    List<JsonObject> sellers = new ArrayList<>();
    sold.forEach((id, t) -> {
      if (t[0] > 0) sellers.add(new JsonObject().put("sku", byId.get(id).getString("sku"))
        .put("productName", productNames.get(byId.get(id).getString("productId"))).put("unitsSold", t[0]).put("revenue", String.valueOf(t[1])));
    });
    sellers.sort(Comparator.comparingLong((JsonObject r) -> -r.getLong("unitsSold")).thenComparingLong(r -> -Long.parseLong(r.getString("revenue")))
      .thenComparing(r -> r.getString("sku")));
    JsonArray trend = new JsonArray();
    for (int i = 6; i >= 0; i--) {
      String day = today.minusDays(i).toString();
      JsonObject entry = trendByDay.getOrDefault(day, new JsonObject().put("in", new JsonObject()).put("out", new JsonObject()));
      JsonObject row = new JsonObject().put("date", day);
      for (String dir : List.of("in", "out")) {
        JsonObject counts = new JsonObject();
        for (String t : List.of("PURCHASE", "SALE", "ADJUSTMENT", "RETURN")) counts.put(t, entry.getJsonObject(dir).getLong(t, 0L));
        row.put(dir, counts);
      }
      trend.add(row);
    }
    return new JsonObject()
      .put("inventoryValue", new JsonObject().put("atPrice", String.valueOf(atPrice)).put("atCost", anyCost ? String.valueOf(atCost) : null)
        .put("unitsWithoutCost", String.valueOf(withoutCost)).put("currency", "EUR"))
      .put("lowStock", low)
      .put("topSellers", new JsonArray(sellers.subList(0, Math.min(5, sellers.size()))))
      .put("movementTrend", trend);
  }

  /**
   * Units on hand that came in without a cost, per variant, replayed from the ledger: a purchase receipt brings units
   * at a known cost, any other inflow (opening stock, adjustment, count, return) brings units without one, an outflow
   * takes the units without a cost first, a transfer changes neither.
   */
  private static Map<String, Long> uncostedUnits(List<JsonObject> movements) {
    Map<String, Long> uncosted = new HashMap<>();
    movements.stream().sorted(Comparator.comparingLong(m -> m.getLong("sequence"))).forEach(m -> {
      String type = m.getString("type");
      long quantity = m.getLong("quantity");
      long was = uncosted.getOrDefault(m.getString("variantId"), 0L);
      if (type.equals("TRANSFER")) return;
      long is = quantity > 0 && type.equals("PURCHASE") ? was : was + quantity;
      uncosted.put(m.getString("variantId"), Math.max(0, Math.min(is, m.getLong("stockAfter"))));
    });
    return uncosted;
  }

  private static JsonArray strip(JsonArray rows, String... keep) {
    JsonArray out = new JsonArray();
    for (Object o : rows) {
      JsonObject row = new JsonObject();
      for (String k : keep) row.put(k, ((JsonObject) o).getValue(k));
      out.add(row);
    }
    return out;
  }

  private static Set<JsonObject> asSet(JsonArray rows) {
    Set<JsonObject> set = new HashSet<>();
    rows.forEach(r -> set.add((JsonObject) r));
    return set;
  }

  @Test
  @DisplayName("top sellers stay exact when sales fall below the fifth best of the previous answer (its bound no longer holds)")
  void topSellersAfterSalesFall() {
    Session s = api.signup("Falling Sales Co");
    String product = api.createProduct(s, "F");
    List<String> orders = new java.util.ArrayList<>();
    for (int units = 6; units >= 1; units--) {
      String variant = api.createVariant(s, product, "F-" + units, 100, 50).getString("id");
      orders.add(api.placeOrder(s, Api.order(variant, units)).id());
    }
    JsonArray before = api.get("/api/v1/dashboard", s.token()).json().getJsonArray("topSellers");
    assertEquals(List.of("F-6", "F-5", "F-4", "F-3", "F-2"), before.stream().map(r -> ((JsonObject) r).getString("sku")).toList());
    // the order of two units is cancelled: the fifth best is now a variant of one unit, below the last answer's fifth
    assertEquals(200, api.post("/api/v1/orders/" + orders.get(4) + "/cancel", s.token(), null).status());
    JsonArray after = api.get("/api/v1/dashboard", s.token()).json().getJsonArray("topSellers");
    assertEquals(List.of("F-6", "F-5", "F-4", "F-3", "F-1"), after.stream().map(r -> ((JsonObject) r).getString("sku")).toList(), after::encode);
    Invariants.assertHold(stack, s);
  }

  @Test
  @DisplayName("every dashboard part equals an independent computation from the API, with returns, cancellations, partial, closed and cancelled POs and a second tenant")
  void dashboardMatchesIndependentComputation() {
    Session a = scenario("Dash A");
    Session b = scenario("Dash B");
    api.placeOrder(b, Api.order(api.get("/api/v1/variants?sku=A", b.token()).items().getJsonObject(0).getString("id"), 6)
      .put("note", "only in B"));
    for (Session s : List.of(a, b)) {
      Res res = api.get("/api/v1/dashboard", s.token());
      assertEquals(200, res.status(), res::toString);
      JsonObject actual = res.json();
      JsonObject expected = expectedDashboard(s);
      JsonObject value = actual.getJsonObject("inventoryValue");
      assertEquals(expected.getJsonObject("inventoryValue").getString("atPrice"), value.getString("atPrice"));
      assertEquals(expected.getJsonObject("inventoryValue").getString("atCost"), value.getString("atCost"));
      assertEquals(expected.getJsonObject("inventoryValue").getString("unitsWithoutCost"), value.getString("unitsWithoutCost"));
      assertEquals("EUR", value.getString("currency"));
      String[] lowKeys = {"sku", "productName", "stock", "incoming", "reorderLevel", "shortfall"};
      assertEquals(asSet(strip(expected.getJsonArray("lowStock"), lowKeys)), asSet(strip(actual.getJsonArray("lowStock"), lowKeys)));
      assertEquals(strip(expected.getJsonArray("topSellers"), "sku", "productName", "unitsSold", "revenue"),
        strip(actual.getJsonArray("topSellers"), "sku", "productName", "unitsSold", "revenue"));
      assertEquals(expected.getJsonArray("movementTrend"), actual.getJsonArray("movementTrend"));
      Invariants.assertHold(stack, s);
    }
    JsonObject dashA = api.get("/api/v1/dashboard", a.token()).json();
    assertEquals(Set.of("C", "E"), new HashSet<>(strip(dashA.getJsonArray("lowStock"), "sku").stream()
      .map(r -> ((JsonObject) r).getString("sku")).toList()),
      "C: 0 left, its only open PO is a DRAFT; E: 0 of 0; B (6 < 10) is covered by 5 incoming on a SENT order; D got 1 + 1");
    assertEquals("C", dashA.getJsonArray("topSellers").getJsonObject(0).getString("sku"));
    assertEquals(5, dashA.getJsonArray("topSellers").getJsonObject(0).getLong("unitsSold"));
    assertEquals(7, dashA.getJsonArray("movementTrend").size());
  }

  @Test
  @DisplayName("opening units that never had a cost stay out of the value at cost and are counted as units without cost, "
    + "also after a receipt with a cost for the same variant; sales take them first")
  void openingStockHasNoCost() {
    Session s = api.signup("Dash Uncosted");
    String product = api.createProduct(s, "Uncosted");
    String v = createVariant(s, product, "U-7", 2000, 0, 7);
    String w = createVariant(s, product, "U-0", 900, 0, 0);
    JsonObject value = inventoryValue(s);
    assertEquals("14000", value.getString("atPrice"));
    assertNull(value.getValue("atCost"));
    assertEquals("7", value.getString("unitsWithoutCost"));

    String supplier = api.createSupplier(s, "Uncosted Supplier");
    String po = purchaseOrder(s, supplier, line(v, 5, 1500), line(w, 2, 500));
    transition(s, po, "send", "confirm");
    receive(s, po, v, 3, 1500);
    receive(s, po, w, 2, 500);
    value = inventoryValue(s);
    assertEquals(String.valueOf(10 * 2000 + 2 * 900), value.getString("atPrice"));
    assertEquals(String.valueOf(3 * 1500 + 2 * 500), value.getString("atCost"), "the 7 opening units have no cost: not 10 × 15.00");
    assertEquals("7", value.getString("unitsWithoutCost"));

    api.placeOrder(s, Api.order(v, 5));
    value = inventoryValue(s);
    assertEquals(String.valueOf(3 * 1500 + 2 * 500), value.getString("atCost"), "the sale took 5 of the units without a cost");
    assertEquals("2", value.getString("unitsWithoutCost"));
    api.placeOrder(s, Api.order(v, 4));
    value = inventoryValue(s);
    assertEquals(String.valueOf(1500 + 2 * 500), value.getString("atCost"));
    assertEquals("0", value.getString("unitsWithoutCost"));
    Invariants.assertHold(stack, s);
  }

  @Test
  @DisplayName("units sold and brought back keep a cost: a cancelled order of a costed variant changes nothing; a return "
    + "comes back uncosted while uncosted units are still on hand (the sale took those first)")
  void broughtBackUnitsKeepTheirCost() {
    Session s = api.signup("Dash Brought Back");
    String product = api.createProduct(s, "Back");
    String costed = createVariant(s, product, "B-C", 100, 0, 0);
    String mixed = createVariant(s, product, "B-M", 100, 0, 5);
    String supplier = api.createSupplier(s, "Back Supplier");
    String po = purchaseOrder(s, supplier, line(costed, 10, 500), line(mixed, 5, 1000));
    transition(s, po, "send", "confirm");
    receive(s, po, costed, 10, 500);
    receive(s, po, mixed, 5, 1000);
    JsonObject value = inventoryValue(s);
    assertEquals(List.of(String.valueOf(10 * 500 + 5 * 1000), "5"), List.of(value.getString("atCost"), value.getString("unitsWithoutCost")));

    String sold = api.placeOrder(s, Api.order(costed, 3)).id();
    assertEquals(200, api.post("/api/v1/orders/" + sold + "/cancel", s.token(), null).status());
    String mixedSale = api.placeOrder(s, Api.order(mixed, 2)).id();
    assertEquals(201, api.post("/api/v1/orders/" + mixedSale + "/returns", s.token(), Api.order(mixed, 1).put("reason", "unwanted")).status());
    value = inventoryValue(s);
    assertEquals(String.valueOf(10 * 500 + 5 * 1000), value.getString("atCost"), "the cancelled units kept their cost: " + value);
    assertEquals("4", value.getString("unitsWithoutCost"), "5 opening units, 2 sold, 1 brought back: " + value);
    Invariants.assertHold(stack, s);
  }

  @Test
  @DisplayName("a tenant with no received goods has atCost null; trendDays is bounded")
  void emptyTenant() {
    Session s = api.signup("Dash Empty");
    JsonObject dash = api.get("/api/v1/dashboard?trendDays=3", s.token()).json();
    assertEquals("0", dash.getJsonObject("inventoryValue").getString("atPrice"));
    assertNull(dash.getJsonObject("inventoryValue").getValue("atCost"));
    assertEquals(3, dash.getJsonArray("movementTrend").size());
    assertEquals(0, dash.getJsonArray("lowStock").size());
    assertEquals(0, dash.getJsonArray("topSellers").size());
    assertProblem(api.get("/api/v1/dashboard?trendDays=0", s.token()), 400);
    assertProblem(api.get("/api/v1/dashboard?trendDays=32", s.token()), 400);
    assertProblem(api.get("/api/v1/dashboard", null), 401);
  }

  @Test
  @DisplayName("sales older than 30 days leave the top sellers; the trend shows older days; reads never write; stale buckets expire")
  void salesWindowExpires() {
    Session s = api.signup("Dash Window");
    String product = api.createProduct(s, "Window");
    String v = createVariant(s, product, "W", 100, 0, 100);
    String other = createVariant(s, product, "X", 100, 0, 100);
    String stale = createVariant(s, product, "Y", 100, 0, 0);
    api.placeOrder(s, Api.order(v, 2));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    fabricateSales(v, today.minusDays(29), 5);
    fabricateSales(other, today.minusDays(30), 40);
    fabricateSales(stale, today.minusDays(40), 50);

    JsonObject dash = readNeverWrites(s.tenantId(), () -> api.get("/api/v1/dashboard?trendDays=31", s.token()).json());
    JsonArray top = dash.getJsonArray("topSellers");
    assertEquals(1, top.size(), top::encode);
    assertEquals("W", top.getJsonObject(0).getString("sku"));
    assertEquals(7, top.getJsonObject(0).getLong("unitsSold"), "2 today + 5 from 29 days ago; 40 and 30 days ago are outside");
    assertEquals(String.valueOf(2 * 100 + 5 * 100), top.getJsonObject(0).getString("revenue"));
    JsonArray trend = dash.getJsonArray("movementTrend");
    assertEquals(today.minusDays(30).toString(), trend.getJsonObject(0).getString("date"));
    assertEquals(40, trend.getJsonObject(0).getJsonObject("out").getLong("SALE"));
    assertEquals(5, trend.getJsonObject(1).getJsonObject("out").getLong("SALE"));

    stack.vertx.eventBus().request(InventoryContract.EXPIRE_DAYS.address(), null).await();
    JsonObject expired = stack.mongo.findOne("variants", new JsonObject().put("_id", stale), null).await();
    assertEquals(0L, expired.getLong("salesCap"), expired::encode);
    assertEquals(0, expired.getJsonArray("days").size(), expired::encode);
    assertEquals(40L, stack.mongo.findOne("variants", new JsonObject().put("_id", other), null).await().getLong("salesCap"),
      "a day still in the trend's window stays");
    JsonObject again = api.get("/api/v1/dashboard?trendDays=31", s.token()).json();
    assertEquals(dash.getJsonArray("topSellers"), again.getJsonArray("topSellers"));
    assertEquals(dash.getJsonArray("movementTrend"), again.getJsonArray("movementTrend"));
    Invariants.assertLedgerAndTotalsHold(stack, s);
    JsonObject lastWeek = api.get("/api/v1/dashboard?topSellersDays=7", s.token()).json();
    assertEquals(7, lastWeek.getJsonObject("windows").getInteger("topSellersDays"));
    assertEquals(2, lastWeek.getJsonArray("topSellers").getJsonObject(0).getLong("unitsSold"), "only today's order is in the last 7 days");
    assertEquals("W", lastWeek.getJsonArray("topSellers").getJsonObject(0).getString("sku"));
    assertProblem(api.get("/api/v1/dashboard?topSellersDays=31", s.token()), 400);
  }

  /**
   * Answers {@code read}, after checking that the tenant's variants are stored the same before and after it. The jobs
   * that write variants on their own (the projector, every 250 ms, takes pending figures into the projection; the
   * expired-days sweep) are held off meanwhile by taking their turns, and the variants must first stay the same for
   * a second (a pass that took its turn before has ended), so that only the read could make a difference.
   */
  private <T> T readNeverWrites(String tenantId, java.util.function.Supplier<T> read) {
    Redis client = Redis.createClient(stack.vertx, RedisConnections.options(stack.settings));
    RedisAPI redis = RedisAPI.api(client);
    List<String> turns = List.of("turn:" + DashboardContract.PROJECT.unitName(), "turn:" + InventoryContract.EXPIRE_DAYS.unitName());
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    java.util.function.Supplier<String> variants = () -> stack.mongo.find("variants", scope).await().toString();
    try {
      for (String turn : turns) redis.set(List.of(turn, "held-by-test", "PX", "20000")).await();
      String[] last = {null};
      boolean[] quiet = {false};
      String before = Eventually.value(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(1), variants, now -> {
        quiet[0] = now.equals(last[0]);
        last[0] = now;
        return quiet[0];
      });
      assertTrue(quiet[0], "the variants kept changing with the jobs that write them held off");
      T answer = read.get();
      assertEquals(before, variants.get(), "a dashboard read never writes");
      return answer;
    } finally {
      redis.del(turns).await();
      client.close();
    }
  }

  /** History the API cannot backdate: the day bucket a sale on {@code day} would have left on the variant. */
  private void fabricateSales(String variantId, LocalDate day, long units) {
    JsonObject variant = stack.mongo.findOne("variants", new JsonObject().put("_id", variantId), null).await();
    List<JsonObject> days = new ArrayList<>();
    variant.getJsonArray("days").forEach(d -> days.add((JsonObject) d));
    days.add(VariantFigures.emptyDay(day.toString()).put("o", new JsonObject().put("SALE", units)).put("u", units)
      .put("r", Amounts.stored(BigInteger.valueOf(units * 100))));
    // the flows go to the variant's pending figures, as a unit's would, under a write identity of their own: a projector
    // pass that read the variant before guards its write with the identity it read, so it cannot take the pending
    // figures without these (it fails and the next pass takes them all)
    stack.mongo.updateCollection("variants", new JsonObject().put("_id", variantId), new JsonObject()
      .put("$set", VariantFigures.dayFields(days).put("pending.f." + day, new JsonObject().put("i", new JsonObject())
        .put("o", new JsonObject().put("SALE", units))).put("figuresPending", true)
        .put("writtenBy", "fabricated-" + java.util.UUID.randomUUID() + ":0"))
      .put("$inc", new JsonObject().put("version", 1L))).await();
  }
}
