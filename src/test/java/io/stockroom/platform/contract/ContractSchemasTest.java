package io.stockroom.platform.contract;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContractSchemasTest {
  private static final String VARIANT_CREATE = "/components/schemas/VariantCreate";
  private static Vertx vertx;
  private static ContractSchemas schemas;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    schemas = ContractSchemas.load(vertx).await().require(List.of(VARIANT_CREATE));
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("a component schema of the contract checks a value with its references resolved, as a request body is checked")
  void checksAgainstAComponentSchema() {
    assertEquals(new JsonArray(), schemas.errors(VARIANT_CREATE, new JsonObject().put("sku", "TS-1").put("price", 100)
      .put("attributes", new JsonObject().put("size", "M"))));
    JsonArray errors = schemas.errors(VARIANT_CREATE, new JsonObject().put("sku", "TS-1").put("price", 100)
      .put("attributes", new JsonObject().put("size", "M".repeat(65))));
    assertEquals(1, errors.size(), errors::encode);
    assertEquals("#/attributes/size", errors.getJsonObject(0).getString("pointer"), errors::encode);
    assertEquals(new JsonArray().add(new JsonObject().put("pointer", "#/sku").put("message", "String does not match pattern")),
      schemas.errors(VARIANT_CREATE, new JsonObject().put("sku", "-bad").put("price", 1)));
  }

  @Test
  @DisplayName("a schema the contract does not have fails the start of whoever requires it, not one of its requests")
  void missingSchemasFailEarly() {
    IllegalStateException missing = assertThrows(IllegalStateException.class,
      () -> schemas.require(List.of("/components/schemas/NoSuchThing")));
    assertEquals("openapi.yaml has no schema at /components/schemas/NoSuchThing", missing.getMessage());
    assertThrows(IllegalStateException.class, () -> schemas.errors("/components/schemas/ProductCreate", new JsonObject()));
  }
}
