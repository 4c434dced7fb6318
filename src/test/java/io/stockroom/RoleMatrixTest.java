package io.stockroom;

import io.stockroom.api.Operation;
import io.stockroom.auth.Role;
import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
      case SIGNUP, LOGIN -> null;
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
      case CREATE_VARIANTS -> new Call(HttpMethod.POST, product + "/variants", new JsonObject().put("sku", sku()).put("price", 5),
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
        Res res = API.send(call.method(), call.path(), SESSIONS.get(role).token(), call.body()).await();
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
    assertEquals((Operation.values().length - 2) * 3, checked);
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
