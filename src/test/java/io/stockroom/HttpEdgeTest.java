package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Probes, the published contract, and malformed requests: always a clear problem+json, never a 500. */
class HttpEdgeTest {
  private final Api api = TestStack.get().api;

  @Test
  @DisplayName("liveness is UP; readiness is UP with mongo and redis checks")
  void probes() {
    Res live = api.get("/health/live", null);
    assertEquals(200, live.status());
    assertEquals("UP", live.json().getString("status"));
    Res ready = api.get("/health/ready", null);
    assertEquals(200, ready.status(), ready::toString);
    assertEquals("UP", ready.json().getString("status"));
    assertTrue(ready.text().contains("mongo") && ready.text().contains("redis"), ready::toString);
  }

  @Test
  @DisplayName("the OpenAPI document is served as YAML")
  void contractServed() {
    Res doc = api.get("/openapi.yaml", null);
    assertEquals(200, doc.status());
    assertTrue(doc.contentType().startsWith("application/yaml"));
    assertTrue(doc.text().startsWith("openapi: 3.1.0"));
  }

  @Test
  @DisplayName("unknown routes, wrong methods, malformed JSON, wrong content type and oversized bodies are 4xx problems")
  void malformedRequests() {
    Session owner = api.signup("Edge Co");
    assertProblem(api.get("/api/v1/nothing-here", owner.token()), 404);
    assertProblem(api.send(HttpMethod.PUT, "/api/v1/products", owner.token(), new JsonObject().put("name", "x")).await(), 405);
    assertProblem(api.post("/api/v1/products", owner.token(), "{\"name\": "), 400);
    assertProblem(api.post("/api/v1/products", owner.token(), "[1,2]"), 400);
    Res textBody = api.client().post("/api/v1/products").putHeader("Authorization", "Bearer " + owner.token())
      .putHeader("Content-Type", "text/plain").sendBuffer(io.vertx.core.buffer.Buffer.buffer("name=x")).map(Res::of).await();
    assertProblem(textBody, 415);
    Res noBody = api.send(HttpMethod.POST, "/api/v1/products", owner.token(), null).await();
    assertProblem(noBody, 400);
    String huge = new JsonObject().put("name", "big").put("description", "x".repeat(400_000)).encode();
    assertProblem(api.post("/api/v1/products", owner.token(), huge), 413);
    assertEquals(0, api.get("/api/v1/products", owner.token()).items().size());
  }

  @Test
  @DisplayName("validation errors name the offending field in errors[]")
  void validationDetails() {
    Session owner = api.signup("Details Co");
    JsonObject problem = assertProblem(api.post("/api/v1/suppliers", owner.token(), new JsonObject().put("name", "S").put("leadTimeDays", 999)), 400);
    assertEquals("urn:stockroom:problem:validation-error", problem.getString("type"));
    assertTrue(problem.getJsonArray("errors").encode().contains("leadTimeDays"), problem::encode);
  }
}
