package io.stockroom.inventory;

import io.stockroom.inventory.InventoryCommands.Adjust;
import io.stockroom.inventory.InventoryCommands.Count;
import io.stockroom.inventory.InventoryCommands.MoveState;
import io.stockroom.platform.bus.ServiceError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InventoryCommandsTest {

  @Test
  @DisplayName("an adjustment moves stock: one of 0 is bad input")
  void adjustmentMovesSomething() {
    assertEquals(400, assertThrows(ServiceError.class, () -> new Adjust(null, "v", "l", 0, null)).code().status());
    assertEquals(-3, new Adjust(null, "v", "l", -3, "broken").quantity());
  }

  @Test
  @DisplayName("a count adjusts by what was counted against what the counter expected")
  void countDifference() {
    assertEquals(-2, new Count(null, "v", "l", 8, 10, "cycle count").difference());
    assertEquals(0, new Count(null, "v", "l", 10, 10, "cycle count").difference());
  }

  @Test
  @DisplayName("a state move goes from available to an unavailable state or back, never between two others or to itself")
  void stateMoves() {
    new MoveState(null, "v", "l", StockState.AVAILABLE, StockState.DAMAGED, 1, null);
    new MoveState(null, "v", "l", StockState.QUALITY_CONTROL, StockState.AVAILABLE, 1, null);
    for (StockState[] pair : new StockState[][] {{StockState.DAMAGED, StockState.QUALITY_CONTROL}, {StockState.AVAILABLE, StockState.AVAILABLE}}) {
      assertEquals(400, assertThrows(ServiceError.class, () -> new MoveState(null, "v", "l", pair[0], pair[1], 1, null)).code().status());
    }
  }
}
