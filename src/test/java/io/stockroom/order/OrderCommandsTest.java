package io.stockroom.order;

import io.stockroom.inventory.StockState;
import io.stockroom.order.OrderCommands.CreateReservation;
import io.stockroom.order.OrderCommands.OrderLine;
import io.stockroom.order.OrderCommands.PlaceOrder;
import io.stockroom.order.OrderCommands.ReturnedItem;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderCommandsTest {

  @Test
  @DisplayName("lines of the same variant and location are merged, those naming a location first")
  void linesMerged() {
    PlaceOrder order = new PlaceOrder(null, List.of(new OrderLine("b", null, 1), new OrderLine("a", "l1", 2),
      new OrderLine("b", null, 3), new OrderLine("a", null, 4), new OrderLine("a", "l1", 5)), null, null, null);
    assertEquals(List.of(new OrderLine("a", "l1", 7), new OrderLine("a", null, 4), new OrderLine("b", null, 4)), order.lines());
    assertEquals(Map.of("a", 11L, "b", 4L), OrderLine.unitsByVariant(order.lines()));
    assertFalse(order.singleLine());
    assertTrue(new PlaceOrder(null, List.of(new OrderLine("a", null, 1), new OrderLine("a", null, 2)), null, null, null).singleLine());
  }

  @Test
  @DisplayName("an order from a reservation takes the units where they are held: no line names a location")
  void reservationOrdersNameNoLocation() {
    new PlaceOrder(null, List.of(new OrderLine("a", null, 1)), "r1", null, null);
    assertEquals(400, assertThrows(ServiceError.class,
      () -> new PlaceOrder(null, List.of(new OrderLine("a", "l1", 1)), "r1", null, null)).code().status());
  }

  @Test
  @DisplayName("a line takes at least one unit, a reservation holds for at least a second")
  void boundsChecked() {
    assertEquals(400, assertThrows(ServiceError.class, () -> new OrderLine("a", null, 0)).code().status());
    assertEquals(400, assertThrows(ServiceError.class, () -> new ReturnedItem("a", 0, null, null)).code().status());
    assertEquals(400, assertThrows(ServiceError.class,
      () -> new CreateReservation(null, List.of(new OrderLine("a", null, 1)), 0, null)).code().status());
  }

  @Test
  @DisplayName("a returned item goes to damaged only when it says so, and is recorded as it was given")
  void returnedItems() {
    JsonObject given = new JsonObject().put("variantId", "a").put("quantity", 2L).put("damaged", false);
    ReturnedItem item = ReturnedItem.from(given);
    assertEquals(StockState.AVAILABLE, item.to());
    assertEquals(given, item.toJson());
    assertEquals(StockState.DAMAGED, new ReturnedItem("a", 1, null, true).to());
    assertEquals(new JsonObject().put("variantId", "a").put("quantity", 1L).put("locationId", "l1"),
      new ReturnedItem("a", 1, "l1", null).toJson());
  }
}
