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

import java.util.ArrayList;
import java.util.List;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferApiTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private JsonObject level(Session s, String variantId, String locationId) {
    return api.get("/api/v1/variants/" + variantId + "/levels", s.token()).items().stream().map(o -> (JsonObject) o)
      .filter(r -> locationId.equals(r.getString("locationId"))).findFirst().orElseThrow();
  }

  private Res create(Session s, String from, String to, String variantId, long quantity) {
    return api.post("/api/v1/transfers", s.token(), new JsonObject().put("fromLocationId", from).put("toLocationId", to)
      .put("items", new JsonArray().add(new JsonObject().put("variantId", variantId).put("quantity", quantity))));
  }

  private Res receive(Session s, String transferId, String variantId, long quantity) {
    return api.post("/api/v1/transfers/" + transferId + "/receive", s.token(), new JsonObject()
      .put("items", new JsonArray().add(new JsonObject().put("variantId", variantId).put("quantity", quantity))));
  }

  @Test
  @DisplayName("a transfer ships units out of the source into transit (incoming at the destination) and is received in parts")
  void shipAndReceive() {
    Session owner = api.signup("Transfer Co");
    Session staff = api.addUser(owner, "STAFF");
    String main = owner.tenantId();
    String store = api.createLocation(owner, "STORE");
    String v = api.createVariant(owner, api.createProduct(owner, "Rug"), "RUG", 9900, 10).getString("id");

    assertProblem(create(owner, main, main, v, 1), 400);
    assertProblem(create(owner, main, "0123456789abcdef01234567", v, 1), 404);
    assertProblem(create(staff, main, store, v, 1), 403);
    Res draft = create(owner, main, store, v, 6);
    assertEquals(201, draft.status(), draft::toString);
    assertEquals("DRAFT", draft.json().getString("status"));
    assertEquals(10, level(owner, v, main).getLong("available"));

    Res shipped = api.post("/api/v1/transfers/" + draft.id() + "/ship", staff.token(), null);
    assertEquals(200, shipped.status(), shipped::toString);
    assertEquals("SHIPPED", shipped.json().getString("status"));
    assertEquals(4, level(owner, v, main).getLong("stock"));
    JsonObject arriving = level(owner, v, store);
    assertEquals(0, arriving.getLong("stock"));
    assertEquals(6, arriving.getLong("inTransit"));
    assertEquals(6, arriving.getLong("incoming"));
    JsonObject variant = api.get("/api/v1/variants/" + v, owner.token()).json();
    assertEquals(4, variant.getLong("stock"));
    assertEquals(6, variant.getLong("incoming"));
    assertProblem(api.post("/api/v1/transfers/" + draft.id() + "/ship", owner.token(), null), 409);
    assertProblem(api.post("/api/v1/transfers/" + draft.id() + "/cancel", owner.token(), null), 409);
    assertProblem(api.delete("/api/v1/locations/" + store, owner.token()), 409);

    String key = Api.newKey();
    JsonObject four = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", v).put("quantity", 4)));
    Res part = api.send(HttpMethod.POST, "/api/v1/transfers/" + draft.id() + "/receive", staff.token(), four, key).await();
    assertEquals(200, part.status(), part::toString);
    Res replay = api.send(HttpMethod.POST, "/api/v1/transfers/" + draft.id() + "/receive", staff.token(), four, key).await();
    assertEquals(part.text(), replay.text(), "a replay answers exactly the first answer, dates included");
    assertEquals("SHIPPED", part.json().getJsonObject("transfer").getString("status"));
    JsonObject over = assertProblem(receive(owner, draft.id(), v, 3), 409);
    assertEquals(2, over.getJsonArray("lines").getJsonObject(0).getLong("outstanding"));
    Res rest = receive(owner, draft.id(), v, 2);
    assertEquals("RECEIVED", rest.json().getJsonObject("transfer").getString("status"));
    assertProblem(receive(owner, draft.id(), v, 1), 409);
    JsonObject arrived = level(owner, v, store);
    assertEquals(6, arrived.getLong("stock"));
    assertEquals(0, arrived.getLong("inTransit"));
    assertEquals(10, api.stock(owner, v));
    List<String> types = api.get("/api/v1/stock-movements?type=TRANSFER&variantId=" + v, owner.token()).items().stream()
      .map(o -> ((JsonObject) o).getString("locationId") + ":" + ((JsonObject) o).getString("from") + ">" + ((JsonObject) o).getString("to")).toList();
    assertEquals(List.of(main + ":available>null", store + ":null>inTransit", store + ":inTransit>available", store + ":inTransit>available"), types);

    Res cancelled = create(owner, store, main, v, 1);
    assertEquals("CANCELLED", api.post("/api/v1/transfers/" + cancelled.id() + "/cancel", owner.token(), null).json().getString("status"));
    assertProblem(api.post("/api/v1/transfers/" + cancelled.id() + "/ship", owner.token(), null), 409);
    Res tooMany = create(owner, store, main, v, 7);
    assertProblem(api.post("/api/v1/transfers/" + tooMany.id() + "/ship", owner.token(), null), 409);
    assertEquals(6, level(owner, v, store).getLong("stock"));
    assertEquals(3, api.get("/api/v1/transfers", owner.token()).items().size());

    Session other = api.signup("Not Transfer Co");
    assertProblem(api.get("/api/v1/transfers/" + draft.id(), other.token()), 404);
    assertProblem(api.post("/api/v1/transfers/" + tooMany.id() + "/ship", other.token(), null), 404);
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("transfers shipping from a location race orders taking from it: together they never take more than it holds")
  void transfersRaceOrders() {
    Session owner = api.signup("Transfer Race Co");
    String main = owner.tenantId();
    String store = api.createLocation(owner, "STORE");
    String v = api.createVariant(owner, api.createProduct(owner, "Bowl"), "BOWL", 700, 20).getString("id");
    List<String> transfers = new ArrayList<>();
    for (int i = 0; i < 8; i++) transfers.add(create(owner, main, store, v, 2).id());
    List<Future<Res>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(api.send(HttpMethod.POST, "/api/v1/transfers/" + transfers.get(i) + "/ship", owner.token(), null, Api.newKey()));
      all.add(api.placeOrderAsync(owner, new JsonObject().put("items", new JsonArray()
        .add(new JsonObject().put("variantId", v).put("quantity", 1).put("locationId", main))), Api.newKey()));
    }
    Future.join(all).await();
    long shipped = 0;
    long sold = 0;
    for (int i = 0; i < all.size(); i++) {
      Res res = all.get(i).result();
      if (res.status() >= 300) {
        assertTrue(res.status() == 409 || res.status() == 503, res::toString);
        continue;
      }
      if (i % 2 == 0) shipped += 2; else sold += 1;
    }
    assertTrue(shipped + sold <= 20);
    assertEquals(20 - shipped - sold, level(owner, v, main).getLong("stock"));
    assertEquals(shipped, level(owner, v, store).getLong("inTransit"));
    Invariants.assertHold(stack, owner);
  }
}
