package io.stockroom.order;

import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConsumptionTest {
  /** 4 units of "a" held: 3 at l1, then 1 at l2. */
  private static final JsonObject RESERVATION = new JsonObject().put("lines", new JsonArray().add(new JsonObject()
    .put("variantId", "a").put("quantity", 4L).put("allocations", new JsonArray()
      .add(new JsonObject().put("locationId", "l1").put("quantity", 3L))
      .add(new JsonObject().put("locationId", "l2").put("quantity", 1L)))));
  private static final Map<String, JsonObject> VARIANTS = Map.of("a", new JsonObject().put("sku", "A"), "b", new JsonObject().put("sku", "B"));

  @Test
  @DisplayName("an order buys held units in the order they were allocated; the rest goes back to available")
  void soldAndReleased() {
    Consumption consumption = Reservation.fromDocument(RESERVATION).consume(Map.of("a", 2L), VARIANTS);
    assertEquals(List.of(new Allocation.Part("a", "l1", 2)), consumption.sold());
    assertEquals(List.of(new Allocation.Part("a", "l1", 1), new Allocation.Part("a", "l2", 1)), consumption.released());
    assertEquals(List.of(), Reservation.fromDocument(RESERVATION).consume(Map.of("a", 4L), VARIANTS).released());
  }

  @Test
  @DisplayName("an order asking for more than the reservation holds is a 409 listing the lines beyond it")
  void beyondTheHold() {
    ServiceError beyond = assertThrows(ServiceError.class, () -> Reservation.fromDocument(RESERVATION).consume(new TreeMap<>(Map.of("a", 5L, "b", 1L)), VARIANTS));
    assertEquals(409, beyond.code().status());
    assertEquals(new JsonArray()
        .add(new JsonObject().put("variantId", "a").put("sku", "A").put("requested", 5L).put("reserved", 4L))
        .add(new JsonObject().put("variantId", "b").put("sku", "B").put("requested", 1L).put("reserved", 0L)),
      beyond.extensions().getJsonArray("lines"));
  }
}
