package io.stockroom.purchasing;

import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.purchasing.PurchasingCommands.DeliveredItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PurchasingDocumentTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant CREATED = Instant.parse("2026-11-30T08:00:00Z");

  private static JsonObject date(String text) {
    return new JsonObject().put("$date", text);
  }

  private static PurchaseOrder partly() {
    PurchaseOrder draft = new PurchaseOrder("po-1", "tenant-1", "supplier-1", "loc-1", PurchaseOrderStatus.DRAFT,
      List.of(PurchaseOrderLine.ordered("a", "JKT-A", 10, 2000)), null, null, "user-1", CREATED, null, Map.of());
    return draft.send(T0).confirm(T0).receive(List.of(new DeliveredItem("a", 4, 2100L)), T0).after();
  }

  @Test
  @DisplayName("a purchase order is stored with the keys and value types it always had: sums as Decimal128, no note or date as null")
  void storedLayout() {
    JsonObject line = new JsonObject().put("variantId", "a").put("sku", "JKT-A").put("quantity", 10L).put("unitCost", 2000L)
      .put("received", 4L).put("receivedValue", new BigDecimal(8400)).put("variance", new BigDecimal(400));
    JsonObject expected = new JsonObject().put("_id", "po-1").put("tenantId", "tenant-1").put("supplierId", "supplier-1")
      .put("locationId", "loc-1").put("status", "CONFIRMED").put("lines", new JsonArray().add(line))
      .put("orderedValue", new BigDecimal(20000)).put("receivedUnits", 4L).put("receivedValue", new BigDecimal(8400))
      .put("totalVariance", new BigDecimal(400)).put("expectedAt", null).put("note", null).put("createdBy", "user-1")
      .put("createdAt", date("2026-11-30T08:00:00Z")).put("sentAt", date("2026-12-01T00:00:00Z"))
      .put("confirmedAt", date("2026-12-01T00:00:00Z"));
    assertEquals(expected, PurchaseOrderRepository.toDocument(partly()));
  }

  @Test
  @DisplayName("an order stored before locations and delivery values reads with the default location and zero values")
  void oldDocument() {
    JsonObject old = new JsonObject().put("_id", "po-1").put("tenantId", "000000000000000000000001").put("supplierId", "s")
      .put("status", "DRAFT").put("lines", new JsonArray().add(new JsonObject().put("variantId", "a").put("sku", "A")
        .put("quantity", 3L).put("unitCost", 5L))).put("createdBy", "u").put("createdAt", date("2026-11-30T08:00:00Z"));
    PurchaseOrder order = PurchaseOrderRepository.fromDocument(old);
    assertEquals(io.stockroom.location.Locations.defaultId("000000000000000000000001"), order.locationId());
    assertEquals(PurchaseOrderLine.ordered("a", "A", 3, 5), order.lines().get(0));
    assertEquals(Map.of(), order.reachedAt());
  }

  @Test
  @DisplayName("a receipt is stored with its lines' variances and values (lineVariance), and clients see it without its tenant, each line's total as variance")
  void receipt() {
    PurchaseOrder.Delivery delivery = partly().receive(List.of(new DeliveredItem("a", 1, null)), T0);
    Receipt receipt = new Receipt("r-1", "tenant-1", "po-1", "supplier-1", delivery, "loc-1", null, "user-2", T0);
    JsonObject line = new JsonObject().put("variantId", "a").put("sku", "JKT-A").put("quantity", 1L).put("orderedUnitCost", 2000L)
      .put("unitCost", 2000L).put("unitVariance", 0L).put("lineVariance", new BigDecimal(0)).put("value", new BigDecimal(2000));
    JsonObject stored = new JsonObject().put("_id", "r-1").put("tenantId", "tenant-1").put("purchaseOrderId", "po-1")
      .put("supplierId", "supplier-1").put("lines", new JsonArray().add(line)).put("locationId", "loc-1").put("totalQuantity", 1L)
      .put("totalValue", new BigDecimal(2000)).put("totalVariance", new BigDecimal(0)).put("note", null).put("createdBy", "user-2")
      .put("createdAt", date("2026-12-01T00:00:00Z"));
    assertEquals(stored, receipt.toDocument());
    JsonObject apiLine = line.copy().put("value", "2000");
    apiLine.remove("lineVariance");
    apiLine.put("variance", "0");  // the stored lineVariance is the line's variance in answers, as on purchase-order lines
    JsonObject api = new JsonObject().put("id", "r-1").put("purchaseOrderId", "po-1").put("supplierId", "supplier-1")
      .put("lines", new JsonArray().add(apiLine)).put("locationId", "loc-1")
      .put("totalQuantity", 1L).put("totalValue", "2000").put("totalVariance", "0").put("note", null).put("createdBy", "user-2")
      .put("createdAt", "2026-12-01T00:00:00.000Z");
    assertEquals(api, receipt.toApi());
    assertEquals(api, RecordCodec.fromDocument(Receipt.Document.class, stored).toApi());
  }
}
