package io.stockroom;

import io.stockroom.api.Operation;
import io.stockroom.platform.security.Role;
import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every protected operation, called by every role: allowed roles succeed, the others get 403 and change nothing. */
class RoleMatrixTest {
  private static final TestStack STACK = TestStack.get();
  private static final Api API = STACK.api;
  private static Session owner;
  private static final Map<Role, Session> SESSIONS = new EnumMap<>(Role.class);
  private static String productId;
  private static String variantId;
  private static String supplierId;
  private static String staffUserId;
  private static String stockedVariantId;
  private static String storeId;

  record Call(HttpMethod method, String path, Object body, Supplier<Res> unchanged) {
  }

  @BeforeAll
  static void tenant() {
    owner = API.signup("Roles Co");
    SESSIONS.put(Role.OWNER, owner);
    SESSIONS.put(Role.MANAGER, API.addUser(owner, "MANAGER"));
    SESSIONS.put(Role.STAFF, API.addUser(owner, "STAFF"));
    staffUserId = SESSIONS.get(Role.STAFF).userId();
    productId = API.createProduct(owner, "Shirt");
    variantId = API.createVariant(owner, productId, "ROLE-" + UUID.randomUUID().toString().substring(0, 6), 1000).getString("id");
    supplierId = API.createSupplier(owner, "Supplier");
    stockedVariantId = API.createVariant(owner, productId, "STOCKED-" + UUID.randomUUID().toString().substring(0, 6), 1000, 1_000_000)
      .getString("id");
  }

  private static JsonObject oneUnit() {
    return new JsonObject().put("items", new io.vertx.core.json.JsonArray().add(new JsonObject()
      .put("variantId", stockedVariantId).put("quantity", 1)));
  }

  private static String placedOrder() {
    return API.placeOrder(owner, oneUnit()).id();
  }

  private static JsonObject transferBody() {
    if (storeId == null) storeId = API.createLocation(owner, sku());
    return oneUnit().put("fromLocationId", owner.tenantId()).put("toLocationId", storeId);
  }

  private static String transfer(String... transitions) {
    Res created = API.post("/api/v1/transfers", owner.token(), transferBody());
    assertEquals(201, created.status(), created::toString);
    for (String t : transitions) assertEquals(200, API.post("/api/v1/transfers/" + created.id() + "/" + t, owner.token(), null).status());
    return created.id();
  }

  private static JsonObject webhookBody() {
    return new JsonObject().put("url", "http://127.0.0.1:9/hooks").put("events", new io.vertx.core.json.JsonArray().add("stock.changed"));
  }

  private static String webhook() {
    Res created = API.post("/api/v1/webhooks", owner.token(), webhookBody());
    assertEquals(201, created.status(), created::toString);
    return created.id();
  }

  /** A delivery of the endpoint: an order's stock event, handed on by the background dispatcher within seconds. */
  private static String deliveryOf(String hook) {
    placedOrder();
    Res page = Eventually.value(Duration.ofSeconds(15), Duration.ofMillis(100), () -> API.get("/api/v1/webhooks/" + hook + "/deliveries", owner.token()),
      polled -> !polled.items().isEmpty());
    if (!page.items().isEmpty()) return page.items().getJsonObject(0).getString("id");
    throw new AssertionError("no delivery for webhook " + hook);
  }

  private static String reservation() {
    Res held = API.post("/api/v1/reservations", owner.token(), oneUnit().put("ttlSeconds", 600));
    assertEquals(201, held.status(), held::toString);
    return held.id();
  }

  private static String purchaseOrder(String... transitions) {
    String id = API.createPurchaseOrder(owner, supplierId, stockedVariantId, 1000, 250);
    for (String t : transitions) assertEquals(200, API.post("/api/v1/purchase-orders/" + id + "/" + t, owner.token(), null).status());
    return id;
  }

  private static String sku() {
    return "SKU-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Call call(Operation op) {
    String user = "/api/v1/users/" + staffUserId;
    String product = "/api/v1/products/" + productId;
    String variant = "/api/v1/variants/" + variantId;
    String supplier = "/api/v1/suppliers/" + supplierId;
    return switch (op) {
      case SIGNUP, LOGIN, REFRESH_SESSION, LOGOUT -> null;
      case GET_AUDIT_LOG -> new Call(HttpMethod.GET, "/api/v1/audit-log", null, null);
      case GET_ME -> new Call(HttpMethod.GET, "/api/v1/me", null, null);
      case CREATE_USER -> new Call(HttpMethod.POST, "/api/v1/users", new JsonObject().put("email", Api.uniqueEmail("m"))
        .put("name", "New").put("password", Api.PASSWORD).put("role", "STAFF"), () -> API.get("/api/v1/users?limit=200", owner.token()));
      case LIST_USERS -> new Call(HttpMethod.GET, "/api/v1/users", null, null);
      case GET_USER -> new Call(HttpMethod.GET, user, null, null);
      case UPDATE_USER -> new Call(HttpMethod.PATCH, user, new JsonObject().put("name", "Renamed " + sku()), () -> API.get(user, owner.token()));
      case DEACTIVATE_USER -> {
        String target = "/api/v1/users/" + API.addUser(owner, "STAFF").userId();
        yield new Call(HttpMethod.DELETE, target, null, () -> API.get(target, owner.token()));
      }
      case CREATE_PRODUCT -> new Call(HttpMethod.POST, "/api/v1/products", new JsonObject().put("name", "P"),
        () -> API.get("/api/v1/products?limit=200", owner.token()));
      case LIST_PRODUCTS -> new Call(HttpMethod.GET, "/api/v1/products", null, null);
      case GET_PRODUCT -> new Call(HttpMethod.GET, product, null, null);
      case UPDATE_PRODUCT -> new Call(HttpMethod.PATCH, product, new JsonObject().put("name", "Shirt " + sku()), () -> API.get(product, owner.token()));
      case DELETE_PRODUCT -> {
        String target = "/api/v1/products/" + API.createProduct(owner, "Doomed");
        yield new Call(HttpMethod.DELETE, target, null, () -> API.get(target, owner.token()));
      }
      case CREATE_VARIANT -> new Call(HttpMethod.POST, product + "/variants", new JsonObject().put("sku", sku()).put("price", 5),
        () -> API.get("/api/v1/variants?limit=200", owner.token()));
      case CREATE_VARIANT_MATRIX -> new Call(HttpMethod.POST, product + "/variant-matrix", new JsonObject()
        .put("matrix", new JsonObject().put("size", new io.vertx.core.json.JsonArray().add("S"))).put("skuPattern", sku() + "-{size}").put("price", 5),
        () -> API.get("/api/v1/variants?limit=200", owner.token()));
      case LIST_VARIANTS -> new Call(HttpMethod.GET, "/api/v1/variants", null, null);
      case GET_VARIANT -> new Call(HttpMethod.GET, variant, null, null);
      case UPDATE_VARIANT -> new Call(HttpMethod.PATCH, variant, new JsonObject().put("price", (int) (Math.random() * 10000)),
        () -> API.get(variant, owner.token()));
      case DELETE_VARIANT -> {
        String target = "/api/v1/variants/" + API.createVariant(owner, productId, sku(), 1).getString("id");
        yield new Call(HttpMethod.DELETE, target, null, () -> API.get(target, owner.token()));
      }
      case CREATE_SUPPLIER -> new Call(HttpMethod.POST, "/api/v1/suppliers", new JsonObject().put("name", "S"),
        () -> API.get("/api/v1/suppliers?limit=200", owner.token()));
      case LIST_SUPPLIERS -> new Call(HttpMethod.GET, "/api/v1/suppliers", null, null);
      case GET_SUPPLIER -> new Call(HttpMethod.GET, supplier, null, null);
      case UPDATE_SUPPLIER -> new Call(HttpMethod.PATCH, supplier, new JsonObject().put("phone", "+49 30 " + (int) (Math.random() * 1e6)),
        () -> API.get(supplier, owner.token()));
      case DELETE_SUPPLIER -> {
        String target = "/api/v1/suppliers/" + API.createSupplier(owner, "Doomed");
        yield new Call(HttpMethod.DELETE, target, null, () -> API.get(target, owner.token()));
      }
      case GET_INVENTORY_AUDIT -> new Call(HttpMethod.GET, "/api/v1/inventory/audit", null, null);
      case LIST_STOCK_MOVEMENTS -> new Call(HttpMethod.GET, "/api/v1/stock-movements", null, null);
      case CREATE_ADJUSTMENT -> new Call(HttpMethod.POST, "/api/v1/variants/" + stockedVariantId + "/adjustments",
        new JsonObject().put("quantity", 1).put("reason", "found one"), () -> API.get("/api/v1/variants/" + stockedVariantId, owner.token()));
      case CREATE_COUNT -> {
        long stock = API.get("/api/v1/variants/" + stockedVariantId, owner.token()).json().getLong("stock");
        yield new Call(HttpMethod.POST, "/api/v1/variants/" + stockedVariantId + "/counts",
          new JsonObject().put("expectedQuantity", stock).put("countedQuantity", stock + 1),
          () -> API.get("/api/v1/variants/" + stockedVariantId, owner.token()));
      }
      case GET_STOCK_LEVELS -> new Call(HttpMethod.GET, "/api/v1/variants/" + stockedVariantId + "/levels", null, null);
      case CREATE_STATE_MOVE -> new Call(HttpMethod.POST, "/api/v1/variants/" + stockedVariantId + "/state-moves",
        new JsonObject().put("from", "available").put("to", "damaged").put("quantity", 1).put("reason", "dropped"),
        () -> API.get("/api/v1/variants/" + stockedVariantId + "/levels", owner.token()));
      case CREATE_LOCATION -> new Call(HttpMethod.POST, "/api/v1/locations", new JsonObject().put("name", "Store")
        .put("code", sku()), () -> API.get("/api/v1/locations?limit=200", owner.token()));
      case LIST_LOCATIONS -> new Call(HttpMethod.GET, "/api/v1/locations", null, null);
      case GET_LOCATION -> new Call(HttpMethod.GET, "/api/v1/locations/" + owner.tenantId(), null, null);
      case UPDATE_LOCATION -> {
        String target = "/api/v1/locations/" + API.createLocation(owner, sku());
        yield new Call(HttpMethod.PATCH, target, new JsonObject().put("name", "Renamed " + sku()), () -> API.get(target, owner.token()));
      }
      case DELETE_LOCATION -> {
        String target = "/api/v1/locations/" + API.createLocation(owner, sku());
        yield new Call(HttpMethod.DELETE, target, null, () -> API.get(target, owner.token()));
      }
      case GET_ALLOCATION_RULE -> new Call(HttpMethod.GET, "/api/v1/allocation-rule", null, null);
      case SET_ALLOCATION_RULE -> new Call(HttpMethod.PUT, "/api/v1/allocation-rule", new JsonObject()
        .put("strategy", Math.random() < 0.5 ? "PRIORITY" : "MOST_AVAILABLE"), () -> API.get("/api/v1/allocation-rule", owner.token()));
      case PLACE_ORDER -> new Call(HttpMethod.POST, "/api/v1/orders", oneUnit(), () -> API.get("/api/v1/variants/" + stockedVariantId, owner.token()));
      case LIST_ORDERS -> new Call(HttpMethod.GET, "/api/v1/orders", null, null);
      case GET_ORDER -> new Call(HttpMethod.GET, "/api/v1/orders/" + placedOrder(), null, null);
      case CANCEL_ORDER -> {
        String target = "/api/v1/orders/" + placedOrder();
        yield new Call(HttpMethod.POST, target + "/cancel", null, () -> API.get(target, owner.token()));
      }
      case CREATE_RETURN -> {
        String target = "/api/v1/orders/" + placedOrder();
        yield new Call(HttpMethod.POST, target + "/returns", oneUnit().put("reason", "damaged"), () -> API.get(target, owner.token()));
      }
      case CREATE_PURCHASE_ORDER -> new Call(HttpMethod.POST, "/api/v1/purchase-orders", new JsonObject().put("supplierId", supplierId)
        .put("items", new io.vertx.core.json.JsonArray().add(new JsonObject().put("variantId", stockedVariantId).put("quantity", 5).put("unitCost", 100))),
        () -> API.get("/api/v1/purchase-orders?limit=200", owner.token()));
      case CREATE_RESERVATION -> new Call(HttpMethod.POST, "/api/v1/reservations", oneUnit().put("ttlSeconds", 600),
        () -> API.get("/api/v1/variants/" + stockedVariantId + "/levels", owner.token()));
      case LIST_RESERVATIONS -> new Call(HttpMethod.GET, "/api/v1/reservations", null, null);
      case GET_RESERVATION -> new Call(HttpMethod.GET, "/api/v1/reservations/" + reservation(), null, null);
      case RELEASE_RESERVATION -> {
        String target = "/api/v1/reservations/" + reservation();
        yield new Call(HttpMethod.POST, target + "/release", null, () -> API.get(target, owner.token()));
      }
      case LIST_PURCHASE_ORDERS -> new Call(HttpMethod.GET, "/api/v1/purchase-orders", null, null);
      case GET_PURCHASE_ORDER -> new Call(HttpMethod.GET, "/api/v1/purchase-orders/" + purchaseOrder(), null, null);
      case UPDATE_PURCHASE_ORDER -> {
        String target = "/api/v1/purchase-orders/" + purchaseOrder();
        yield new Call(HttpMethod.PATCH, target, new JsonObject().put("note", "rush"), () -> API.get(target, owner.token()));
      }
      case DELETE_PURCHASE_ORDER -> {
        String target = "/api/v1/purchase-orders/" + purchaseOrder();
        yield new Call(HttpMethod.DELETE, target, null, () -> API.get(target, owner.token()));
      }
      case SEND_PURCHASE_ORDER -> {
        String target = "/api/v1/purchase-orders/" + purchaseOrder();
        yield new Call(HttpMethod.POST, target + "/send", null, () -> API.get(target, owner.token()));
      }
      case CONFIRM_PURCHASE_ORDER -> {
        String target = "/api/v1/purchase-orders/" + purchaseOrder("send");
        yield new Call(HttpMethod.POST, target + "/confirm", null, () -> API.get(target, owner.token()));
      }
      case CANCEL_PURCHASE_ORDER -> {
        String target = "/api/v1/purchase-orders/" + purchaseOrder("send");
        yield new Call(HttpMethod.POST, target + "/cancel", null, () -> API.get(target, owner.token()));
      }
      case CLOSE_PURCHASE_ORDER -> {
        String id = purchaseOrder("send", "confirm");
        assertEquals(201, API.receive(owner, id, stockedVariantId, 1).status());
        String target = "/api/v1/purchase-orders/" + id;
        yield new Call(HttpMethod.POST, target + "/close", null, () -> API.get(target, owner.token()));
      }
      case CREATE_RECEIPT -> {
        String target = "/api/v1/purchase-orders/" + purchaseOrder("send", "confirm");
        yield new Call(HttpMethod.POST, target + "/receipts", new JsonObject().put("items", new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("variantId", stockedVariantId).put("quantity", 1))), () -> API.get(target, owner.token()));
      }
      case LIST_RECEIPTS -> new Call(HttpMethod.GET, "/api/v1/purchase-orders/" + purchaseOrder() + "/receipts", null, null);
      case CREATE_TRANSFER -> new Call(HttpMethod.POST, "/api/v1/transfers", transferBody(), () -> API.get("/api/v1/transfers?limit=200", owner.token()));
      case LIST_TRANSFERS -> new Call(HttpMethod.GET, "/api/v1/transfers", null, null);
      case GET_TRANSFER -> new Call(HttpMethod.GET, "/api/v1/transfers/" + transfer(), null, null);
      case SHIP_TRANSFER -> {
        String target = "/api/v1/transfers/" + transfer();
        yield new Call(HttpMethod.POST, target + "/ship", null, () -> API.get(target, owner.token()));
      }
      case RECEIVE_TRANSFER -> {
        String target = "/api/v1/transfers/" + transfer("ship");
        yield new Call(HttpMethod.POST, target + "/receive", oneUnit(), () -> API.get(target, owner.token()));
      }
      case CANCEL_TRANSFER -> {
        String target = "/api/v1/transfers/" + transfer();
        yield new Call(HttpMethod.POST, target + "/cancel", null, () -> API.get(target, owner.token()));
      }
      case CREATE_WEBHOOK -> new Call(HttpMethod.POST, "/api/v1/webhooks", webhookBody(), () -> API.get("/api/v1/webhooks?limit=200", owner.token()));
      case LIST_WEBHOOKS -> new Call(HttpMethod.GET, "/api/v1/webhooks", null, null);
      case GET_WEBHOOK -> new Call(HttpMethod.GET, "/api/v1/webhooks/" + webhook(), null, null);
      case UPDATE_WEBHOOK -> {
        String target = "/api/v1/webhooks/" + webhook();
        yield new Call(HttpMethod.PATCH, target, new JsonObject().put("active", false), () -> API.get(target, owner.token()));
      }
      case DELETE_WEBHOOK -> {
        String target = "/api/v1/webhooks/" + webhook();
        yield new Call(HttpMethod.DELETE, target, null, () -> API.get(target, owner.token()));
      }
      case ROTATE_WEBHOOK_SECRET -> new Call(HttpMethod.POST, "/api/v1/webhooks/" + webhook() + "/rotate-secret", null, null);
      case LIST_WEBHOOK_DELIVERIES -> new Call(HttpMethod.GET, "/api/v1/webhooks/" + webhook() + "/deliveries", null, null);
      case REDELIVER_WEBHOOK -> {
        String hook = webhook();
        yield new Call(HttpMethod.POST, "/api/v1/webhooks/" + hook + "/deliveries/" + deliveryOf(hook) + "/redeliver", null, null);
      }
      case START_IMPORT -> {
        String sku = sku();
        yield new Call(HttpMethod.POST, "/api/v1/imports", new Api.Upload("text/csv", "product,sku,price\nImported," + sku + ",100\n"),
          () -> API.get("/api/v1/variants?sku=" + sku, owner.token()));
      }
      case LIST_IMPORTS -> new Call(HttpMethod.GET, "/api/v1/imports", null, null);
      case GET_IMPORT -> {
        Res started = API.send(HttpMethod.POST, "/api/v1/imports", owner.token(), new Api.Upload("text/csv",
          "product,sku,price\nImported," + sku() + ",100\n")).await();
        assertEquals(202, started.status(), started::toString);
        yield new Call(HttpMethod.GET, "/api/v1/imports/" + started.id(), null, null);
      }
      case EXPORT_VARIANTS -> new Call(HttpMethod.GET, "/api/v1/exports/variants", null, null);
      case EXPORT_STOCK_LEVELS -> new Call(HttpMethod.GET, "/api/v1/exports/stock-levels", null, null);
      case EXPORT_MOVEMENTS -> new Call(HttpMethod.GET, "/api/v1/exports/movements", null, null);
      case GET_DASHBOARD -> new Call(HttpMethod.GET, "/api/v1/dashboard", null, null);
    };
  }

  @Test
  @DisplayName("each role gets exactly the operations the role matrix grants, denied calls change nothing")
  void roleMatrix() {
    int checked = 0;
    for (Operation op : Operation.values()) {
      if (op.isPublic()) continue;
      for (Role role : Role.values()) {
        Call call = call(op);
        assertNotNull(call, "no sample call for " + op);
        String before = call.unchanged() == null ? null : call.unchanged().get().text();
        Res res = API.send(call.method(), call.path(), SESSIONS.get(role).token(), call.body(), Api.newKey()).await();
        String label = op + " as " + role;
        if (op.allows(role)) {
          assertTrue(res.status() >= 200 && res.status() < 300, () -> label + " should be allowed: " + res);
        } else {
          assertProblem(res, 403);
          if (call.unchanged() != null) {
            assertEquals(before, call.unchanged().get().text(), label + " was denied but changed state");
          }
        }
        checked++;
      }
    }
    assertEquals((Operation.values().length - 4) * 3, checked);
  }

  @Test
  @DisplayName("STAFF reads everything of its tenant but cannot write catalog, suppliers or users")
  void staffIsReadOnlyForCatalog() {
    Session staff = SESSIONS.get(Role.STAFF);
    assertEquals(200, API.get("/api/v1/products/" + productId, staff.token()).status());
    assertEquals(200, API.get("/api/v1/variants/" + variantId, staff.token()).status());
    assertProblem(API.patch("/api/v1/variants/" + variantId, staff.token(), new JsonObject().put("price", 1)), 403);
    assertProblem(API.get("/api/v1/users", staff.token()), 403);
  }
}
