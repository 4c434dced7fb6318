package io.stockroom.supplier;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SupplierLayoutTest {
  @Test
  @DisplayName("a supplier's document holds its profile's fields at top level, beside its own; the count stays a long")
  void flatLayout() {
    Supplier supplier = Supplier.create("t1", new SupplierProfile("Acme", null, "a@acme.test", null, null, 7, null));
    JsonObject doc = supplier.toDocument();
    assertEquals(Set.of("_id", "tenantId", "name", "email", "leadTimeDays", "openPurchaseOrders", "createdAt"), doc.fieldNames());
    assertEquals(0L, doc.getValue("openPurchaseOrders"));
    assertEquals(7, doc.getValue("leadTimeDays"));
    assertEquals("Acme", doc.getString("name"));
  }

  @Test
  @DisplayName("an older document without the open-order count reads as none open")
  void missingCount() {
    JsonObject doc = Supplier.create("t1", new SupplierProfile("Acme", null, null, null, null, null, null)).toDocument();
    doc.remove("openPurchaseOrders");
    assertEquals(0L, Supplier.fromDocument(doc).openPurchaseOrders());
    assertEquals(new SupplierProfile("Acme", null, null, null, null, null, null), Supplier.fromDocument(doc).profile());
  }
}
