package io.stockroom.dashboard;

import io.stockroom.inventory.MovementType;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardRecordsTest {

  @Test
  @DisplayName("the inventory value: amounts as digits, atCost null while no variant has a cost, a location's with the tenant's count")
  void inventoryValue() {
    JsonObject worth = new JsonObject().put("p", new BigDecimal(1500)).put("c", new BigDecimal(0)).put("k", new BigDecimal(0))
      .put("n", new BigDecimal(3));
    DashboardFigures.Snapshot snapshot = new DashboardFigures.Snapshot(worth,
      Map.of("L1", new JsonObject().put("p", new BigDecimal(100)).put("c", new BigDecimal(40)).put("n", new BigDecimal(1))), Map.of());
    JsonObject tenant = RecordCodec.toApi(DashboardFigures.worth(snapshot, null).value("EUR"));
    assertEquals(new JsonObject().put("atPrice", "1500").putNull("atCost").put("unitsWithoutCost", "3").put("currency", "EUR"), tenant);
    DashboardFigures.Worth costed = new DashboardFigures.Worth(BigInteger.TEN, BigInteger.TWO, 1, null);
    assertEquals(BigInteger.ZERO, costed.n(), "an absent amount is zero");
    JsonObject atL1 = RecordCodec.toApi(DashboardFigures.worth(snapshot, "L1").value("EUR"));
    assertTrue(atL1.containsKey("atCost"));
    assertNull(atL1.getValue("atCost"), "no variant of the tenant has a cost");
    assertEquals("100", atL1.getString("atPrice"));
    assertEquals(new JsonObject().put("atPrice", "0").putNull("atCost").put("unitsWithoutCost", "0").put("currency", "EUR"),
      RecordCodec.toApi(DashboardFigures.worth(snapshot, "L2").value("EUR")));
  }

  @Test
  @DisplayName("the trend: one entry per day with every flow type, zero when none")
  void trend() {
    JsonObject flows = new JsonObject().put("i", new JsonObject().put("PURCHASE", 5L)).put("o", new JsonObject());
    DashboardFigures.Snapshot snapshot = new DashboardFigures.Snapshot(new JsonObject(), Map.of(), Map.of("2026-01-01", flows));
    JsonArray trend = RecordCodec.toApi(new Trend(DashboardFigures.trend(snapshot))).getJsonArray("trend");
    JsonObject day = trend.getJsonObject(0);
    assertEquals("2026-01-01", day.getString("date"));
    assertEquals(5L, day.getJsonObject("in").getLong("PURCHASE"));
    for (MovementType type : MovementType.FLOWS) assertEquals(0L, day.getJsonObject("out").getLong(type.name()));
  }

  private record Trend(List<DashboardFigures.TrendDay> trend) {
  }

  @Test
  @DisplayName("best sellers: most units first, then revenue, then SKU")
  void bestFirst() {
    List<DashboardFigures.Seller> sellers = new ArrayList<>(List.of(
      new DashboardFigures.Seller("v1", "B", "p", 3, BigInteger.TEN),
      new DashboardFigures.Seller("v2", "A", "p", 3, BigInteger.TEN),
      new DashboardFigures.Seller("v3", "C", "p", 3, new BigInteger("99999999999999999999")),
      new DashboardFigures.Seller("v4", "D", "p", 7, BigInteger.ONE)));
    sellers.sort(DashboardFigures.BEST_FIRST);
    assertEquals(List.of("v4", "v3", "v2", "v1"), sellers.stream().map(DashboardFigures.Seller::variantId).toList());
  }

  @Test
  @DisplayName("the answer: the location and product names shown as null when there are none, revenue as digits, dates as text")
  void answer() {
    DashboardService.Answer answer = new DashboardService.Answer(null,
      new DashboardFigures.InventoryValue(BigInteger.ONE, null, BigInteger.ZERO, "EUR"),
      List.of(new DashboardService.LowRow("v1", "S", "p1", null, 1, 1, 0, 5, 4)), 1,
      List.of(DashboardService.TopSeller.named(new DashboardFigures.Seller("v1", "S", "p1", 2, BigInteger.valueOf(300)), Map.of("p1", "Shirt"))),
      List.of(), new DashboardService.Windows(30, 7), "Europe/Paris", Instant.parse("2026-01-02T03:04:05Z"));
    JsonObject api = RecordCodec.toApi(answer);
    assertTrue(api.containsKey("locationId"));
    assertNull(api.getValue("locationId"));
    assertTrue(api.getJsonArray("lowStock").getJsonObject(0).containsKey("productName"));
    assertEquals(new JsonObject().put("variantId", "v1").put("sku", "S").put("productId", "p1").put("productName", "Shirt")
      .put("unitsSold", 2L).put("revenue", "300"), api.getJsonArray("topSellers").getJsonObject(0));
    assertEquals(new JsonObject().put("topSellersDays", 30).put("trendDays", 7), api.getJsonObject("windows"));
    assertEquals("2026-01-02T03:04:05.000Z", api.getString("generatedAt"));
    assertEquals(1L, api.getLong("lowStockTotal"));
  }

  @Test
  @DisplayName("the projection's documents: totals and days keep their layout and decode back")
  void documents() {
    JsonObject totals = new JsonObject().put("_id", "t1").put("tenantId", "t1").put("w", new JsonObject()).put("at", new JsonObject())
      .put("epoch", 4L).put("pass", "u1").put("version", 9L).put("fence", 2L);
    DashboardTotals.Totals read = DashboardTotals.Totals.of(totals);
    assertEquals(4L, read.epoch());
    assertEquals(9L, read.version());
    assertTrue(DashboardTotals.Totals.samePass(read, DashboardTotals.Totals.of(totals.copy().put("version", 10L))));
    assertTrue(!DashboardTotals.Totals.samePass(read, DashboardTotals.Totals.of(totals.copy().put("epoch", 5L))));
    assertTrue(DashboardTotals.Totals.samePass(null, null));
    assertEquals(0L, DashboardTotals.Totals.of(new JsonObject()).epoch(), "no epoch yet: 0");
    JsonObject day = new JsonObject().put("_id", "t1:2026-01-01").put("tenantId", "t1").put("day", "2026-01-01")
      .put("i", new JsonObject().put("SALE", 1L)).put("o", new JsonObject()).put("version", 0L);
    assertEquals(day, io.stockroom.platform.mongo.RecordCodec.toDocument(DashboardTotals.Day.of(day)));
  }
}
