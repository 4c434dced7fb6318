package io.stockroom;

import io.stockroom.platform.kernel.BoundedUnit;
import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's figures live on the variants and are derived from the ledger: the rebuild on the management port
 * recomputes them, reports what differs, and with {@code fix=true} writes them back; and no unit writes more than its
 * bound, however large the request.
 */
class FiguresRebuildTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  @Test
  @DisplayName("the rebuild finds figures that disagree with the ledger, fixes them, and then finds nothing")
  void rebuildReportsAndFixes() {
    Session owner = api.signup("Rebuild Co");
    String product = api.createProduct(owner, "R");
    String sold = api.createVariant(owner, product, "RB-1", 250, 20).getString("id");
    String kept = api.createVariant(owner, product, "RB-2", 100, 5).getString("id");
    assertEquals(201, api.placeOrder(owner, Api.order(sold, 3)).status());

    JsonObject clean = rebuild(owner.tenantId(), false);
    assertEquals(2L, clean.getLong("checkedVariants"), clean::encode);
    assertEquals(0L, clean.getLong("differing"), clean::encode);

    stack.mongo.updateCollection("variants", new JsonObject().put("_id", sold),
      new JsonObject().put("$set", new JsonObject().put("days", new JsonArray()).put("salesCap", 0L))).await();
    stack.mongo.updateCollection("variants", new JsonObject().put("_id", kept),
      new JsonObject().put("$set", new JsonObject().put("worth.p", 1L).put("low", false))).await();
    JsonObject found = rebuild(owner.tenantId(), false);
    assertEquals(2L, found.getLong("differing"), found::encode);
    assertEquals(0L, found.getLong("fixed"));
    Map<String, JsonArray> fields = new java.util.HashMap<>();
    found.getJsonArray("differences").forEach(d -> fields.put(((JsonObject) d).getString("sku"), ((JsonObject) d).getJsonArray("fields")));
    assertEquals(new JsonArray().add("days"), fields.get("RB-1"), found::encode);
    assertEquals(new JsonArray().add("low").add("worth"), fields.get("RB-2"), found::encode);
    assertEquals(0, api.get("/api/v1/dashboard", owner.token()).json().getJsonArray("topSellers").size(),
      "with its day buckets gone the variant is no top seller: the dashboard reads the variants' figures");

    JsonObject fixed = rebuild(owner.tenantId(), true);
    assertEquals(2L, fixed.getLong("fixed"), fixed::encode);
    assertEquals(0L, rebuild(owner.tenantId(), false).getLong("differing"));
    JsonArray top = api.get("/api/v1/dashboard", owner.token()).json().getJsonArray("topSellers");
    assertEquals(3L, top.getJsonObject(0).getLong("unitsSold"), top::encode);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("the rebuild refuses what it cannot name: a malformed tenant id or fix flag is a 400")
  void rebuildValidates() {
    assertProblem(send("/tenants/not-an-id/figures/rebuild"), 400);
    assertProblem(send("/tenants/" + new org.bson.types.ObjectId().toHexString() + "/figures/rebuild?fix=yes"), 400);
    JsonObject unknown = rebuild(new org.bson.types.ObjectId().toHexString(), false);
    assertEquals(0L, unknown.getLong("checkedVariants"), unknown::encode);
  }

  @Test
  @DisplayName("the largest unit, a 500-variant matrix with opening stock, stays within the bound every unit of the suite keeps")
  void unitsStayBounded() {
    Session owner = api.signup("Bounded Co");
    String product = api.createProduct(owner, "Big");
    JsonArray sizes = new JsonArray();
    JsonArray colours = new JsonArray();
    for (int i = 0; i < 25; i++) sizes.add("s" + i);
    for (int i = 0; i < 20; i++) colours.add("c" + i);
    Res created = api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject()
      .put("matrix", new JsonObject().put("n", sizes).put("c", colours)).put("skuPattern", "B-{n}-{c}").put("price", 100).put("openingStock", 2));
    assertEquals(201, created.status(), created::toString);
    Map<String, Integer> largest = BoundedUnit.largest();
    int matrix = largest.getOrDefault(io.stockroom.catalog.CatalogContract.VARIANTS_CREATE.unitName(), 0);
    assertTrue(matrix >= 1_000, "the matrix unit wrote its 500 variants and 500 movements: " + largest);
    List<String> over = largest.entrySet().stream().filter(e -> e.getValue() > BoundedUnit.MAX_WRITES).map(Map.Entry::getKey).toList();
    assertEquals(List.of(), over, "units of this suite over the bound: " + largest);
    System.out.println("Largest unit of each kind in this run (documents written): " + largest);
    Invariants.assertHold(stack, owner);
  }

  private JsonObject rebuild(String tenantId, boolean fix) {
    Res res = send("/tenants/" + tenantId + "/figures/rebuild?fix=" + fix);
    assertEquals(200, res.status(), res::toString);
    return res.json();
  }

  private Res send(String path) {
    return stack.management.post(path, null, null);
  }
}
