package io.stockroom.location;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AllocationRuleRecordTest {
  @Test
  @DisplayName("clients see a rule as its strategy's name and the priority list")
  void apiView() {
    AllocationRules.Rule rule = new AllocationRules.Rule(AllocationRules.Strategy.MOST_AVAILABLE, List.of("b", "a"));
    assertEquals(new JsonObject().put("strategy", "MOST_AVAILABLE").put("locationIds", new JsonArray().add("b").add("a")), rule.toApi());
    assertEquals(new JsonObject().put("strategy", "PRIORITY").put("locationIds", new JsonArray()), AllocationRules.DEFAULT.toApi());
  }

  @Test
  @DisplayName("a rule without a priority list has an empty one")
  void missingList() {
    assertEquals(List.of(), new AllocationRules.Rule(AllocationRules.Strategy.PRIORITY, null).locationIds());
  }
}
