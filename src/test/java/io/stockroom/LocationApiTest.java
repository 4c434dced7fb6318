package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocationApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private JsonObject level(Session s, String variantId, String locationId) {
    Res levels = api.get("/api/v1/variants/" + variantId + "/levels", s.token());
    assertEquals(200, levels.status(), levels::toString);
    return levels.items().stream().map(o -> (JsonObject) o).filter(r -> locationId.equals(r.getString("locationId")))
      .findFirst().orElseThrow(() -> new AssertionError("no level row for " + locationId + " in " + levels));
  }

  private Res adjust(Session s, String variantId, long quantity, String locationId) {
    JsonObject body = new JsonObject().put("quantity", quantity).put("reason", "test");
    if (locationId != null) body.put("locationId", locationId);
    return api.post("/api/v1/variants/" + variantId + "/adjustments", s.token(), body);
  }

  private Res stateMove(Session s, String variantId, String from, String to, long quantity, String locationId) {
    JsonObject body = new JsonObject().put("from", from).put("to", to).put("quantity", quantity).put("reason", "inspection");
    if (locationId != null) body.put("locationId", locationId);
    return api.post("/api/v1/variants/" + variantId + "/state-moves", s.token(), body);
  }

  @Test
  @DisplayName("every tenant has a default location; locations are created, renamed, deactivated and deleted, codes unique per tenant")
  void locationLifecycle() {
    Session owner = api.signup("Locations Co");
    Session staff = api.addUser(owner, "STAFF");
    Res list = api.get("/api/v1/locations", owner.token());
    assertEquals(200, list.status(), list::toString);
    assertEquals(1, list.items().size());
    JsonObject main = list.items().getJsonObject(0);
    assertEquals(owner.tenantId(), main.getString("id"));
    assertTrue(main.getBoolean("default"));
    assertTrue(main.getBoolean("active"));

    String store = api.createLocation(owner, "STORE-1");
    assertProblem(api.post("/api/v1/locations", owner.token(), new JsonObject().put("name", "Again").put("code", "STORE-1")), 409);
    assertProblem(api.post("/api/v1/locations", owner.token(), new JsonObject().put("name", "Main again").put("code", "MAIN")), 409);
    assertProblem(api.post("/api/v1/locations", staff.token(), new JsonObject().put("name", "S").put("code", "S")), 403);
    assertProblem(api.post("/api/v1/locations", owner.token(), new JsonObject().put("name", "No code")), 400);
    Res renamed = api.patch("/api/v1/locations/" + store, owner.token(), new JsonObject().put("name", "High Street").put("active", false));
    assertEquals(200, renamed.status(), renamed::toString);
    assertEquals("High Street", renamed.json().getString("name"));
    assertFalse(renamed.json().getBoolean("active"));
    assertFalse(renamed.json().getBoolean("default"));
    assertProblem(api.patch("/api/v1/locations/" + owner.tenantId(), owner.token(), new JsonObject().put("active", false)), 409);
    assertEquals(200, api.patch("/api/v1/locations/" + owner.tenantId(), owner.token(), new JsonObject().put("name", "Warehouse")).status());
    assertEquals("Warehouse", api.get("/api/v1/locations/" + owner.tenantId(), owner.token()).json().getString("name"));
    assertEquals(2, api.get("/api/v1/locations", staff.token()).items().size());

    assertProblem(api.delete("/api/v1/locations/" + owner.tenantId(), owner.token()), 409);
    assertEquals(204, api.delete("/api/v1/locations/" + store, owner.token()).status());
    assertProblem(api.get("/api/v1/locations/" + store, owner.token()), 404);
    assertProblem(api.get("/api/v1/locations/not-an-id", owner.token()), 404);

    Session other = api.signup("Other Co");
    String theirs = api.createLocation(other, "THEIRS");
    assertProblem(api.get("/api/v1/locations/" + theirs, owner.token()), 404);
    assertProblem(api.get("/api/v1/locations/" + other.tenantId(), owner.token()), 404);
    assertProblem(api.patch("/api/v1/locations/" + theirs, owner.token(), new JsonObject().put("name", "Mine")), 404);
    assertProblem(api.delete("/api/v1/locations/" + theirs, owner.token()), 404);
    assertEquals(200, api.get("/api/v1/locations/" + theirs, other.token()).status());
  }

  @Test
  @DisplayName("stock is kept per location: adjustments and counts name one, levels show every location, the variant its totals")
  void stockPerLocation() {
    Session owner = api.signup("Levels Co");
    String store = api.createLocation(owner, "STORE");
    String v = api.createVariant(owner, api.createProduct(owner, "Lamp"), "LAMP", 2500, 10).getString("id");

    JsonObject main = level(owner, v, owner.tenantId());
    assertEquals(10, main.getLong("stock"));
    assertEquals(10, main.getLong("available"));
    JsonObject empty = level(owner, v, store);
    assertEquals(0, empty.getLong("stock"));
    assertEquals(new JsonObject().put("damaged", 0).put("qualityControl", 0).put("safetyStock", 0), empty.getJsonObject("unavailable"));

    Res in = adjust(owner, v, 4, store);
    assertEquals(201, in.status(), in::toString);
    assertEquals(store, in.json().getString("locationId"));
    assertEquals(14, in.json().getLong("stockAfter"));
    assertEquals(4, level(owner, v, store).getLong("stock"));
    JsonObject variant = api.get("/api/v1/variants/" + v, owner.token()).json();
    assertEquals(14, variant.getLong("stock"));
    assertEquals(14, variant.getLong("available"));

    JsonObject tooMuch = assertProblem(adjust(owner, v, -5, store), 409);
    assertEquals(4, tooMuch.getLong("available"));
    assertProblem(adjust(owner, v, 1, "0123456789abcdef01234567"), 404);
    assertProblem(adjust(owner, v, 1, "nope"), 400);

    Res count = api.post("/api/v1/variants/" + v + "/counts", owner.token(),
      new JsonObject().put("locationId", store).put("expectedQuantity", 4).put("countedQuantity", 3));
    assertEquals(201, count.status(), count::toString);
    assertEquals(-1, count.json().getLong("quantity"));
    assertProblem(api.post("/api/v1/variants/" + v + "/counts", owner.token(),
      new JsonObject().put("locationId", store).put("expectedQuantity", 4).put("countedQuantity", 4)), 409);
    assertEquals(3, level(owner, v, store).getLong("stock"));
    assertEquals(10, level(owner, v, owner.tenantId()).getLong("stock"));

    Res movements = api.get("/api/v1/stock-movements?variantId=" + v, owner.token());
    JsonObject last = movements.items().getJsonObject(movements.items().size() - 1);
    assertEquals(store, last.getString("locationId"));
    assertEquals("available", last.getString("from"));
    assertNull(last.getString("to"));
    assertEquals(1, last.getLong("units"));

    assertProblem(api.delete("/api/v1/locations/" + store, owner.token()), 409);
    assertEquals(201, adjust(owner, v, -3, store).status());
    assertEquals(204, api.delete("/api/v1/locations/" + store, owner.token()).status());
    assertProblem(adjust(owner, v, 1, store), 404);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("state moves take units out of available into damaged, quality control or safety stock and back; on hand stays")
  void stateMoves() {
    Session owner = api.signup("States Co");
    Session staff = api.addUser(owner, "STAFF");
    String v = api.createVariant(owner, api.createProduct(owner, "Vase"), "VASE", 900, 10).getString("id");

    Res damaged = stateMove(owner, v, "available", "damaged", 3, null);
    assertEquals(201, damaged.status(), damaged::toString);
    assertEquals(201, stateMove(owner, v, "available", "qualityControl", 2, null).status());
    assertEquals(201, stateMove(owner, v, "available", "safetyStock", 1, null).status());
    JsonObject main = level(owner, v, owner.tenantId());
    assertEquals(10, main.getLong("stock"));
    assertEquals(4, main.getLong("available"));
    assertEquals(new JsonObject().put("damaged", 3).put("qualityControl", 2).put("safetyStock", 1), main.getJsonObject("unavailable"));
    JsonObject variant = api.get("/api/v1/variants/" + v, owner.token()).json();
    assertEquals(10, variant.getLong("stock"));
    assertEquals(4, variant.getLong("available"));

    JsonObject shortage = assertProblem(api.placeOrderAsync(owner, Api.order(v, 5), Api.newKey()).await(), 409);
    assertEquals(4, shortage.getJsonArray("shortages").getJsonObject(0).getLong("available"));
    assertProblem(stateMove(owner, v, "available", "damaged", 5, null), 409);
    assertProblem(stateMove(owner, v, "damaged", "available", 4, null), 409);
    assertProblem(stateMove(owner, v, "damaged", "safetyStock", 1, null), 400);
    assertProblem(stateMove(owner, v, "available", "available", 1, null), 400);
    assertProblem(stateMove(owner, v, "available", "reserved", 1, null), 400);
    assertProblem(stateMove(staff, v, "available", "damaged", 1, null), 403);
    assertProblem(adjust(owner, v, -5, null), 409);

    assertEquals(201, stateMove(owner, v, "qualityControl", "available", 2, null).status());
    assertEquals(6, level(owner, v, owner.tenantId()).getLong("available"));
    assertEquals(201, api.placeOrder(owner, Api.order(v, 6)).status());
    assertEquals(0, level(owner, v, owner.tenantId()).getLong("available"));
    assertEquals(4, api.stock(owner, v));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("the allocation rule names existing locations once; another tenant's location is a 404")
  void allocationRule() {
    Session owner = api.signup("Rules Co");
    Res initial = api.get("/api/v1/allocation-rule", owner.token());
    assertEquals(200, initial.status(), initial::toString);
    assertEquals("PRIORITY", initial.json().getString("strategy"));
    assertEquals(new JsonArray(), initial.json().getJsonArray("locationIds"));
    String a = api.createLocation(owner, "A");
    String b = api.createLocation(owner, "B");
    Res set = api.put("/api/v1/allocation-rule", owner.token(), new JsonObject().put("strategy", "MOST_AVAILABLE")
      .put("locationIds", new JsonArray().add(b).add(a)));
    assertEquals(200, set.status(), set::toString);
    assertEquals(new JsonArray().add(b).add(a), api.get("/api/v1/allocation-rule", owner.token()).json().getJsonArray("locationIds"));
    String theirs = api.createLocation(api.signup("Them"), "T");
    assertProblem(api.put("/api/v1/allocation-rule", owner.token(), new JsonObject().put("strategy", "PRIORITY")
      .put("locationIds", new JsonArray().add(theirs))), 404);
    assertProblem(api.put("/api/v1/allocation-rule", owner.token(), new JsonObject().put("strategy", "PRIORITY")
      .put("locationIds", new JsonArray().add(a).add(a))), 400);
    assertProblem(api.put("/api/v1/allocation-rule", owner.token(), new JsonObject().put("strategy", "RANDOM")), 400);
    assertEquals("MOST_AVAILABLE", api.get("/api/v1/allocation-rule", owner.token()).json().getString("strategy"));
  }

  @Test
  @DisplayName("the dashboard of one location shows the value held there and the low stock of variants with their own level there")
  void dashboardPerLocation() {
    Session owner = api.signup("Dashboard Locations Co");
    String main = owner.tenantId();
    String store = api.createLocation(owner, "STORE");
    String v = api.createVariant(owner, api.createProduct(owner, "Mug"), "MUG", 1000, 10).getString("id");
    assertEquals(201, adjust(owner, v, 4, store).status());

    assertEquals("14000", api.get("/api/v1/dashboard", owner.token()).json().getJsonObject("inventoryValue").getString("atPrice"));
    JsonObject atStore = api.get("/api/v1/dashboard?locationId=" + store, owner.token()).json();
    assertEquals(store, atStore.getString("locationId"));
    assertEquals("4000", atStore.getJsonObject("inventoryValue").getString("atPrice"));
    assertEquals("10000", api.get("/api/v1/dashboard?locationId=" + main, owner.token()).json().getJsonObject("inventoryValue").getString("atPrice"));
    assertEquals(0, atStore.getJsonArray("lowStock").size());

    assertProblem(api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("locationReorderLevels",
      new JsonObject().put("0123456789abcdef01234567", 3))), 404);
    assertProblem(api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("locationReorderLevels",
      new JsonObject().put("not-a-location", 3))), 400);
    Res patched = api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("locationReorderLevels", new JsonObject().put(store, 5)));
    assertEquals(200, patched.status(), patched::toString);
    assertEquals(new JsonObject().put(store, 5), patched.json().getJsonObject("locationReorderLevels"));
    JsonObject low = api.get("/api/v1/dashboard?locationId=" + store, owner.token()).json();
    assertEquals(1, low.getJsonArray("lowStock").size(), low::encode);
    JsonObject row = low.getJsonArray("lowStock").getJsonObject(0);
    assertEquals("MUG", row.getString("sku"));
    assertEquals(4, row.getLong("available"));
    assertEquals(1, row.getLong("shortfall"));
    assertEquals(0, api.get("/api/v1/dashboard?locationId=" + main, owner.token()).json().getJsonArray("lowStock").size());
    assertEquals(0, api.get("/api/v1/dashboard", owner.token()).json().getJsonArray("lowStock").size());

    Res transfer = api.post("/api/v1/transfers", owner.token(), new JsonObject().put("fromLocationId", main).put("toLocationId", store)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 2))));
    assertEquals(200, api.post("/api/v1/transfers/" + transfer.id() + "/ship", owner.token(), null).status());
    assertEquals(0, api.get("/api/v1/dashboard?locationId=" + store, owner.token()).json().getJsonArray("lowStock").size(),
      "4 available and 2 incoming are above the store's level of 5");
    assertEquals("8000", api.get("/api/v1/dashboard?locationId=" + main, owner.token()).json().getJsonObject("inventoryValue").getString("atPrice"));

    assertEquals(200, api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("locationReorderLevels",
      new JsonObject().putNull(store))).status());
    assertEquals(new JsonObject(), api.get("/api/v1/variants/" + v, owner.token()).json().getJsonObject("locationReorderLevels"));
    assertProblem(api.get("/api/v1/dashboard?locationId=0123456789abcdef01234567", owner.token()), 404);
    assertProblem(api.get("/api/v1/dashboard?locationId=" + api.signup("Elsewhere").tenantId(), owner.token()), 404);
    Invariants.assertHold(stack, owner);
  }

  /** MAIN stock/available/reserved/damaged, STORE stock/available/inTransit, variant stock/available. */
  private void assertRow(Session s, String v, String store, long... expected) {
    JsonObject main = level(s, v, s.tenantId());
    JsonObject at = level(s, v, store);
    JsonObject variant = api.get("/api/v1/variants/" + v, s.token()).json();
    long[] actual = {main.getLong("stock"), main.getLong("available"), main.getLong("reserved"),
      main.getJsonObject("unavailable").getLong("damaged"), at.getLong("stock"), at.getLong("available"), at.getLong("inTransit"),
      variant.getLong("stock"), variant.getLong("available")};
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
  }

  @Test
  @DisplayName("the worked example of docs/api.md's quantity model holds step by step")
  void readmeWorkedExample() {
    Session owner = api.signup("Worked Example Co");
    String store = api.createLocation(owner, "STORE");
    String v = api.createVariant(owner, api.createProduct(owner, "Example"), "EXAMPLE", 1000, 10).getString("id");
    assertRow(owner, v, store, 10, 10, 0, 0, 0, 0, 0, 10, 10);
    assertEquals(201, stateMove(owner, v, "available", "damaged", 2, null).status());
    assertRow(owner, v, store, 10, 8, 0, 2, 0, 0, 0, 10, 8);
    Res held = api.post("/api/v1/reservations", owner.token(), new JsonObject().put("ttlSeconds", 900)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 3))));
    assertEquals(201, held.status(), held::toString);
    assertRow(owner, v, store, 10, 5, 3, 2, 0, 0, 0, 10, 5);
    Res transfer = api.post("/api/v1/transfers", owner.token(), new JsonObject().put("fromLocationId", owner.tenantId()).put("toLocationId", store)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 4))));
    assertEquals(200, api.post("/api/v1/transfers/" + transfer.id() + "/ship", owner.token(), null).status());
    assertRow(owner, v, store, 6, 1, 3, 2, 0, 0, 4, 6, 1);
    api.placeOrder(owner, Api.order(v, 2).put("reservationId", held.id()));
    assertRow(owner, v, store, 4, 2, 0, 2, 0, 0, 4, 4, 2);
    assertEquals(200, api.post("/api/v1/transfers/" + transfer.id() + "/receive", owner.token(), new JsonObject()
      .put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 3)))).status());
    assertRow(owner, v, store, 4, 2, 0, 2, 3, 3, 1, 7, 5);
    Res split = api.placeOrder(owner, Api.order(v, 4));
    assertEquals(2, split.json().getJsonArray("lines").getJsonObject(0).getJsonArray("allocations").size());
    assertRow(owner, v, store, 2, 0, 0, 2, 1, 1, 1, 3, 1);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("the cap of 100 locations holds under 30 concurrent creates; deleting one frees its slot")
  void locationCapHoldsUnderRaces() {
    Session owner = api.signup("Cap Race Locations Co");
    for (int i = 1; i < 95; i++) api.createLocation(owner, "PRE-" + i);  // 95 with the default one
    List<Res> answers = Future.all(IntStream.range(0, 30).mapToObj(i -> api.send(HttpMethod.POST, "/api/v1/locations", owner.token(),
      new JsonObject().put("name", "Raced " + i).put("code", "RACE-" + i))).toList()).await().list();
    List<Integer> statuses = answers.stream().map(r -> ((Res) r).status()).toList();
    assertEquals(5, statuses.stream().filter(status -> status == 201).count(), statuses::toString);
    assertEquals(25, statuses.stream().filter(status -> status == 409).count(), statuses::toString);
    answers.stream().map(r -> (Res) r).filter(r -> r.status() == 409).forEach(r -> assertProblem(r, 409));
    assertEquals(100, locationCount(owner));

    String freed = answers.stream().map(r -> (Res) r).filter(r -> r.status() == 201).findFirst().orElseThrow().id();
    assertEquals(204, api.delete("/api/v1/locations/" + freed, owner.token()).status());
    api.createLocation(owner, "AFTER-DELETE");
    assertProblem(api.post("/api/v1/locations", owner.token(), new JsonObject().put("name", "One more").put("code", "ONE-MORE")), 409);
    assertEquals(100, locationCount(owner));
  }

  private int locationCount(Session s) {
    int count = 0;
    String after = null;
    do {
      Res page = api.get("/api/v1/locations?limit=100" + (after == null ? "" : "&cursor=" + after), s.token());
      assertEquals(200, page.status(), page::toString);
      count += page.items().size();
      after = page.json().getString("nextCursor");
    } while (after != null);
    return count;
  }
}
