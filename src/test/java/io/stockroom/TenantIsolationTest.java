package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Tenant B can neither see nor touch tenant A's rows, whatever id it sends; the tenant comes from the JWT only. */
class TenantIsolationTest {
  private static final Api API = TestStack.get().api;
  private static Session a;
  private static Session b;
  private static String productA;
  private static JsonObject variantA;
  private static String supplierA;
  private static Session staffA;

  @BeforeAll
  static void twoTenants() {
    a = API.signup("Tenant A");
    b = API.signup("Tenant B");
    productA = API.createProduct(a, "A shirt");
    variantA = API.createVariant(a, productA, "ISO-SHARED-SKU", 1500);
    supplierA = API.createSupplier(a, "A supplier");
    staffA = API.addUser(a, "STAFF");
  }

  @Test
  @DisplayName("every verb on another tenant's product, variant, supplier and user answers 404 and changes nothing")
  void foreignIdsAre404() {
    List<String> paths = List.of("/api/v1/products/" + productA, "/api/v1/variants/" + variantA.getString("id"),
      "/api/v1/suppliers/" + supplierA, "/api/v1/users/" + staffA.userId());
    for (String path : paths) {
      String before = API.get(path, a.token()).text();
      assertProblem(API.get(path, b.token()), 404);
      JsonObject change = path.contains("/users/") ? new JsonObject().put("role", "OWNER")
        : path.contains("/variants/") ? new JsonObject().put("price", 1) : new JsonObject().put("name", "hijacked");
      assertProblem(API.patch(path, b.token(), change), 404);
      assertProblem(API.delete(path, b.token()), 404);
      assertEquals(before, API.get(path, a.token()).text(), "tenant A's row changed through tenant B: " + path);
    }
    assertProblem(API.post("/api/v1/products/" + productA + "/variants", b.token(),
      new JsonObject().put("sku", "INTRUDER").put("price", 1)), 404);
    assertEquals(0, API.get("/api/v1/variants?sku=INTRUDER", a.token()).items().size());
  }

  @Test
  @DisplayName("lists never show another tenant's rows, even when filtered by its ids")
  void listsAreScoped() {
    for (String list : List.of("/api/v1/products", "/api/v1/variants", "/api/v1/suppliers",
      "/api/v1/variants?productId=" + productA, "/api/v1/variants?sku=ISO-SHARED-SKU")) {
      Res res = API.get(list, b.token());
      assertEquals(200, res.status(), res::toString);
      for (Object item : res.items()) {
        String id = ((JsonObject) item).getString("id");
        assertFalse(List.of(productA, variantA.getString("id"), supplierA).contains(id), () -> list + " leaked: " + res);
      }
      if (list.contains("productId=")) assertEquals(0, res.items().size(), () -> list + " leaked: " + res);
    }
    Res users = API.get("/api/v1/users", b.token());
    assertEquals(1, users.items().size());
    assertEquals(b.userId(), users.items().getJsonObject(0).getString("id"));
  }

  @Test
  @DisplayName("the same SKU is fine in another tenant, and a tenantId in a body is rejected, never trusted")
  void skuPerTenantAndNoTenantFromBody() {
    String productB = API.createProduct(b, "B shirt");
    JsonObject variantB = API.createVariant(b, productB, "ISO-SHARED-SKU", 999);
    assertFalse(variantB.getString("id").equals(variantA.getString("id")));
    assertProblem(API.post("/api/v1/products", b.token(), new JsonObject().put("name", "x").put("tenantId", a.tenantId())), 400);
    assertEquals(1500, API.get("/api/v1/variants/" + variantA.getString("id"), a.token()).json().getInteger("price"));
    assertEquals(1, API.get("/api/v1/variants?sku=ISO-SHARED-SKU", a.token()).items().size());
  }

  @Test
  @DisplayName("another tenant's locations, reservations and transfers answer 404 on every route and in every body, and never list")
  void locationsReservationsTransfers() {
    String stocked = API.createVariant(a, productA, "ISO-LOC-" + System.nanoTime(), 100, 5).getString("id");
    String storeA = API.createLocation(a, "ISO-STORE");
    Res held = API.post("/api/v1/reservations", a.token(), new JsonObject().put("ttlSeconds", 600)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", stocked).put("quantity", 1))));
    assertEquals(201, held.status(), held::toString);
    Res transfer = API.post("/api/v1/transfers", a.token(), new JsonObject().put("fromLocationId", a.tenantId()).put("toLocationId", storeA)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", stocked).put("quantity", 1))));
    assertEquals(201, transfer.status(), transfer::toString);
    String before = API.get("/api/v1/variants/" + stocked + "/levels", a.token()).text();

    for (String location : List.of(storeA, a.tenantId())) {
      assertProblem(API.get("/api/v1/locations/" + location, b.token()), 404);
      assertProblem(API.patch("/api/v1/locations/" + location, b.token(), new JsonObject().put("name", "hijacked")), 404);
      assertProblem(API.delete("/api/v1/locations/" + location, b.token()), 404);
    }
    assertProblem(API.get("/api/v1/reservations/" + held.id(), b.token()), 404);
    assertProblem(API.post("/api/v1/reservations/" + held.id() + "/release", b.token(), null), 404);
    for (String action : List.of("", "/ship", "/cancel")) {
      Res res = action.isEmpty() ? API.get("/api/v1/transfers/" + transfer.id(), b.token())
        : API.post("/api/v1/transfers/" + transfer.id() + action, b.token(), null);
      assertProblem(res, 404);
    }
    assertProblem(API.post("/api/v1/transfers/" + transfer.id() + "/receive", b.token(), new JsonObject()
      .put("items", new JsonArray().add(new JsonObject().put("variantId", stocked).put("quantity", 1)))), 404);
    assertProblem(API.get("/api/v1/variants/" + stocked + "/levels", b.token()), 404);

    String productB = API.createProduct(b, "B item");
    String variantB = API.createVariant(b, productB, "ISO-B-" + System.nanoTime(), 100, 5).getString("id");
    JsonObject atForeignLocation = new JsonObject().put("quantity", 1).put("reason", "x").put("locationId", storeA);
    assertProblem(API.post("/api/v1/variants/" + variantB + "/adjustments", b.token(), atForeignLocation), 404);
    assertProblem(API.placeOrderAsync(b, new JsonObject().put("items", new JsonArray()
      .add(new JsonObject().put("variantId", variantB).put("quantity", 1).put("locationId", storeA))), Api.newKey()).await(), 404);
    assertProblem(API.placeOrderAsync(b, new JsonObject().put("reservationId", held.id()).put("items", new JsonArray()
      .add(new JsonObject().put("variantId", variantB).put("quantity", 1))), Api.newKey()).await(), 404);
    assertProblem(API.post("/api/v1/transfers", b.token(), new JsonObject().put("fromLocationId", b.tenantId()).put("toLocationId", storeA)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", variantB).put("quantity", 1)))), 404);
    assertProblem(API.put("/api/v1/allocation-rule", b.token(), new JsonObject().put("strategy", "PRIORITY")
      .put("locationIds", new JsonArray().add(storeA))), 404);

    for (String list : List.of("/api/v1/locations", "/api/v1/reservations", "/api/v1/transfers")) {
      Res res = API.get(list, b.token());
      assertEquals(200, res.status(), res::toString);
      for (Object item : res.items()) {
        String id = ((JsonObject) item).getString("id");
        assertFalse(List.of(storeA, a.tenantId(), held.id(), transfer.id()).contains(id), () -> list + " leaked: " + res);
      }
    }
    assertEquals(before, API.get("/api/v1/variants/" + stocked + "/levels", a.token()).text());
    assertEquals("ACTIVE", API.get("/api/v1/reservations/" + held.id(), a.token()).json().getString("status"));
    assertEquals("DRAFT", API.get("/api/v1/transfers/" + transfer.id(), a.token()).json().getString("status"));
  }
}
