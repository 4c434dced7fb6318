package io.stockroom.location;

import io.stockroom.location.LocationCommands.SetAllocation;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocationTest {

  @Test
  @DisplayName("a location reads back from its document as it was written")
  void documentRoundTrip() {
    Location created = Location.create("tenant-1", "Back room", "BACK", null, true);
    assertEquals(created, Location.fromDocument(created.toDocument()));
  }

  @Test
  @DisplayName("clients see the contract's fields only: not the stock count, the cap's slot or anything added later")
  void apiViewIsAnAllowList() {
    JsonObject stored = Location.create("tenant-1", "Store", "STORE-1", "1 Main St", false).toDocument()
      .put("stockedVariants", 12L).put("slot", "tenant-1/3").put("futureSecret", "x");
    assertEquals(Set.of("id", "name", "code", "address", "active", "default", "createdAt"),
      Location.fromDocument(stored).toApi().fieldNames());
  }

  @Test
  @DisplayName("the tenant's default location is listed as default, and its id is the tenant's")
  void defaultLocation() {
    Location main = Location.fromDocument(Locations.defaultLocation("6b16418decd557326fe7cd1a"));
    assertEquals(true, main.toApi().getBoolean("default"));
    assertEquals("6b16418decd557326fe7cd1a", main.id());
  }

  @Test
  @DisplayName("an allocation rule naming a location twice is bad input")
  void allocationNamesEachLocationOnce() {
    AllocationRules.Rule twice = new AllocationRules.Rule(AllocationRules.Strategy.values()[0], List.of("a", "b", "a"));
    assertEquals(400, assertThrows(ServiceError.class, () -> new SetAllocation(null, twice)).code().status());
  }
}
