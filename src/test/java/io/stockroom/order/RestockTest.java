package io.stockroom.order;

import io.stockroom.inventory.StockState;
import io.stockroom.order.OrderCommands.ReturnedItem;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestockTest {
  /** 5 units of "a": 3 from l1, then 2 from l2 (one of them back already); 1 unit of "b" from l1. */
  private static JsonObject placed() {
    return new JsonObject().put("tenantId", "t").put("status", "PLACED").put("lines", new JsonArray()
      .add(line("a", 5, 1, part("l1", 3, 0), part("l2", 2, 1)))
      .add(line("b", 1, 0, part("l1", 1, 0))));
  }

  private static JsonObject line(String variantId, long quantity, long returned, JsonObject... parts) {
    return new JsonObject().put("variantId", variantId).put("sku", variantId.toUpperCase()).put("quantity", quantity)
      .put("returned", returned).put("unitPrice", 100L).put("allocations", new JsonArray(List.of((Object[]) parts)));
  }

  private static JsonObject part(String locationId, long quantity, long returned) {
    return new JsonObject().put("locationId", locationId).put("quantity", quantity).put("returned", returned);
  }

  @Test
  @DisplayName("a cancellation gives back every unit not yet returned, where it came from, and leaves the order read as it was")
  void cancelling() {
    JsonObject order = placed();
    JsonObject before = order.copy();
    Restock restock = Order.fromDocument(order).cancel();
    assertEquals(List.of("a:l1", "a:l2", "b:l1"), List.copyOf(restock.perMovement().keySet()));
    assertEquals(List.of(3L, 1L, 1L), restock.perMovement().values().stream().map(Restock.Back::quantity).toList());
    assertTrue(restock.allReturned());
    assertEquals(before, order);
  }

  @Test
  @DisplayName("a return takes the most recently allocated units first, to the location and state the item says")
  void returning() {
    Restock restock = Order.fromDocument(placed()).returning(List.of(new ReturnedItem("a", 2, null, null), new ReturnedItem("a", 1, "l9", true)));
    assertEquals(List.of(new Restock.Back(restock.lines().get(0), "l2", 1, StockState.AVAILABLE),
      new Restock.Back(restock.lines().get(0), "l1", 1, StockState.AVAILABLE),
      new Restock.Back(restock.lines().get(0), "l9", 1, StockState.DAMAGED)), restock.back());
    assertEquals(4L, restock.lines().get(0).returned());
    assertEquals(List.of("a:l1", "a:l2", "a:l9:damaged"), List.copyOf(restock.perMovement().keySet()));
    assertFalse(restock.allReturned());
  }

  @Test
  @DisplayName("never more back than sold and not yet returned, and only from a PLACED order")
  void refusals() {
    ServiceError tooMany = assertThrows(ServiceError.class,
      () -> Order.fromDocument(placed()).returning(List.of(new ReturnedItem("a", 3, null, null), new ReturnedItem("a", 2, null, null))));
    assertEquals(409, tooMany.code().status());
    assertEquals(new JsonArray().add(new JsonObject().put("variantId", "a").put("sku", "A").put("returnable", 4L).put("requested", 5L)),
      tooMany.extensions().getJsonArray("lines"));
    JsonObject cancelled = placed().put("status", "CANCELLED");
    assertEquals(409, assertThrows(ServiceError.class, () -> Order.fromDocument(cancelled).cancel()).code().status());
    assertEquals(409, assertThrows(ServiceError.class,
      () -> Order.fromDocument(cancelled).returning(List.of(new ReturnedItem("b", 1, null, null)))).code().status());
  }
}
