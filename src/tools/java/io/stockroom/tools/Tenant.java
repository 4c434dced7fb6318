package io.stockroom.tools;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A tenant the harness signed up over the API, with one product of {@code variants} variants holding
 * {@link #OPENING_STOCK} units each, and the requests the scenarios send as its owner. Every request gives up after
 * {@link #REQUEST_TIMEOUT_MS}.
 */
record Tenant(WebClient http, String token, List<String> variants) {
  static final long OPENING_STOCK = 1_000_000_000L;
  static final long REQUEST_TIMEOUT_MS = 10_000;
  /**
   * The audit reads the whole ledger within the service's own budget (its request timeout, 20 s by default): waited
   * for longer than that, so that its answer, a report or a 503, is what the check sees.
   */
  private static final long AUDIT_TIMEOUT_MS = 25_000;
  private static final String PASSWORD = "benchmark password";

  static Tenant signUp(WebClient http, String name, int variantCount) {
    return signUp(http, name, variantCount, "bench-" + UUID.randomUUID() + "@bench.test");
  }

  /** Signs up {@code email} (with the harness's password) as the owner of a new tenant {@code name}. */
  static Tenant signUp(WebClient http, String name, int variantCount, String email) {
    JsonObject session = http.post("/api/v1/auth/signup").timeout(REQUEST_TIMEOUT_MS).sendJsonObject(new JsonObject()
      .put("tenantName", name).put("name", "Bench").put("email", email).put("password", PASSWORD)).await().bodyAsJsonObject();
    String token = session.getString("accessToken");
    Tenant owner = new Tenant(http, token, List.of());
    String product = owner.authorized(http.post("/api/v1/products")).sendJsonObject(new JsonObject().put("name", name)).await()
      .bodyAsJsonObject().getString("id");
    List<String> variants = new ArrayList<>();
    for (int i = 0; i < variantCount; i++) {
      HttpResponse<Buffer> created = owner.authorized(http.post("/api/v1/products/" + product + "/variants"))
        .putHeader("Idempotency-Key", UUID.randomUUID().toString())
        .sendJsonObject(new JsonObject().put("sku", "BENCH-" + i).put("price", 1000).put("openingStock", OPENING_STOCK)).await();
      variants.add(created.bodyAsJsonObject().getString("id"));
    }
    return new Tenant(http, token, List.copyOf(variants));
  }

  /**
   * The same tenant through {@code http} with a fresh token (a restarted service in embedded mode signs with a new
   * key); fails with the answer when the login is refused (the account is gone).
   */
  Tenant logInAgain(WebClient http, String email) {
    HttpResponse<Buffer> login = http.post("/api/v1/auth/login").timeout(REQUEST_TIMEOUT_MS)
      .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD)).await();
    if (login.statusCode() != 200) throw new IllegalStateException("login answered " + login.statusCode() + ": " + login.bodyAsString());
    return new Tenant(http, login.bodyAsJsonObject().getString("accessToken"), variants);
  }

  String randomVariant() {
    return variants.get(ThreadLocalRandom.current().nextInt(variants.size()));
  }

  /** A single-line order of one unit; answers the HTTP status. */
  Future<String> order(String variant) {
    return order(variant, UUID.randomUUID().toString());
  }

  /** The same key sent again replays the order's first answer instead of placing another. */
  Future<String> order(String variant, String idempotencyKey) {
    return authorized(http.post("/api/v1/orders")).putHeader("Idempotency-Key", idempotencyKey)
      .sendJsonObject(new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", 1))))
      .map(ClosedLoop::status);
  }

  Future<String> get(String path) {
    return authorized(http.get(path)).send().map(ClosedLoop::status);
  }

  JsonObject getJson(String path) {
    return getJson(path, REQUEST_TIMEOUT_MS);
  }

  private JsonObject getJson(String path, long timeoutMs) {
    HttpResponse<Buffer> response = authorized(http.get(path)).timeout(timeoutMs).send().await();
    if (response.statusCode() != 200) throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** The audit is clean and the variants hold exactly their opening stock less the units of accepted orders. */
  void assertInvariants(long unitsSold) {
    JsonObject audit = getJson("/api/v1/inventory/audit", AUDIT_TIMEOUT_MS);
    if (!audit.getJsonArray("discrepancies").isEmpty() || !audit.getJsonArray("needsRepair", new JsonArray()).isEmpty()) {
      throw new IllegalStateException("Invariant check failed, audit: " + audit.encode());
    }
    long stock = 0;
    for (String variant : variants) stock += getJson("/api/v1/variants/" + variant).getLong("stock");
    long expected = OPENING_STOCK * variants.size() - unitsSold;
    if (stock != expected) throw new IllegalStateException("Invariant check failed: stock " + stock + ", expected " + expected);
  }

  private HttpRequest<Buffer> authorized(HttpRequest<Buffer> request) {
    return request.putHeader("Authorization", "Bearer " + token).timeout(REQUEST_TIMEOUT_MS);
  }
}
