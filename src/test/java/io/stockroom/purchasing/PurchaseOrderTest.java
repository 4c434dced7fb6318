package io.stockroom.purchasing;

import io.stockroom.platform.bus.ServiceError;
import io.stockroom.purchasing.PurchaseOrder.Delivery;
import io.stockroom.purchasing.PurchasingCommands.DeliveredItem;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PurchaseOrderTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private static PurchaseOrder confirmed() {
    PurchaseOrder draft = PurchaseOrder.draft("tenant-1", "supplier-1", "tenant-1", List.of(
      PurchaseOrderLine.ordered("a", "JKT-A", 10, 2000), PurchaseOrderLine.ordered("b", "JKT-B", 6, 3000)), null, null, "user-1");
    return draft.send(T0).confirm(T0.plusSeconds(60));
  }

  @Test
  @DisplayName("a delivery receives each item at its own unit cost or the ordered one, and records the price variance")
  void partialDeliveryWithVariance() {
    Delivery delivery = confirmed().receive(List.of(new DeliveredItem("a", 4, 2100L), new DeliveredItem("b", 2, null)), T0);
    assertEquals(List.of(new ReceiptLine("a", "JKT-A", 4, 2000, 2100), new ReceiptLine("b", "JKT-B", 2, 3000, 3000)), delivery.lines());
    assertEquals(6, delivery.totalQuantity());
    assertEquals(BigInteger.valueOf(4 * 2100 + 2 * 3000), delivery.totalValue());
    assertEquals(BigInteger.valueOf(400), delivery.totalVariance());
    PurchaseOrder after = delivery.after();
    assertEquals(PurchaseOrderStatus.CONFIRMED, after.status(), "partly delivered: still confirmed");
    assertEquals(6, after.receivedUnits());
    assertEquals(BigInteger.valueOf(400), after.lines().get(0).variance());
    assertEquals(6, after.lines().get(0).outstanding());
  }

  @Test
  @DisplayName("the delivery of the last outstanding units makes the order RECEIVED, stamped when, with the variances summed")
  void completingDelivery() {
    PurchaseOrder partly = confirmed().receive(List.of(new DeliveredItem("a", 4, 2100L)), T0).after();
    Delivery rest = partly.receive(List.of(new DeliveredItem("a", 6, 1900L), new DeliveredItem("b", 6, null)), T0.plusSeconds(5));
    assertEquals(PurchaseOrderStatus.RECEIVED, rest.after().status());
    assertEquals(true, rest.completes());
    assertEquals(T0.plusSeconds(5), rest.after().reachedAt().get(PurchaseOrderStatus.RECEIVED));
    assertEquals(BigInteger.valueOf(400 - 600), rest.after().totalVariance());
    assertEquals(BigInteger.valueOf(4 * 2100 + 6 * 1900 + 6 * 3000), rest.after().receivedValue());
  }

  @Test
  @DisplayName("more than is outstanding on any line receives nothing, and the refusal lists the over-delivered lines")
  void overDelivery() {
    PurchaseOrder partly = confirmed().receive(List.of(new DeliveredItem("a", 4, null)), T0).after();
    ServiceError refused = assertThrows(ServiceError.class,
      () -> partly.receive(List.of(new DeliveredItem("b", 1, null), new DeliveredItem("a", 7, null)), T0));
    assertEquals(409, refused.code().status());
    assertEquals(4, partly.receivedUnits(), "the order it was asked of is unchanged");
  }

  @Test
  @DisplayName("goods arrive only on a CONFIRMED order and only for its own variants")
  void receivingRefusals() {
    PurchaseOrder sent = PurchaseOrder.draft("t", "s", "t", List.of(PurchaseOrderLine.ordered("a", "A", 1, 1)), null, null, "u").send(T0);
    assertEquals(409, assertThrows(ServiceError.class, () -> sent.receive(List.of(new DeliveredItem("a", 1, null)), T0)).code().status());
    assertEquals(409, assertThrows(ServiceError.class, () -> confirmed().receive(List.of(new DeliveredItem("z", 1, null)), T0))
      .code().status());
  }

  @Test
  @DisplayName("cancel only before anything arrived, close only after; incoming follows what is outstanding")
  void transitions() {
    PurchaseOrder order = confirmed();
    assertEquals(Map.of("a", -10L, "b", -6L), order.incomingChangeTo(PurchaseOrderStatus.CANCELLED));
    assertEquals(409, assertThrows(ServiceError.class, () -> order.close(T0)).code().status());
    PurchaseOrder partly = order.receive(List.of(new DeliveredItem("a", 4, null)), T0).after();
    assertEquals(409, assertThrows(ServiceError.class, () -> partly.cancel(T0)).code().status());
    assertEquals(PurchaseOrderStatus.CLOSED, partly.close(T0).status());
    assertEquals(Map.of("a", -6L, "b", -6L), partly.incomingChangeTo(PurchaseOrderStatus.CLOSED));
    assertEquals(409, assertThrows(ServiceError.class, () -> order.send(T0)).code().status());
  }

  @Test
  @DisplayName("an order reads back from its document as written; clients see the contract's fields and no bookkeeping")
  void documentAndApiView() {
    PurchaseOrder partly = confirmed().receive(List.of(new DeliveredItem("a", 4, 2100L)), T0).after();
    JsonObject stored = PurchaseOrderRepository.toDocument(partly).put("version", 3L).put("writtenBy", "u:1").put("fence", 7L);
    assertEquals(partly, PurchaseOrderRepository.fromDocument(stored));
    JsonObject api = PurchaseOrderRepository.fromDocument(stored).toApi();
    assertEquals(Set.of("id", "supplierId", "locationId", "status", "lines", "orderedValue", "receivedUnits", "receivedValue",
      "totalVariance", "expectedAt", "note", "createdBy", "createdAt", "sentAt", "confirmedAt"), api.fieldNames());
    assertEquals("38000", api.getString("orderedValue"));
    assertEquals("400", api.getJsonArray("lines").getJsonObject(0).getString("variance"));
  }
}
