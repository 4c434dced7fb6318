package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.ProblemErrors;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.bus.ServiceOperation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Probes, the published contract, and malformed requests: always a clear problem+json, never a 500. */
class HttpEdgeTest {
  private final Api api = TestStack.get().api;
  private final Api management = TestStack.get().management;

  @Test
  @DisplayName("liveness is UP; readiness is UP with mongo and redis checks; the same on the API and the management port")
  void probes() {
    for (Api port : List.of(api, management)) {
      Res live = port.get("/health/live", null);
      assertEquals(200, live.status());
      assertEquals("UP", live.json().getString("status"));
      Res ready = port.get("/health/ready", null);
      assertEquals(200, ready.status(), ready::toString);
      assertEquals("UP", ready.json().getString("status"));
      assertEquals(java.util.Map.of("mongo", "UP", "redis", "UP", "schema", "UP", "services", "UP"), ready.healthChecks(), ready::toString);
    }
  }

  @Test
  @DisplayName("readiness turns DOWN while a bound service address has no consumer on this node, UP once it is back")
  void readinessNeedsEveryServiceConsumer() {
    TestStack stack = TestStack.get();
    String deployment = stack.vertx.deployVerticle(new ProbeOnlyService()).await();
    assertEquals(200, api.get("/health/ready", null).status());
    stack.vertx.undeploy(deployment).await();
    for (Api port : List.of(api, management)) {
      Res down = port.get("/health/ready", null);
      assertEquals(503, down.status(), down::toString);
      assertEquals("DOWN", down.json().getString("status"), down::toString);
      assertEquals("DOWN", down.healthChecks().get("services"), down::toString);
    }
    stack.vertx.deployVerticle(new ProbeOnlyService()).await();
    assertEquals(200, api.get("/health/ready", null).status());
    assertEquals(200, management.get("/health/ready", null).status());
  }

  /** A service with one operation, bound like every real one; only its presence matters here. */
  private static final class ProbeOnlyService extends VerticleBase {
    @Override
    public Future<?> start() {
      return new ServiceConsumers(vertx)
        .bind(ServiceOperation.named("test.readiness-probe"), request -> Future.succeededFuture(Reply.noContent()))
        .ready();
    }
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
    for (String[] pathAndAllowed : new String[][] {{"/api/v1/products", "GET, POST"},
      {"/api/v1/products/" + new ObjectId().toHexString(), "DELETE, GET, PATCH"}}) {
      HttpResponse<Buffer> notAllowed = api.client().request(HttpMethod.PUT, pathAndAllowed[0])
        .putHeader("Authorization", "Bearer " + owner.token()).send().await();
      assertProblem(Res.of(notAllowed), 405);
      assertEquals(pathAndAllowed[1], notAllowed.getHeader("Allow"), "a 405 names the methods the resource has");
    }
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
  @DisplayName("validation problems name each failed check, at its field, and the first one in detail")
  void validationDetails() {
    Session owner = api.signup("Details Co");
    JsonObject problem = assertProblem(api.post("/api/v1/suppliers", owner.token(), new JsonObject().put("name", "S").put("leadTimeDays", 999)), 400);
    assertEquals("urn:stockroom:problem:validation-error", problem.getString("type"));
    assertEquals(ProblemErrors.of("#/leadTimeDays", "999 is greater than 365"), problem.getJsonArray("errors"));
    assertEquals("The value of the request body is invalid: #/leadTimeDays: 999 is greater than 365", problem.getString("detail"));

    JsonObject nested = assertProblem(api.send(HttpMethod.POST, "/api/v1/orders", owner.token(), new JsonObject().put("items", new JsonArray()
      .add(new JsonObject().put("variantId", "v1").put("quantity", 0))
      .add(new JsonObject().put("variantId", "v2").put("quantity", 1).put("discount", 5))), Api.newKey()).await(), 400);
    assertEquals(ProblemErrors.of("#/items/0/quantity", "0 is less than 1", "#/items/1/discount", "Property \"discount\" is not allowed"),
      nested.getJsonArray("errors"));
    assertEquals("The value of the request body is invalid: #/items/0/quantity: 0 is less than 1 (and 1 more in errors)",
      nested.getString("detail"));

    JsonObject signup = assertProblem(api.post("/api/v1/auth/signup", null, new JsonObject().put("tenantName", "T").put("name", "N")
      .put("email", "not-an-address").put("password", "short")), 400);
    assertEquals(ProblemErrors.of("#/email", "String does not match pattern", "#/password", "String is too short (5 < 10)"),
      signup.getJsonArray("errors"));

    // one variant or a matrix (oneOf): only the shape the request is closest to is reported
    String product = api.createProduct(owner, "Shapes");
    JsonObject variant = assertProblem(api.post("/api/v1/products/" + product + "/variants", owner.token(),
      new JsonObject().put("sku", "S-1").put("price", -1)), 400);
    assertEquals(ProblemErrors.of("#/price", "-1 is less than 0"), variant.getJsonArray("errors"));
  }


  @Test
  @DisplayName("a body validates alike on the event loop (small) and on the worker pool (over 16 KB): same problem, same acceptance")
  void validationAlikeForSmallAndLargeBodies() {
    Session owner = api.signup("Large Bodies Co");
    String invalid = new JsonObject().put("name", "S").put("leadTimeDays", 999).encode();
    String padding = " ".repeat(20 * 1024);
    String invalidLarge = invalid.substring(0, invalid.length() - 1) + padding + "}";
    JsonObject small = assertProblem(api.post("/api/v1/suppliers", owner.token(), invalid), 400);
    JsonObject large = assertProblem(api.post("/api/v1/suppliers", owner.token(), invalidLarge), 400);
    assertEquals(small.getJsonArray("errors"), large.getJsonArray("errors"));
    assertTrue(small.getJsonArray("errors").stream().map(JsonObject.class::cast)
      .anyMatch(error -> error.getString("pointer", "").equals("#/leadTimeDays")), small::encode);
    assertEquals(0, api.get("/api/v1/suppliers", owner.token()).items().size());

    String valid = new JsonObject().put("name", "Padded").encode();
    assertEquals(201, api.post("/api/v1/suppliers", owner.token(), valid).status());
    Res padded = api.post("/api/v1/suppliers", owner.token(), valid.substring(0, valid.length() - 1).replace("Padded", "Padded 2") + padding + "}");
    assertEquals(201, padded.status(), padded::toString);
    assertEquals(2, api.get("/api/v1/suppliers", owner.token()).items().size());
  }

  /** A raw HTTP/1.1 exchange, so the request goes out byte for byte as written (no client-side encoding). */
  private Res raw(String head, String body) {
    io.vertx.core.net.NetClient client = TestStack.get().vertx.createNetClient();
    try {
      io.vertx.core.net.NetSocket socket = client.connect(TestStack.get().port, "127.0.0.1").await();
      io.vertx.core.Promise<io.vertx.core.buffer.Buffer> done = io.vertx.core.Promise.promise();
      io.vertx.core.buffer.Buffer received = io.vertx.core.buffer.Buffer.buffer();
      socket.handler(received::appendBuffer);
      socket.closeHandler(v -> done.tryComplete(received));
      String bytes = head + "Host: 127.0.0.1\r\nConnection: close\r\n"
        + (body == null ? "" : "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n")
        + "\r\n" + (body == null ? "" : body);
      socket.write(bytes);
      String response = done.future().await(10, java.util.concurrent.TimeUnit.SECONDS).toString();
      int status = Integer.parseInt(response.substring(9, 12));
      String headers = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT);
      String contentType = headers.contains("content-type: ")
        ? headers.substring(headers.indexOf("content-type: ") + 14).split("\r\n")[0] : "";
      String text = response.contains("\r\n\r\n") ? response.substring(response.indexOf("\r\n\r\n") + 4) : "";
      if (headers.contains("transfer-encoding: chunked")) text = text.substring(text.indexOf("\r\n") + 2, text.lastIndexOf("\r\n0\r\n"));
      return new Res(status, contentType, text, null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      client.close();
    }
  }

  @Test
  @DisplayName("malformed escapes, oversized URIs, bad Authorization headers, JSON with comments, odd content types and "
    + "repeated Idempotency-Keys are all problem+json 4xx, and nothing changes")
  void hostileRequests() {
    Session owner = api.signup("Hostile Co");
    String auth = "Authorization: Bearer " + owner.token() + "\r\n";
    assertProblem(raw("GET /api/v1/variants?sku=%zz HTTP/1.1\r\n" + auth, null), 400);
    assertProblem(raw("GET /api/v1/variants/%zz HTTP/1.1\r\n" + auth, null), 400);
    assertProblem(raw("GET /api/v1/variants?sku=" + "a".repeat(8200) + " HTTP/1.1\r\n" + auth, null), 414);
    assertProblem(raw("GET /api/v1/variants?sku=" + "a".repeat(200_000) + " HTTP/1.1\r\n" + auth, null), 414);
    assertProblem(raw("GET /api/v1/products HTTP/1.1\r\n" + auth + "X-Big: " + "b".repeat(20_000) + "\r\n", null), 431);
    for (String header : List.of("Authorization: \r\n", "Authorization: Bearer\r\n", "Authorization: Basic abc\r\n",
      "Authorization: Bearer a b c\r\n", "Authorization: Bearer \r\n")) {
      assertProblem(raw("GET /api/v1/products HTTP/1.1\r\n" + header, null), 401);
    }
    String json = "Content-Type: application/json\r\n";
    assertProblem(raw("POST /api/v1/products HTTP/1.1\r\n" + auth + json, "{/* c */ \"name\": \"x\"}"), 400);
    assertProblem(raw("POST /api/v1/products HTTP/1.1\r\n" + auth + json, "{\"name\": \"x\"} // c"), 400);
    assertProblem(raw("POST /api/v1/products HTTP/1.1\r\n" + auth + "Content-Type: application/jsonx\r\n", "{\"name\": \"x\"}"), 415);
    assertProblem(raw("POST /api/v1/products HTTP/1.1\r\n" + auth + "Content-Type: application/json-patch+json\r\n",
      "{\"name\": \"x\"}"), 415);
    assertEquals(201, raw("POST /api/v1/products HTTP/1.1\r\n" + auth + "Content-Type: application/json; charset=utf-8\r\n",
      "{\"name\": \"ok\"}").status(), "a charset parameter is fine");
    String v = api.createVariant(owner, api.createProduct(owner, "P"), "HOSTILE", 100, 5).getString("id");
    String order = "{\"items\": [{\"variantId\": \"" + v + "\", \"quantity\": 1}]}";
    assertProblem(raw("POST /api/v1/orders HTTP/1.1\r\n" + auth + json + "Idempotency-Key: one\r\nIdempotency-Key: two\r\n", order), 400);
    assertEquals(5, api.stock(owner, v));
    assertEquals(2, api.get("/api/v1/products", owner.token()).items().size());
  }

  @Test
  @DisplayName("X-Request-Id is answered, carried across the event bus and written on the request's log lines, service side too")
  void requestIds() {
    Session owner = api.signup("Trace Co");
    String v = api.createVariant(owner, api.createProduct(owner, "T"), "TRACE", 100, 5).getString("id");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> capture = new ch.qos.logback.core.AppenderBase<>() {
      @Override
      protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
        lines.add(io.stockroom.platform.bus.RequestIds.current() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
      }
    };
    capture.start();
    root.addAppender(capture);
    try {
      io.stockroom.platform.unit.Failpoints.arm(TestStack.get().vertx, io.stockroom.inventory.InventoryContract.ADJUST.unitName(),
        owner.tenantId(), 1);
      io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> failed = api.client()
        .post("/api/v1/variants/" + v + "/adjustments").putHeader("Authorization", "Bearer " + owner.token())
        .putHeader("Idempotency-Key", Api.newKey()).putHeader("X-Request-Id", "req-trace-42").sendJson(new JsonObject().put("quantity", 1).put("reason", "trace")).await();
      assertEquals(503, failed.statusCode());
      assertEquals("req-trace-42", failed.getHeader("X-Request-Id"));
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("req-trace-42 io.stockroom.platform.unit.Outcomes")),
        () -> "the service's log line names the request: " + lines);
      long logged = System.currentTimeMillis() + 3_000;  // the request line is written once the response ended
      while (System.currentTimeMillis() < logged
        && lines.stream().noneMatch(l -> l.startsWith("req-trace-42 io.vertx.ext.web.handler") && l.contains("adjustments"))) {
        Thread.onSpinWait();
      }
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("req-trace-42 io.vertx.ext.web.handler") && l.contains("adjustments")),
        () -> "the request line names it: " + lines);
      String generated = api.client().get("/api/v1/products").putHeader("Authorization", "Bearer " + owner.token())
        .putHeader("X-Request-Id", "bad id with spaces").send().await().getHeader("X-Request-Id");
      assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
    } finally {
      root.detachAppender(capture);
    }
  }

  @Test
  @DisplayName("/metrics on the management port serves Prometheus text with the HTTP server, JVM and domain meters; "
    + "the API port answers it 404 problem+json")
  void metrics() {
    Session owner = api.signup("Metrics Co");
    String v = api.createVariant(owner, api.createProduct(owner, "M"), "METRIC", 100, 5).getString("id");
    api.placeOrder(owner, Api.order(v, 1));
    Res refused = api.placeOrderAsync(owner, Api.order(v, 99), Api.newKey()).await();
    assertEquals(409, refused.status());
    Res metrics = management.get("/metrics", null);
    assertEquals(200, metrics.status());
    assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
    for (String meter : List.of("stockroom_orders_placed_total", "stockroom_orders_refused_total", "stockroom_lock_wait_seconds",
      "vertx_http_server_requests", "jvm_memory_used_bytes")) {
      assertTrue(metrics.text().contains(meter), meter + " missing");
    }
    assertProblem(api.get("/metrics", null), 404);
  }
}
