package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.stockroom.support.Api.line;
import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PurchaseOrderApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private Res receive(Session s, String po, JsonObject... items) {
    JsonArray array = new JsonArray();
    for (JsonObject i : items) array.add(i);
    return api.send(HttpMethod.POST, "/api/v1/purchase-orders/" + po + "/receipts", s.token(), new JsonObject().put("items", array), Api.newKey()).await();
  }

  @Test
  @DisplayName("DRAFT → SENT → CONFIRMED → partial deliveries with price variance → RECEIVED")
  void lifecycleWithPartialDeliveriesAndVariance() {
    Session owner = api.signup("PO Co");
    Session staff = api.addUser(owner, "STAFF");
    String product = api.createProduct(owner, "Jacket");
    String a = api.createVariant(owner, product, "JKT-A", 5000).getString("id");
    String b = api.createVariant(owner, product, "JKT-B", 5000).getString("id");
    String supplier = api.createSupplier(owner, "Coats Ltd");
    Res created = api.post("/api/v1/purchase-orders", owner.token(), new JsonObject().put("supplierId", supplier)
      .put("items", new JsonArray().add(line(a, 10, 2000)).add(line(b, 5, 3000))).put("expectedAt", "2026-12-01T00:00:00Z"));
    assertEquals(201, created.status(), created::toString);
    assertEquals("DRAFT", created.json().getString("status"));
    assertEquals(String.valueOf(10 * 2000 + 5 * 3000), created.json().getString("orderedValue"));
    String po = created.id();
    assertEquals("/api/v1/purchase-orders/" + po, created.location());

    Res patched = api.patch("/api/v1/purchase-orders/" + po, owner.token(), new JsonObject().put("items", new JsonArray()
      .add(line(a, 10, 2000)).add(line(b, 6, 3000))).put("note", "rush"));
    assertEquals(200, patched.status(), patched::toString);
    assertProblem(receive(staff, po, line(a, 1, 2000)), 409);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null).status());
    assertProblem(api.patch("/api/v1/purchase-orders/" + po, owner.token(), new JsonObject().put("note", "late change")), 409);
    assertProblem(api.delete("/api/v1/purchase-orders/" + po, owner.token()), 409);
    assertProblem(api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null), 409);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null).status());

    Res first = receive(staff, po, new JsonObject().put("variantId", a).put("quantity", 4).put("unitCost", 2100));
    assertEquals(201, first.status(), first::toString);
    assertNull(first.location(), "a receipt has no URL of its own");
    JsonObject firstLine = first.json().getJsonObject("receipt").getJsonArray("lines").getJsonObject(0);
    assertEquals(2000, firstLine.getLong("orderedUnitCost"));
    assertEquals(2100, firstLine.getLong("unitCost"));
    assertEquals(100, firstLine.getLong("unitVariance"));
    assertEquals("400", firstLine.getString("variance"));
    assertNull(firstLine.getValue("lineVariance"), "the stored name stays inside");
    assertEquals(4, api.stock(owner, a));

    JsonObject over = assertProblem(receive(staff, po, new JsonObject().put("variantId", a).put("quantity", 7)), 409);
    assertEquals(6, over.getJsonArray("lines").getJsonObject(0).getLong("outstanding"));
    assertEquals(4, api.stock(owner, a));

    Res second = receive(staff, po, new JsonObject().put("variantId", a).put("quantity", 6).put("unitCost", 1900),
      new JsonObject().put("variantId", b).put("quantity", 6));
    assertEquals(201, second.status(), second::toString);
    JsonObject after = second.json().getJsonObject("purchaseOrder");
    assertEquals("RECEIVED", after.getString("status"));
    assertEquals(16, after.getLong("receivedUnits"));
    assertEquals(String.valueOf(4 * 2100 + 6 * 1900 + 6 * 3000), after.getString("receivedValue"));
    assertEquals(String.valueOf(400 - 600), after.getString("totalVariance"));
    assertEquals(2, api.get("/api/v1/purchase-orders/" + po + "/receipts", owner.token()).items().size());
    assertEquals(1900, api.get("/api/v1/variants/" + a, owner.token()).json().getLong("lastUnitCost"));
    assertProblem(receive(staff, po, new JsonObject().put("variantId", b).put("quantity", 1)), 409);
    assertProblem(api.post("/api/v1/purchase-orders/" + po + "/cancel", owner.token(), null), 409);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("close short after a partial delivery; cancel only before anything arrived; DRAFT can be deleted")
  void closeCancelDelete() {
    Session owner = api.signup("PO Close Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Tent"), "TENT", 9000).getString("id");
    String supplier = api.createSupplier(owner, "Camp");
    String draft = api.createPurchaseOrder(owner, supplier, v, 5, 100);
    assertEquals(204, api.delete("/api/v1/purchase-orders/" + draft, owner.token()).status());
    assertProblem(api.get("/api/v1/purchase-orders/" + draft, owner.token()), 404);

    String cancelled = api.createPurchaseOrder(owner, supplier, v, 5, 100);
    api.post("/api/v1/purchase-orders/" + cancelled + "/send", owner.token(), null);
    assertEquals("CANCELLED", api.post("/api/v1/purchase-orders/" + cancelled + "/cancel", owner.token(), null).json().getString("status"));
    assertProblem(api.post("/api/v1/purchase-orders/" + cancelled + "/confirm", owner.token(), null), 409);

    String partial = api.createPurchaseOrder(owner, supplier, v, 10, 100);
    api.post("/api/v1/purchase-orders/" + partial + "/send", owner.token(), null);
    assertProblem(api.post("/api/v1/purchase-orders/" + partial + "/close", owner.token(), null), 409);
    api.post("/api/v1/purchase-orders/" + partial + "/confirm", owner.token(), null);
    assertProblem(api.post("/api/v1/purchase-orders/" + partial + "/close", owner.token(), null), 409);
    assertEquals(201, api.receive(owner, partial, v, 3).status());
    assertProblem(api.post("/api/v1/purchase-orders/" + partial + "/cancel", owner.token(), null), 409);
    Res closed = api.post("/api/v1/purchase-orders/" + partial + "/close", owner.token(), null);
    assertEquals("CLOSED", closed.json().getString("status"), closed::toString);
    assertProblem(api.receive(owner, partial, v, 1), 409);
    assertEquals(3, api.stock(owner, v));
    assertEquals(1, api.get("/api/v1/purchase-orders?status=CLOSED", owner.token()).items().size());
    String open = api.createPurchaseOrder(owner, supplier, v, 1, 100);
    assertProblem(api.delete("/api/v1/suppliers/" + supplier, owner.token()), 409);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + open + "/cancel", owner.token(), null).status());
    assertEquals(3, api.get("/api/v1/purchase-orders?supplierId=" + supplier, owner.token()).items().size());
    assertEquals(204, api.delete("/api/v1/suppliers/" + supplier, owner.token()).status(), "no open orders left");
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a purchase order's receipts page with limit and cursor: all of them, oldest first, none twice; a bad cursor is 400")
  void receiptsPage() {
    Session owner = api.signup("PO Pages Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Nail"), "NAIL", 10).getString("id");
    String po = api.createPurchaseOrder(owner, api.createSupplier(owner, "Nails Ltd"), v, 10, 5);
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/send", owner.token(), null).status());
    assertEquals(200, api.post("/api/v1/purchase-orders/" + po + "/confirm", owner.token(), null).status());
    List<String> received = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Res receipt = api.receive(owner, po, v, 1);
      assertEquals(201, receipt.status(), receipt::toString);
      received.add(receipt.json().getJsonObject("receipt").getString("id"));
    }
    String base = "/api/v1/purchase-orders/" + po + "/receipts?limit=2";
    List<String> paged = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      Res page = api.get(base + (cursor == null ? "" : "&cursor=" + cursor), owner.token());
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(r -> paged.add(((JsonObject) r).getString("id")));
      sizes.add(page.items().size());
      assertTrue(page.json().containsKey("nextCursor"), page::toString);
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    assertEquals(received, paged, "every receipt once, in the order they were taken");
    assertEquals(List.of(2, 2, 1), sizes);
    assertEquals(5, api.get("/api/v1/purchase-orders/" + po + "/receipts", owner.token()).items().size(), "default limit 50");
    assertProblem(api.get(base + "&cursor=bm90LWEtY3Vyc29y", owner.token()), 400);
    assertProblem(api.get("/api/v1/purchase-orders/" + po + "/receipts?limit=0", owner.token()), 400);
    assertProblem(api.get("/api/v1/purchase-orders/" + po + "/receipts?limit=201", owner.token()), 400);
    assertEquals(5, api.stock(owner, v), "reading receipts changes nothing");
  }

  @Test
  @DisplayName("bad purchase orders: unknown supplier or variant, duplicate lines, bad dates; foreign ids are 404")
  void validationAndIsolation() {
    Session owner = api.signup("PO Bad Co");
    Session other = api.signup("PO Other Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Lamp"), "LAMP", 100).getString("id");
    String supplier = api.createSupplier(owner, "Lights");
    String foreignSupplier = api.createSupplier(other, "Theirs");
    JsonObject base = new JsonObject().put("supplierId", supplier).put("items", new JsonArray().add(line(v, 1, 10)));
    assertProblem(api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("supplierId", foreignSupplier)), 404);
    assertProblem(api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("items", new JsonArray().add(line("nope", 1, 10)))), 404);
    assertProblem(api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("items", new JsonArray().add(line(v, 1, 10)).add(line(v, 2, 10)))), 400);
    assertProblem(api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("expectedAt", "soon")), 400);
    // BSON dates outside 1970-9999 would come back as extended JSON: refused, and the answer says the range
    JsonObject yearOne = assertProblem(api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("expectedAt", "0001-01-01T00:00:00Z")), 400);
    assertTrue(yearOne.getString("detail").contains("1970-01-01T00:00:00Z"), yearOne::encode);
    assertProblem(api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("expectedAt", "1969-12-31T23:59:59Z")), 400);
    assertProblem(api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("items", new JsonArray().add(line(v, 0, 10)))), 400);
    assertEquals(0, api.get("/api/v1/purchase-orders", owner.token()).items().size());
    Res precise = api.post("/api/v1/purchase-orders", owner.token(), base.copy().put("expectedAt", "9999-12-31T10:00:00.123456+02:00"));
    assertEquals(201, precise.status(), precise::toString);
    assertEquals("9999-12-31T08:00:00.123Z", precise.json().getString("expectedAt"), "kept to the millisecond BSON stores");
    assertEquals("9999-12-31T08:00:00.123Z", api.get("/api/v1/purchase-orders/" + precise.id(), owner.token()).json().getString("expectedAt"));
    api.delete("/api/v1/purchase-orders/" + precise.id(), owner.token());

    String po = api.createPurchaseOrder(owner, supplier, v, 5, 100);
    for (String path : new String[] {"", "/send", "/confirm", "/cancel", "/close", "/receipts"}) {
      Res res = path.isEmpty() ? api.get("/api/v1/purchase-orders/" + po, other.token())
        : path.equals("/receipts") ? api.receive(other, po, v, 1)
        : api.post("/api/v1/purchase-orders/" + po + path, other.token(), null);
      assertProblem(res, 404);
    }
    assertEquals("DRAFT", api.get("/api/v1/purchase-orders/" + po, owner.token()).json().getString("status"));
    assertNull(api.get("/api/v1/purchase-orders/" + po, owner.token()).json().getString("note"));
  }
}
