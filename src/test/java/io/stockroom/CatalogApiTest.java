package io.stockroom;

import io.stockroom.inventory.StockEvents;
import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private static JsonObject tshirtMatrix() {
    return new JsonObject()
      .put("matrix", new JsonObject()
        .put("size", new JsonArray().add("S").add("M").add("L"))
        .put("color", new JsonArray().add("red").add("blue").add("green")))
      .put("skuPattern", "TS-{size}-{color}")
      .put("price", 1999)
      .put("reorderLevel", 3);
  }

  @Test
  @DisplayName("a 3 x 3 matrix creates 9 variants with the right SKUs and attributes, at stock 0")
  void variantMatrix() {
    Session owner = api.signup("Matrix Co");
    String product = api.createProduct(owner, "T-Shirt");
    Res res = api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), tshirtMatrix());
    assertEquals(201, res.status(), res::toString);
    assertEquals(9, res.json().getInteger("count"));
    Set<String> skus = new HashSet<>();
    for (Object o : res.items()) {
      JsonObject v = (JsonObject) o;
      skus.add(v.getString("sku"));
      assertEquals("TS-" + v.getJsonObject("attributes").getString("size") + "-" + v.getJsonObject("attributes").getString("color"), v.getString("sku"));
      assertEquals(0, v.getInteger("stock"));
      assertEquals(1999, v.getInteger("price"));
      assertEquals(product, v.getString("productId"));
    }
    assertEquals(Set.of("TS-S-red", "TS-S-blue", "TS-S-green", "TS-M-red", "TS-M-blue", "TS-M-green", "TS-L-red", "TS-L-blue", "TS-L-green"), skus);
    assertEquals(9, api.get("/api/v1/variants?productId=" + product, owner.token()).items().size());
  }

  @Test
  @DisplayName("a matrix colliding with one existing SKU creates nothing and names the duplicate")
  void matrixIsAllOrNothing() {
    Session owner = api.signup("Atomic Co");
    String product = api.createProduct(owner, "T-Shirt");
    api.createVariant(owner, product, "TS-M-blue", 500);
    JsonObject problem = assertProblem(api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), tshirtMatrix()), 409);
    assertEquals(new JsonArray().add("TS-M-blue"), problem.getJsonArray("duplicateSkus"));
    assertEquals(1, api.get("/api/v1/variants?productId=" + product, owner.token()).items().size());
  }

  @Test
  @DisplayName("matrix patterns must use every attribute and make valid SKUs; unknown product is 404")
  void matrixValidation() {
    Session owner = api.signup("Pattern Co");
    String product = api.createProduct(owner, "T-Shirt");
    String path = "/api/v1/products/" + product + "/variant-matrix";
    assertProblem(api.post(path, owner.token(), tshirtMatrix().put("skuPattern", "TS-{size}")), 400);
    assertProblem(api.post(path, owner.token(), tshirtMatrix().put("skuPattern", "TS-{size}-{color}-{fit}")), 400);
    JsonObject spaces = tshirtMatrix();
    spaces.getJsonObject("matrix").put("color", new JsonArray().add("dark red"));
    JsonObject problem = assertProblem(api.post(path, owner.token(), spaces), 400);
    assertEquals(new JsonArray().add(new JsonObject().put("pointer", "#/skuPattern").put("message", "String does not match pattern")),
      problem.getJsonArray("errors"), "the variant's SKU 'TS-S-dark red' is reported against the pattern that made it: " + problem);
    assertProblem(api.post(path, owner.token(), tshirtMatrix().put("sku", "BOTH")), 400);
    assertProblem(api.post("/api/v1/products/000000000000000000000000/variant-matrix", owner.token(), tshirtMatrix()), 404);
    assertEquals(0, api.get("/api/v1/variants?productId=" + product, owner.token()).items().size());
  }

  @Test
  @DisplayName("one variant answers 201 with the variant itself and its Location; a matrix answers a VariantList; each path takes only its own body")
  void oneVariantOrAMatrix() {
    Session owner = api.signup("Shapes Co");
    String product = api.createProduct(owner, "Cap");
    Res one = api.post("/api/v1/products/" + product + "/variants", owner.token(),
      new JsonObject().put("sku", "CAP-1").put("price", 700).put("openingStock", 4));
    assertEquals(201, one.status(), one::toString);
    assertEquals("CAP-1", one.json().getString("sku"));
    assertEquals(4, one.json().getInteger("stock"));
    assertEquals("/api/v1/variants/" + one.id(), one.location());
    assertEquals(one.json(), api.get(one.location(), owner.token()).json());

    Res matrix = api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), new JsonObject()
      .put("matrix", new JsonObject().put("size", new JsonArray().add("S").add("M"))).put("skuPattern", "CAP-{size}").put("price", 700));
    assertEquals(201, matrix.status(), matrix::toString);
    assertEquals(2, matrix.json().getInteger("count"));
    assertEquals(List.of("CAP-S", "CAP-M"), matrix.items().stream().map(v -> ((JsonObject) v).getString("sku")).toList());
    assertNull(matrix.location(), "a matrix creates several resources: no one Location");

    JsonObject misdirected = assertProblem(api.post("/api/v1/products/" + product + "/variants", owner.token(), tshirtMatrix()), 400);
    assertTrue(misdirected.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("message"))
      .anyMatch(message -> message.contains("/variant-matrix")), "the 400 says where a matrix goes: " + misdirected);
    assertProblem(api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(),
      new JsonObject().put("sku", "CAP-2").put("price", 700)), 400);
    assertEquals(3, api.get("/api/v1/variants?productId=" + product, owner.token()).items().size());
  }

  @Test
  @DisplayName("duplicate SKU in the tenant is 409, by create and by rename")
  void duplicateSku() {
    Session owner = api.signup("Dup Co");
    String product = api.createProduct(owner, "Mug");
    api.createVariant(owner, product, "MUG-1", 900);
    JsonObject second = api.createVariant(owner, product, "MUG-2", 900);
    assertProblem(api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "MUG-1").put("price", 1)), 409);
    assertProblem(api.patch("/api/v1/variants/" + second.getString("id"), owner.token(), new JsonObject().put("sku", "MUG-1")), 409);
    assertEquals("MUG-2", api.get("/api/v1/variants/" + second.getString("id"), owner.token()).json().getString("sku"));
  }

  @Test
  @DisplayName("stock, tenantId and ids cannot be set through the catalog API (400, unchanged)")
  void massAssignmentRejected() {
    Session owner = api.signup("Mass Co");
    String product = api.createProduct(owner, "Lamp");
    JsonObject variant = api.createVariant(owner, product, "LAMP-1", 4500);
    String path = "/api/v1/variants/" + variant.getString("id");
    for (JsonObject evil : List.of(new JsonObject().put("stock", 1000), new JsonObject().put("tenantId", "x"),
      new JsonObject().put("id", "x"), new JsonObject().put("_id", "x"), new JsonObject().put("productId", "x"),
      new JsonObject().put("price", 10).put("stock", 5))) {
      JsonObject problem = assertProblem(api.patch(path, owner.token(), evil), 400);
      assertTrue(problem.getString("type").endsWith("validation-error"), problem::encode);
    }
    assertProblem(api.post("/api/v1/products/" + product + "/variants", owner.token(),
      new JsonObject().put("sku", "LAMP-2").put("price", 1).put("stock", 50)), 400);
    JsonObject after = api.get(path, owner.token()).json();
    assertEquals(0, after.getInteger("stock"));
    assertEquals(4500, after.getInteger("price"));
    assertEquals(1, api.get("/api/v1/variants?productId=" + product, owner.token()).items().size());
  }

  @Test
  @DisplayName("products: create, read, patch (null clears), delete only without variants")
  void productLifecycle() {
    Session owner = api.signup("Product Co");
    Res created = api.post("/api/v1/products", owner.token(), new JsonObject().put("name", " Desk ").put("description", "Oak").put("category", "furniture"));
    assertEquals(201, created.status());
    assertEquals("Desk", created.json().getString("name"));
    String path = "/api/v1/products/" + created.id();
    Res patched = api.patch(path, owner.token(), new JsonObject().put("description", null).put("name", "Standing desk"));
    assertEquals(200, patched.status(), patched::toString);
    assertNull(patched.json().getString("description"));
    assertEquals("Standing desk", api.get(path, owner.token()).json().getString("name"));
    assertProblem(api.patch(path, owner.token(), new JsonObject()), 400);
    assertProblem(api.post("/api/v1/products", owner.token(), new JsonObject().put("name", "   ")), 400);

    JsonObject variant = api.createVariant(owner, created.id(), "DESK-1", 30000);
    assertProblem(api.delete(path, owner.token()), 409);
    assertEquals(204, api.delete("/api/v1/variants/" + variant.getString("id"), owner.token()).status());
    assertProblem(api.get("/api/v1/variants/" + variant.getString("id"), owner.token()), 404);
    assertEquals(204, api.delete(path, owner.token()).status());
    assertProblem(api.get(path, owner.token()), 404);
    assertProblem(api.delete(path, owner.token()), 404);
  }

  @Test
  @DisplayName("lowStock lists variants at or below their reorder level; sku filter is exact")
  void variantFilters() {
    Session owner = api.signup("Filter Co");
    String product = api.createProduct(owner, "Pen");
    api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "PEN-LOW").put("price", 100).put("reorderLevel", 5));
    api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "PEN-ZERO").put("price", 100).put("reorderLevel", 0));
    Res low = api.get("/api/v1/variants?lowStock=true", owner.token());
    assertEquals(200, low.status(), low::toString);
    List<String> lowSkus = new ArrayList<>();
    low.items().forEach(v -> lowSkus.add(((JsonObject) v).getString("sku")));
    assertEquals(List.of("PEN-LOW", "PEN-ZERO"), lowSkus, "stock 0 <= reorder level 5 and 0 <= 0");
    Res patched = api.patch("/api/v1/variants/" + low.items().getJsonObject(1).getString("id"), owner.token(), new JsonObject().put("reorderLevel", 0));
    assertEquals(200, patched.status());
    assertEquals(1, api.get("/api/v1/variants?sku=PEN-LOW", owner.token()).items().size());
    assertEquals(0, api.get("/api/v1/variants?sku=PEN", owner.token()).items().size());
    assertProblem(api.get("/api/v1/variants?lowStock=maybe", owner.token()), 400);
  }

  @Test
  @DisplayName("cursor pagination walks every row once in creation order; bad limits and cursors are 400")
  void pagination() {
    Session owner = api.signup("Paging Co");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) created.add(api.createProduct(owner, "Item " + i));
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Res page = api.get("/api/v1/products?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), owner.token());
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(p -> seen.add(((JsonObject) p).getString("id")));
      cursor = page.json().getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    assertEquals(created, seen);
    assertProblem(api.get("/api/v1/products?limit=0", owner.token()), 400);
    assertProblem(api.get("/api/v1/products?limit=201", owner.token()), 400);
    assertProblem(api.get("/api/v1/products?cursor=garbage!", owner.token()), 400);
  }

  @Test
  @DisplayName("opening stock is published like every stock change: one ADJUSTED event per creation, each new variant at sequence 1")
  void openingStockIsPublished() throws Exception {
    Session owner = api.signup("Opening Events Co");
    String product = api.createProduct(owner, "Crate");
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = stack.vertx.eventBus().consumer(StockEvents.address(owner.tenantId()), m -> received.add(m.body()));
    consumer.completion().await();
    try {
      String single = api.createVariant(owner, product, "CRATE-1", 100, 12).getString("id");
      api.createVariant(owner, product, "CRATE-EMPTY", 100, 0);
      Res matrix = api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), new JsonObject()
        .put("matrix", new JsonObject().put("size", new JsonArray().add("S").add("L"))).put("skuPattern", "CRATE-{size}")
        .put("price", 100).put("openingStock", 3));
      assertEquals(201, matrix.status(), matrix::toString);
      assertEquals(201, api.post("/api/v1/variants/" + single + "/adjustments", owner.token(),
        new JsonObject().put("quantity", -2).put("reason", "damaged")).status());
      long deadline = System.currentTimeMillis() + 2_000;
      while (received.size() < 3 && System.currentTimeMillis() < deadline) TimeUnit.MILLISECONDS.sleep(20);
      TimeUnit.MILLISECONDS.sleep(100);
      assertEquals(3, received.size(), () -> "the variant without opening stock published nothing: " + received);

      JsonObject opened = received.get(0);
      assertEquals("ADJUSTED", opened.getString("type"));
      assertEquals(product, opened.getString("sourceId"));
      JsonObject first = opened.getJsonArray("variants").getJsonObject(0);
      assertEquals(single, first.getString("variantId"));
      assertEquals(1, first.getLong("sequence"));
      assertEquals(12, first.getLong("delta"));
      assertEquals(12, first.getLong("stockAfter"));
      assertEquals(12, first.getLong("availableAfter"));
      assertEquals(api.get("/api/v1/stock-movements?variantId=" + single, owner.token()).items().getJsonObject(0).getString("id"),
        first.getString("movementId"));

      List<String> matrixSkus = new ArrayList<>();
      for (Object o : received.get(1).getJsonArray("variants")) {
        JsonObject variant = (JsonObject) o;
        matrixSkus.add(variant.getString("sku"));
        assertEquals(1, variant.getLong("sequence"), variant::encode);
        assertEquals(3, variant.getLong("stockAfter"));
      }
      assertEquals(List.of("CRATE-S", "CRATE-L"), matrixSkus, "one event for the whole matrix");
      assertEquals(2, received.get(2).getJsonArray("variants").getJsonObject(0).getLong("sequence"), "the next change follows on");
    } finally {
      consumer.unregister().await();
    }
  }
}
