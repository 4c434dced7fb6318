package io.stockroom.support;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A thin HTTP client over the running stack. Synchronous helpers block the test thread ({@code await}). */
public final class Api {
  public static final String PASSWORD = "correct horse battery";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final WebClient client;

  public Api(WebClient client) {
    this.client = client;
  }

  public WebClient client() {
    return client;
  }

  public Future<Res> send(HttpMethod method, String path, String token, Object body) {
    return send(method, path, token, body, null);
  }

  /**
   * Sends as a careful client does: a POST outside {@code /auth} always carries an Idempotency-Key (every stock change
   * requires one), {@code idempotencyKey} when given, else a fresh one. {@link #sendWithoutKey} sends none.
   */
  public Future<Res> send(HttpMethod method, String path, String token, Object body, String idempotencyKey) {
    boolean keyed = method == HttpMethod.POST && !path.startsWith("/api/v1/auth/");
    return sendKeyed(method, path, token, body, idempotencyKey != null || !keyed ? idempotencyKey : newKey());
  }

  /** Sends with no Idempotency-Key at all: what a client that leaves it out gets. */
  public Future<Res> sendWithoutKey(HttpMethod method, String path, String token, Object body) {
    return sendKeyed(method, path, token, body, null);
  }

  private Future<Res> sendKeyed(HttpMethod method, String path, String token, Object body, String idempotencyKey) {
    HttpRequest<Buffer> request = client.request(method, path);
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    if (idempotencyKey != null) request.putHeader("Idempotency-Key", idempotencyKey);
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> response;
    if (body == null) {
      response = request.send();
    } else if (body instanceof Upload file) {
      response = request.putHeader("Content-Type", file.contentType()).sendBuffer(Buffer.buffer(file.text()));
    } else if (body instanceof String raw) {
      response = request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(raw));
    } else {
      response = request.sendJson(body);
    }
    return response.map(answer -> ContractAnswers.checked(method, path, Res.of(answer)));
  }

  public Res get(String path, String token) { return send(HttpMethod.GET, path, token, null).await(); }
  public Res post(String path, String token, Object body) { return send(HttpMethod.POST, path, token, body).await(); }
  public Res patch(String path, String token, Object body) { return send(HttpMethod.PATCH, path, token, body).await(); }
  public Res delete(String path, String token) { return send(HttpMethod.DELETE, path, token, null).await(); }
  public Res put(String path, String token, Object body) { return send(HttpMethod.PUT, path, token, body).await(); }

  public static String uniqueEmail(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }

  /** Signs up a new tenant and returns its OWNER's session. */
  public Session signup(String tenantName) {
    String email = uniqueEmail("owner");
    Res res = post("/api/v1/auth/signup", null, new JsonObject()
      .put("tenantName", tenantName).put("name", "Owner of " + tenantName).put("email", email).put("password", PASSWORD));
    assertEquals(201, res.status(), () -> "signup: " + res);
    JsonObject user = res.json().getJsonObject("user");
    return new Session(res.json().getString("accessToken"), res.json().getJsonObject("tenant").getString("id"),
      user.getString("id"), email, PASSWORD);
  }

  /** Creates a user of {@code role} in the owner's tenant and logs it in. */
  public Session addUser(Session owner, String role) {
    String email = uniqueEmail(role.toLowerCase());
    Res created = post("/api/v1/users", owner.token(), new JsonObject()
      .put("email", email).put("name", role + " user").put("password", PASSWORD).put("role", role));
    assertEquals(201, created.status(), () -> "create user: " + created);
    return login(email, PASSWORD, owner.tenantId());
  }

  public Session login(String email, String password, String tenantId) {
    Res res = post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", password));
    assertEquals(200, res.status(), () -> "login: " + res);
    return new Session(res.json().getString("accessToken"), tenantId, res.json().getJsonObject("user").getString("id"), email, password);
  }

  public String createProduct(Session s, String name) {
    Res res = post("/api/v1/products", s.token(), new JsonObject().put("name", name));
    assertEquals(201, res.status(), () -> "create product: " + res);
    return res.id();
  }

  public JsonObject createVariant(Session s, String productId, String sku, long price) {
    return createVariant(s, productId, sku, price, 0);
  }

  public JsonObject createVariant(Session s, String productId, String sku, long price, long openingStock) {
    Res res = post("/api/v1/products/" + productId + "/variants", s.token(),
      new JsonObject().put("sku", sku).put("price", price).put("reorderLevel", 5).put("openingStock", openingStock));
    assertEquals(201, res.status(), () -> "create variant: " + res);
    return res.json();
  }

  public static String newKey() {
    return UUID.randomUUID().toString();
  }

  public Future<Res> placeOrderAsync(Session s, JsonObject order, String key) {
    return send(HttpMethod.POST, "/api/v1/orders", s.token(), order, key);
  }

  /**
   * Places an order as a careful client does: a 503 (busy, out of time: nothing changed, or not known yet) is sent
   * again with the same Idempotency-Key, up to {@code attempts} times, so the order is placed at most once.
   */
  public Future<Res> placeOrderRetrying(io.vertx.core.Vertx vertx, Session s, JsonObject order, String key, int attempts) {
    return placeOrderAsync(s, order, key).compose(res -> res.status() != 503 || attempts <= 1 ? Future.succeededFuture(res)
      : vertx.timer(200, java.util.concurrent.TimeUnit.MILLISECONDS)
        .compose(v -> placeOrderRetrying(vertx, s, order, key, attempts - 1)));
  }

  public Res placeOrder(Session s, JsonObject order) {
    Res res = placeOrderAsync(s, order, newKey()).await();
    assertEquals(201, res.status(), () -> "place order: " + res);
    return res;
  }

  public static JsonObject order(Object... variantAndQuantity) {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < variantAndQuantity.length; i += 2) {
      items.add(new JsonObject().put("variantId", variantAndQuantity[i]).put("quantity", variantAndQuantity[i + 1]));
    }
    return new JsonObject().put("items", items);
  }

  /** A purchase-order or receipt line. */
  public static JsonObject line(String variantId, long quantity, long unitCost) {
    return new JsonObject().put("variantId", variantId).put("quantity", quantity).put("unitCost", unitCost);
  }

  /** A DRAFT purchase order of one line. */
  public String createPurchaseOrder(Session s, String supplierId, String variantId, long quantity, long unitCost) {
    Res res = post("/api/v1/purchase-orders", s.token(), new JsonObject().put("supplierId", supplierId)
      .put("items", new io.vertx.core.json.JsonArray().add(new JsonObject().put("variantId", variantId).put("quantity", quantity).put("unitCost", unitCost))));
    assertEquals(201, res.status(), () -> "create PO: " + res);
    return res.id();
  }

  public Res receive(Session s, String purchaseOrderId, String variantId, long quantity) {
    return send(HttpMethod.POST, "/api/v1/purchase-orders/" + purchaseOrderId + "/receipts", s.token(),
      new JsonObject().put("items", new io.vertx.core.json.JsonArray().add(new JsonObject().put("variantId", variantId).put("quantity", quantity))),
      newKey()).await();
  }

  public long stock(Session s, String variantId) {
    return get("/api/v1/variants/" + variantId, s.token()).json().getLong("stock");
  }

  public String createSupplier(Session s, String name) {
    Res res = post("/api/v1/suppliers", s.token(), new JsonObject().put("name", name).put("leadTimeDays", 7));
    assertEquals(201, res.status(), () -> "create supplier: " + res);
    return res.id();
  }

  /** A new active location with this code; returns its id. */
  public String createLocation(Session s, String code) {
    Res res = post("/api/v1/locations", s.token(), new JsonObject().put("name", "Location " + code).put("code", code));
    assertEquals(201, res.status(), () -> "create location: " + res);
    return res.id();
  }

  /** A request body sent as a file of this media type (an import). */
  public record Upload(String contentType, String text) {
  }
}
