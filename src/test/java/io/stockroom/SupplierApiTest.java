package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SupplierApiTest {
  private final Api api = TestStack.get().api;

  @Test
  @DisplayName("suppliers: create with contact details, patch, clear a field with null, delete")
  void supplierLifecycle() {
    Session manager = api.addUser(api.signup("Supply Co"), "MANAGER");
    Res created = api.post("/api/v1/suppliers", manager.token(), new JsonObject().put("name", "Acme Textiles")
      .put("contactName", "Jo").put("email", "orders@acme.example").put("phone", "+49 30 1234567").put("leadTimeDays", 14));
    assertEquals(201, created.status(), created::toString);
    assertEquals(14, created.json().getInteger("leadTimeDays"));
    String path = "/api/v1/suppliers/" + created.id();

    Res patched = api.patch(path, manager.token(), new JsonObject().put("leadTimeDays", 10).put("phone", null));
    assertEquals(200, patched.status(), patched::toString);
    assertEquals(10, patched.json().getInteger("leadTimeDays"));
    assertFalse(patched.json().containsKey("phone"));
    assertEquals("Acme Textiles", api.get(path, manager.token()).json().getString("name"));

    assertEquals(204, api.delete(path, manager.token()).status());
    assertProblem(api.get(path, manager.token()), 404);
  }

  @Test
  @DisplayName("invalid supplier input is a 400 problem with errors and creates nothing")
  void supplierValidation() {
    Session owner = api.signup("Bad Supply Co");
    for (JsonObject bad : new JsonObject[] {
      new JsonObject(),
      new JsonObject().put("name", "X").put("leadTimeDays", -1),
      new JsonObject().put("name", "X").put("email", "nope"),
      new JsonObject().put("name", "X").put("rating", 5),
      new JsonObject().put("name", 42)}) {
      JsonObject problem = assertProblem(api.post("/api/v1/suppliers", owner.token(), bad), 400);
      assertFalse(problem.getJsonArray("errors").isEmpty(), problem::encode);
    }
    assertEquals(0, api.get("/api/v1/suppliers", owner.token()).items().size());
  }
}
