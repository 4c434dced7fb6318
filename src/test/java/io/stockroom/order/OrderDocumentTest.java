package io.stockroom.order;

import io.stockroom.order.OrderCommands.ReturnedItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderDocumentTest {
  private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

  private static JsonObject date(String text) {
    return new JsonObject().put("$date", text);
  }

  private static Order placed() {
    Order.Line line = Order.sold("a", "A", 250, List.of(new Order.Allocated("l1", 3, 0), new Order.Allocated("l2", 1, 0)));
    return Order.placed("o1", "t1", List.of(line), "EUR", null, null, null, "u1", AT);
  }

  @Test
  @DisplayName("a new order is stored as it always was: amounts as Decimal128, no customer, note or reservation as null, no returns yet")
  void storedLayout() {
    JsonObject line = new JsonObject().put("variantId", "a").put("sku", "A").put("quantity", 4L).put("unitPrice", 250L)
      .put("returned", 0L).put("allocations", new JsonArray()
        .add(new JsonObject().put("locationId", "l1").put("quantity", 3L).put("returned", 0L))
        .add(new JsonObject().put("locationId", "l2").put("quantity", 1L).put("returned", 0L)))
      .put("lineTotal", new BigDecimal(1000));
    JsonObject expected = new JsonObject().put("_id", "o1").put("tenantId", "t1").put("status", "PLACED")
      .put("lines", new JsonArray().add(line)).put("total", new BigDecimal(1000)).put("currency", "EUR").put("customer", null)
      .put("note", null).put("reservationId", null).put("returns", new JsonArray()).put("version", 0L).put("createdBy", "u1")
      .put("createdAt", date("2026-03-01T12:00:00Z"));
    assertEquals(expected, placed().toDocument());
    assertEquals(placed(), Order.fromDocument(placed().toDocument()));
  }

  @Test
  @DisplayName("clients see the order without tenant or version, amounts as digits, dates as text, empty fields as null")
  void api() {
    Order order = placed();
    Restock restock = order.returning(List.of(new ReturnedItem("a", 1, null, null)));
    Order returned = order.returned(restock, new Order.Return("r1", List.of(new ReturnedItem("a", 1, null, null)), null, "u2", AT));
    JsonObject api = returned.toApi();
    assertEquals(java.util.Set.of("id", "status", "lines", "total", "currency", "customer", "note", "reservationId", "returns",
      "createdBy", "createdAt"), api.fieldNames());
    assertEquals("1000", api.getString("total"));
    assertEquals("1000", api.getJsonArray("lines").getJsonObject(0).getString("lineTotal"));
    assertEquals(new JsonObject().put("id", "r1").put("items", new JsonArray().add(new JsonObject().put("variantId", "a")
      .put("quantity", 1L))).put("reason", null).put("createdBy", "u2").put("createdAt", "2026-03-01T12:00:00.000Z"),
      api.getJsonArray("returns").getJsonObject(0));
    assertEquals(date("2026-03-01T12:00:00Z"), returned.toDocument().getJsonArray("returns").getJsonObject(0).getJsonObject("createdAt"));
    assertTrue(returned.toDocument().getJsonArray("returns").getJsonObject(0).containsKey("reason"));
  }

  @Test
  @DisplayName("an order from before returns and locations reads back: no returns, and its units taken at the default location")
  void oldOrder() {
    JsonObject old = placed().toDocument();
    old.remove("returns");
    old.getJsonArray("lines").getJsonObject(0).remove("allocations");
    Order order = Order.fromDocument(old);
    assertEquals(null, order.returns());
    assertFalse(order.toApi().containsKey("returns"));
    Restock restock = order.cancel();
    assertEquals(List.of(new Order.Allocated(io.stockroom.location.Locations.defaultId("t1"), 4, 4)),
      restock.lines().get(0).allocations());
    Order cancelled = order.cancelled(restock, AT);
    assertEquals(OrderStatus.CANCELLED, cancelled.status());
    assertEquals(AT, cancelled.cancelledAt());
  }

  @Test
  @DisplayName("a reservation is stored as it always was, ends under the stamp of its status, and shows EXPIRED once its time ran out")
  void reservation() {
    Reservation held = Reservation.hold("r1", "t1", AT, null, List.of(new Allocation.Part("a", "l1", 2), new Allocation.Part("a", "l2", 1)),
      Map.of("a", new JsonObject().put("_id", "a").put("sku", "A").put("price", 5L)), "u1", AT.minusSeconds(60));
    JsonObject line = new JsonObject().put("variantId", "a").put("sku", "A").put("quantity", 3L).put("allocations", new JsonArray()
      .add(new JsonObject().put("locationId", "l1").put("quantity", 2L)).add(new JsonObject().put("locationId", "l2").put("quantity", 1L)));
    JsonObject expected = new JsonObject().put("_id", "r1").put("tenantId", "t1").put("status", "ACTIVE")
      .put("expiresAt", date("2026-03-01T12:00:00Z")).put("reference", null).put("lines", new JsonArray().add(line))
      .put("version", 0L).put("createdBy", "u1").put("createdAt", date("2026-03-01T11:59:00Z"));
    assertEquals(expected, held.toDocument());
    assertEquals(held, Reservation.fromDocument(held.toDocument()));
    assertEquals(new JsonObject().put("status", "CONSUMED").put("orderId", "o1").put("consumedAt", date("2026-03-01T12:00:00Z"))
      .put("updatedAt", date("2026-03-01T12:00:00Z")), Reservation.ending(ReservationStatus.CONSUMED, "o1", AT));
    JsonObject api = held.toApi();
    assertEquals("EXPIRED", api.getString("status"));
    assertEquals(java.util.Set.of("id", "status", "expiresAt", "reference", "lines", "createdBy", "createdAt"), api.fieldNames());
    assertEquals(List.of(new Allocation.Part("a", "l1", 2), new Allocation.Part("a", "l2", 1)), held.parts());
  }

  @Test
  @DisplayName("an order keeps at most MAX_RETURNS returns: the one past it is a 409 naming the cap, the one before it is taken")
  void returnsAreCapped() {
    Order.Line line = Order.sold("a", "A", 250, List.of(new Order.Allocated("l1", 1_000, 0)));
    Order order = Order.placed("o1", "t1", List.of(line), "EUR", null, null, null, "u1", AT);
    List<ReturnedItem> one = List.of(new ReturnedItem("a", 1, null, null));
    for (int i = 0; i < Order.MAX_RETURNS; i++) {
      order = order.returned(order.returning(one), new Order.Return("r" + i, one, "why", "u2", AT));
    }
    assertEquals(Order.MAX_RETURNS, order.returns().size());
    assertEquals(Order.MAX_RETURNS, order.lines().get(0).returned(), "every return before the cap was taken");
    Order full = order;
    io.stockroom.platform.bus.ServiceError refused = org.junit.jupiter.api.Assertions.assertThrows(
      io.stockroom.platform.bus.ServiceError.class, () -> full.returning(one));
    assertEquals(io.stockroom.platform.bus.ErrorCode.CONFLICT, refused.code());
    assertTrue(refused.getMessage().contains("at most " + Order.MAX_RETURNS + " returns"), refused::getMessage);
  }
}
