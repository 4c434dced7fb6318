package io.stockroom.catalog;

import io.stockroom.catalog.CatalogCommands.VariantFilter;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProductTest {

  @Test
  @DisplayName("a product reads back from its document as it was written, its name without surrounding blanks")
  void documentRoundTrip() {
    Product created = Product.create("tenant-1", "  T-Shirt ", "Cotton", null);
    assertEquals("T-Shirt", created.name());
    assertEquals(created, Product.fromDocument(created.toDocument()));
  }

  @Test
  @DisplayName("clients see the contract's fields only, whatever else the document holds")
  void apiViewIsAnAllowList() {
    JsonObject stored = Product.create("tenant-1", "Mug", null, "Kitchen").toDocument().put("version", 4).put("futureSecret", "x");
    assertEquals(Set.of("id", "name", "category", "variantCount", "createdAt"), Product.fromDocument(stored).toApi().fieldNames());
  }

  @Test
  @DisplayName("a variant list's filter names only what was asked for; low stock is the flag each write of a variant keeps")
  void variantFilter() {
    assertEquals(new JsonObject(), VariantFilter.from(new JsonObject()).toQuery());
    assertEquals(new JsonObject().put("productId", "p1").put("low", true),
      VariantFilter.from(new JsonObject().put("productId", "p1").put("lowStock", true)).toQuery());
  }
}
