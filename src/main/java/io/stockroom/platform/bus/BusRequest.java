package io.stockroom.platform.bus;

import io.stockroom.platform.security.Caller;
import io.vertx.core.json.JsonObject;

/**
 * The envelope the HTTP layer sends to a service verticle: the authenticated caller plus the request's validated
 * path parameters, query parameters, body and {@code Idempotency-Key} header, and the client's address (for login
 * throttling and the audit log). Services read inputs only from here.
 * {@code operation} (the consumer that received it), {@code receivedAt} (when it did, epoch ms: the caller's wait for
 * the answer started about then) and {@code claim} (once the Idempotency-Key was claimed) are set on the service side;
 * none crosses the bus.
 */
public record BusRequest(Caller caller, JsonObject path, JsonObject query, JsonObject body, String idempotencyKey,
                         String requestId, String clientAddress, ServiceOperation operation, IdempotencyClaim claim,
                         long receivedAt) {

  public static BusRequest of(Caller caller, JsonObject path, JsonObject query, JsonObject body, String idempotencyKey) {
    return new BusRequest(caller,
      path == null ? new JsonObject() : path,
      query == null ? new JsonObject() : query,
      body == null ? new JsonObject() : body,
      idempotencyKey, RequestIds.current(), null, null, null, 0L);
  }

  /** The request as received by {@code operation}'s consumer. */
  public BusRequest on(ServiceOperation operation) {
    return new BusRequest(caller, path, query, body, idempotencyKey, requestId, clientAddress, operation, claim,
      System.currentTimeMillis());
  }

  public BusRequest withClaim(IdempotencyClaim claim) {
    return new BusRequest(caller, path, query, body, idempotencyKey, requestId, clientAddress, operation, claim, receivedAt);
  }

  /** The same request, sent on behalf of a client at {@code address}. */
  public BusRequest from(String address) {
    return new BusRequest(caller, path, query, body, idempotencyKey, requestId, address, operation, claim, receivedAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("caller", caller == null ? null : caller.toJson())
      .put("path", path).put("query", query).put("body", body)
      .put("idempotencyKey", idempotencyKey).put("requestId", requestId).put("clientAddress", clientAddress);
  }

  public static BusRequest fromJson(JsonObject json) {
    BusRequest request = of(Caller.fromJson(json.getJsonObject("caller")), json.getJsonObject("path"),
      json.getJsonObject("query"), json.getJsonObject("body"), json.getString("idempotencyKey"));
    return new BusRequest(request.caller, request.path, request.query, request.body, request.idempotencyKey,
      json.getString("requestId"), json.getString("clientAddress"), null, null, 0L);
  }

  public String tenantId() {
    return caller.tenantId();
  }

  /** Who asks and how, for the command this request is parsed into. */
  public Invocation invocation() {
    return new Invocation(caller, requestId, clientAddress, operation, claim, receivedAt);
  }

  public String pathParam(String name) {
    return path.getString(name);
  }
}
