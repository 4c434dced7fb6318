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

import java.util.function.Supplier;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verifies that a request refused by validation says which field is wrong and what to do: a non-empty {@code errors}
 * whose entry names the body pointer or the parameter, and a {@code detail} a newcomer can act on, with nothing changed.
 */
class ValidationMessagesTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  @Test
  @DisplayName("a stock change without Idempotency-Key names the header and says to send a unique key")
  void missingIdempotencyKey() {
    Session owner = api.signup("Missing Key Messages");
    String v = api.createVariant(owner, api.createProduct(owner, "MK"), "MK-1", 100, 5).getString("id");
    JsonObject problem = refusedWithoutChange(owner, () -> api.sendWithoutKey(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments",
      owner.token(), new JsonObject().put("quantity", 2).put("reason", "found")).await());
    JsonObject entry = named(problem, "parameter", "Idempotency-Key");
    assertEquals("header", entry.getString("in"), problem::encodePrettily);
    assertTrue(problem.getString("detail").contains("Idempotency-Key") && problem.getString("detail").contains("UUID")
      && problem.getString("detail").contains("retry"), problem::encodePrettily);
    assertEquals(5, api.stock(owner, v));
  }

  @Test
  @DisplayName("an adjustment of 0 names quantity and says it must be a signed, non-zero number")
  void zeroAdjustment() {
    Session owner = api.signup("Zero Adjustment Messages");
    String v = api.createVariant(owner, api.createProduct(owner, "ZA"), "ZA-1", 100, 5).getString("id");
    JsonObject problem = refusedWithoutChange(owner, () -> api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments",
      owner.token(), new JsonObject().put("quantity", 0).put("reason", "nothing"), Api.newKey()).await());
    JsonObject entry = named(problem, "pointer", "#/quantity");
    assertFalse(entry.getString("message").contains("\"not\" schema"), problem::encodePrettily);
    assertTrue(entry.getString("message").toLowerCase().contains("non-zero"), problem::encodePrettily);
    assertTrue(problem.getString("detail").contains("quantity") && problem.getString("detail").toLowerCase().contains("non-zero"),
      problem::encodePrettily);
    assertEquals(5, api.stock(owner, v));
  }

  @Test
  @DisplayName("limit=500 names the query parameter limit and its maximum")
  void limitTooLarge() {
    Session owner = api.signup("Limit Messages");
    JsonObject problem = refusedWithoutChange(owner, () -> api.get("/api/v1/products?limit=500", owner.token()));
    JsonObject entry = named(problem, "parameter", "limit");
    assertEquals("query", entry.getString("in"), problem::encodePrettily);
    assertFalse(entry.containsKey("pointer") && "#".equals(entry.getString("pointer")), problem::encodePrettily);
    assertTrue(entry.getString("message").contains("200"), problem::encodePrettily);
    assertTrue(problem.getString("detail").contains("limit") && problem.getString("detail").contains("200"), problem::encodePrettily);
  }

  @Test
  @DisplayName("a cursor this API did not return names the query parameter cursor and says to send nextCursor")
  void badCursor() {
    Session owner = api.signup("Cursor Messages");
    JsonObject problem = refusedWithoutChange(owner, () -> api.get("/api/v1/products?cursor=bm90LWFuLWlk", owner.token()));
    JsonObject entry = named(problem, "parameter", "cursor");
    assertEquals("query", entry.getString("in"), problem::encodePrettily);
    assertTrue(problem.getString("detail").contains("nextCursor"), problem::encodePrettily);
  }

  @Test
  @DisplayName("PATCH {stock} on a variant names stock and says to use adjustments or counts")
  void stockPatch() {
    Session owner = api.signup("Stock Patch Messages");
    String v = api.createVariant(owner, api.createProduct(owner, "SP"), "SP-1", 100, 5).getString("id");
    JsonObject problem = refusedWithoutChange(owner, () -> api.patch("/api/v1/variants/" + v, owner.token(), new JsonObject().put("stock", 5)));
    JsonObject entry = named(problem, "pointer", "#/stock");
    assertTrue(entry.getString("message").contains("adjustments") && entry.getString("message").contains("counts"), problem::encodePrettily);
    assertTrue(problem.getString("detail").contains("stock") && problem.getString("detail").contains("adjustments"), problem::encodePrettily);
    assertEquals(5, api.stock(owner, v));
  }

  /** Sends {@code request}: a 400 problem+json with a non-empty errors array, and none of the tenant's documents changed. */
  private JsonObject refusedWithoutChange(Session owner, Supplier<Res> request) {
    String before = Invariants.snapshot(stack, owner.tenantId());
    JsonObject problem = assertProblem(request.get(), 400);
    JsonArray errors = problem.getJsonArray("errors");
    assertTrue(errors != null && !errors.isEmpty(), problem::encodePrettily);
    errors.forEach(error -> assertFalse(((JsonObject) error).getString("message", "").isBlank(), problem::encodePrettily));
    assertEquals(before, Invariants.snapshot(stack, owner.tenantId()));
    return problem;
  }

  private static JsonObject named(JsonObject problem, String key, String value) {
    return problem.getJsonArray("errors").stream().map(JsonObject.class::cast).filter(e -> value.equals(e.getString(key)))
      .findFirst().orElseThrow(() -> new AssertionError("no error with " + key + "=" + value + " in " + problem.encodePrettily()));
  }
}
