package io.stockroom.inventory;

import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inventory's stored documents as records: their layout, their defaults for older documents, and their rules. */
class VariantRecordsTest {
  private static final String TENANT = "0123456789abcdef01234567";

  @Test
  @DisplayName("a new variant is stored with the keys it always had: counts at zero, no day yet (lastDay stored as null), "
    + "updatedAt its creation, the search keys of its SKU")
  void newVariantLayout() {
    JsonObject doc = Variants.newVariant(TENANT, "p1", "SKU-1", new JsonObject().put("size", "M"), 1_500L, 3L);
    assertEquals(Set.of("_id", "tenantId", "productId", "sku", "attributes", "price", "reorderLevel", "stock", "incoming",
      "openPurchaseOrders", "movements", "version", "createdAt", "updatedAt", "days", "lastDay", "salesCap", "skuKeys"), doc.fieldNames());
    assertEquals(new JsonArray(List.of("s", "sk", "sku", "sku-", "sku-1")), doc.getJsonArray("skuKeys"));
    assertEquals(doc.getJsonObject("createdAt"), doc.getJsonObject("updatedAt"));
    assertTrue(doc.containsKey("lastDay"));
    assertNull(doc.getValue("lastDay"));
    assertEquals(new JsonArray(), doc.getJsonArray("days"));
    assertEquals(0L, doc.getLong("stock"));
    assertTrue(doc.getJsonObject("createdAt").containsKey("$date"));
  }

  @Test
  @DisplayName("a variant written before locations existed holds its stock and incoming units at the default location")
  void legacyVariantLevels() {
    Variant legacy = Variant.of(new JsonObject().put("_id", "v1").put("tenantId", TENANT).put("stock", 7L).put("incoming", 2L)
      .put("reorderLevel", 10L));
    assertEquals(Map.of(TENANT, new Level(7, 0, 0, 0, 0, 0, 2)), legacy.levels());
    assertEquals(7, legacy.totalAvailable());
    assertEquals(10 - (7 + 2), legacy.shortfall());
    assertTrue(legacy.isLow());
    assertEquals(Map.of(), Variant.of(new JsonObject().put("tenantId", TENANT)).levels());
  }

  @Test
  @DisplayName("available is on hand less every unavailable state; a location's own reorder level makes it low there")
  void levelsAndLowAt() {
    Level level = new Level(10, 2, 1, 1, 1, 4, 3);
    assertEquals(5, level.available());
    assertEquals(Level.EMPTY, Level.of(null));
    assertEquals(level, Level.of(level.toDocument()));
    assertEquals(new Level(10, 0, 0, 0, 0, 0, 0), Level.of(new JsonObject().put("onHand", 10)), "missing counts read as zero");
    JsonObject api = level.toApi("l1");
    assertEquals(new JsonObject().put("locationId", "l1").put("stock", 10L).put("available", 5L).put("reserved", 2L)
      .put("unavailable", new JsonObject().put("damaged", 1L).put("qualityControl", 1L).put("safetyStock", 1L))
      .put("inTransit", 4L).put("incoming", 7L), api);
    Variant variant = Variant.of(new JsonObject().put("tenantId", TENANT).put("stock", 10L)
      .put("levels", new JsonObject().put("l1", level.toDocument()))
      .put("locationReorderLevels", new JsonObject().put("l1", 12).put("l2", 0)));
    assertEquals(12 - (5 + 3 + 4), variant.shortfallAt("l1"));
    assertEquals(List.of("l1", "l2"), variant.lowAt(), "l2 holds nothing against its level of 0");
    assertNull(variant.shortfallAt("l3"));
  }

  @Test
  @DisplayName("a movement keeps its always-present keys even when null, and reads back as written")
  void movementLayout() {
    Movement movement = new Movement("m1", TENANT, "v1", "SKU-1", MovementType.SALE, TENANT, "available", null, 2L, -2L, 5L, 5L,
      3L, SourceKind.ORDER.source("o1"), "order:o1:v1", "u1", null, "2026-01-31", new Movement.Sold(2, BigInteger.valueOf(300)),
      java.time.Instant.parse("2026-01-31T10:00:00.123Z"), "unit-1", new StockEvents.Key(StockEvents.Type.ORDER_PLACED, "o1"), null);
    JsonObject doc = movement.toDocument();
    assertTrue(doc.containsKey("to") && doc.getValue("to") == null);
    assertTrue(doc.containsKey("reason") && doc.getValue("reason") == null);
    assertFalse(doc.containsKey("lowStock"));
    assertEquals(new JsonObject().put("kind", "ORDER").put("id", "o1"), doc.getJsonObject("source"));
    assertEquals(new JsonObject().put("type", "ORDER_PLACED").put("sourceId", "o1"), doc.getJsonObject("event"));
    assertEquals(Amounts.stored(BigInteger.valueOf(300)), doc.getJsonObject("sold").getValue("r"));
    assertEquals(movement, Movement.of(doc));
    assertEquals(movement.event(), StockEvents.Key.ofMovement(doc));
  }

  @Test
  @DisplayName("a movement's day bucket adds its flow and its sales; days older than the kept window go")
  void dayBuckets() {
    VariantFigures.Day day = VariantFigures.Day.empty("2026-01-31").withFlow(MovementType.SALE, -2)
      .withFlow(MovementType.RESERVATION, -5).withSold(2, BigInteger.valueOf(300));
    assertEquals(Map.of("SALE", 2L), day.o());
    assertEquals(Map.of(), day.i());
    assertEquals(new JsonObject().put("d", "2026-01-31").put("i", new JsonObject()).put("o", new JsonObject().put("SALE", 2L))
      .put("u", 2L).put("r", Amounts.stored(BigInteger.valueOf(300))), day.toDocument());
    VariantFigures.DayFields fields = VariantFigures.dayFieldsOf(List.of(VariantFigures.Day.empty("2025-12-01").withSold(9, BigInteger.TEN),
      day));
    assertEquals(List.of(day), fields.days());
    assertEquals("2026-01-31", fields.lastDay());
    assertEquals(2, fields.salesCap());
    JsonObject none = VariantFigures.dayFieldsOf(List.of()).toDocument();
    assertTrue(none.containsKey(VariantFigures.LAST_DAY) && none.getValue(VariantFigures.LAST_DAY) == null);
  }

  @Test
  @DisplayName("pending figures add each write's difference in worth; nothing pending clears both fields")
  void pendingFigures() {
    Variant before = Variant.of(new JsonObject().put("tenantId", TENANT).put("price", 100L).put("stock", 0L));
    Variant after = Variant.of(new JsonObject().put("tenantId", TENANT).put("price", 100L).put("stock", 3L)
      .put("levels", new JsonObject().put(TENANT, new Level(3, 0, 0, 0, 0, 0, 0).toDocument())));
    VariantFigures.Pending pending = VariantFigures.pendingAfter(before, after, null);
    assertEquals(Map.of("p", BigInteger.valueOf(300), "n", BigInteger.valueOf(3)), pending.w());
    assertEquals(Map.of(TENANT, Map.of("p", BigInteger.valueOf(300), "n", BigInteger.valueOf(3))), pending.at());
    JsonObject fields = pending.toFields();
    assertEquals(true, fields.getBoolean(VariantFigures.PENDING_FLAG));
    assertEquals(Amounts.stored(BigInteger.valueOf(300)), fields.getJsonObject(VariantFigures.PENDING).getJsonObject("w").getValue("p"));
    JsonObject cleared = VariantFigures.pendingAfter(after, after, null).toFields();
    assertEquals(Set.of(VariantFigures.PENDING, VariantFigures.PENDING_FLAG), cleared.fieldNames());
    assertNull(cleared.getValue(VariantFigures.PENDING));
  }
}
