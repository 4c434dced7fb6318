package io.stockroom;

import io.stockroom.inventory.kernel.BoundedUnit;
import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;
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
    assertEquals(new JsonArray(), clean.getJsonObject("projection").getJsonArray("differences"), clean::encode);

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

    assertTrue(found.getJsonObject("projection").getJsonArray("differences").size() > 0,
      "the variants' wrong figures no longer add up to the projection: " + found.encode());
    JsonObject fixed = rebuild(owner.tenantId(), true);
    assertEquals(2L, fixed.getLong("fixed"), fixed::encode);
    JsonObject again = rebuild(owner.tenantId(), false);
    assertEquals(0L, again.getLong("differing"));
    assertEquals(new JsonArray(), again.getJsonObject("projection").getJsonArray("differences"), again::encode);
    JsonArray top = api.get("/api/v1/dashboard", owner.token()).json().getJsonArray("topSellers");
    assertEquals(3L, top.getJsonObject(0).getLong("unitsSold"), top::encode);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("the rebuild checks the dashboard's projection against the variants: a wrong total and a wrong day are reported, fixed, and then clean")
  void projectionCheckedAndFixed() {
    Session owner = api.signup("Projection Co");
    String product = api.createProduct(owner, "P");
    String first = api.createVariant(owner, product, "PJ-1", 300, 10).getString("id");
    api.createVariant(owner, product, "PJ-2", 120, 4);
    assertEquals(201, api.placeOrder(owner, Api.order(first, 2)).status());
    JsonObject clean = rebuild(owner.tenantId(), false).getJsonObject("projection");
    assertEquals(2L, clean.getLong("checkedVariants"), clean::encode);
    assertEquals(new JsonArray(), clean.getJsonArray("differences"), clean::encode);
    String shownBefore = api.get("/api/v1/dashboard", owner.token()).json().getJsonObject("inventoryValue").getString("atPrice");

    // wait for the projector to have written the totals, then break them and today's flows behind its back
    JsonObject totals = awaitTotals(owner.tenantId());
    stack.mongo.updateCollection("dashboard_totals", new JsonObject().put("_id", owner.tenantId()),
      new JsonObject().put("$set", new JsonObject().put("w.p", new JsonObject().put("$numberDecimal", "7")))).await();
    String day = stack.mongo.find("dashboard_days", new JsonObject().put("tenantId", owner.tenantId())).await().get(0).getString("day");
    stack.mongo.updateCollection("dashboard_days", new JsonObject().put("_id", owner.tenantId() + ":" + day),
      new JsonObject().put("$inc", new JsonObject().put("o.SALE", 5L))).await();
    assertTrue(totals.containsKey("w"));

    JsonObject report = rebuild(owner.tenantId(), false);
    assertEquals(0L, report.getLong("differing"), "the variants themselves are right: " + report.encode());
    JsonObject found = report.getJsonObject("projection");
    assertEquals(2, found.getJsonArray("differences").size(), found::encode);
    assertEquals("dashboard_totals", found.getJsonArray("differences").getJsonObject(0).getString("document"));
    assertEquals(day, found.getJsonArray("differences").getJsonObject(1).getString("day"), found::encode);
    assertEquals(false, found.getBoolean("fixed"));

    JsonObject fixed = rebuild(owner.tenantId(), true).getJsonObject("projection");
    assertEquals(true, fixed.getBoolean("fixed"), fixed::encode);
    JsonObject after = rebuild(owner.tenantId(), false).getJsonObject("projection");
    assertEquals(new JsonArray(), after.getJsonArray("differences"), after::encode);
    assertEquals(shownBefore, api.get("/api/v1/dashboard", owner.token()).json().getJsonObject("inventoryValue").getString("atPrice"));
    Invariants.assertHold(stack, owner);
  }

  private JsonObject awaitTotals(String tenantId) {
    // the pass's compare-and-sets on the variants go out before its day upserts: wait for both
    Supplier<JsonObject> takenTotals = () -> {
      JsonObject totals = stack.mongo.findOne("dashboard_totals", new JsonObject().put("_id", tenantId), null).await();
      boolean taken = stack.mongo.find("variants", new JsonObject().put("tenantId", tenantId).put("figuresPending", true)).await().isEmpty();
      boolean dayWritten = !stack.mongo.find("dashboard_days", new JsonObject().put("tenantId", tenantId)).await().isEmpty();
      return taken && dayWritten ? totals : null;
    };
    JsonObject totals = Eventually.value(Duration.ofSeconds(10), takenTotals, java.util.Objects::nonNull);
    if (totals != null) return totals;
    throw new AssertionError("the projector did not take the tenant's figures within 10 s");
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
    Res created = api.post("/api/v1/products/" + product + "/variant-matrix", owner.token(), new JsonObject()
      .put("matrix", new JsonObject().put("n", sizes).put("c", colours)).put("skuPattern", "B-{n}-{c}").put("price", 100).put("openingStock", 2));
    assertEquals(201, created.status(), created::toString);
    Map<String, Integer> largest = BoundedUnit.largest();
    int matrix = largest.getOrDefault(io.stockroom.catalog.CatalogContract.VARIANT_MATRIX_CREATE.unitName(), 0);
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
