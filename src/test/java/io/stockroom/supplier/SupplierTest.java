package io.stockroom.supplier;

import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SupplierTest {
  private static final SupplierProfile ACME = new SupplierProfile("Acme", "Ann", "ann@acme.test", "+1 555", null, 7, null);

  @Test
  @DisplayName("a supplier reads back from its document as it was written")
  void documentRoundTrip() {
    Supplier created = Supplier.create("tenant-1", ACME);
    assertEquals(created, Supplier.fromDocument(created.toDocument()));
    assertEquals(0, created.openPurchaseOrders());
  }

  @Test
  @DisplayName("clients see the profile, the open-order count and the dates, and nothing else a document holds")
  void apiViewIsAnAllowList() {
    JsonObject stored = Supplier.create("tenant-1", ACME).toDocument().put("version", 3).put("slot", "tenant-1/0")
      .put("futureSecret", "s3cr3t");
    JsonObject api = Supplier.fromDocument(stored).toApi();
    assertEquals(Set.of("id", "name", "contactName", "email", "phone", "leadTimeDays", "openPurchaseOrders", "createdAt"),
      api.fieldNames());
    assertEquals(stored.getString("_id"), api.getString("id"));
    assertEquals(24, api.getString("createdAt").length(), "RFC 3339 with milliseconds: " + api.getString("createdAt"));
  }

  @Test
  @DisplayName("a supplier without a name is refused as bad input, however it is asked for")
  void nameIsRequired() {
    assertEquals(400, assertThrows(ServiceError.class, () -> new SupplierProfile(" ", null, null, null, null, null, null))
      .code().status());
  }
}
