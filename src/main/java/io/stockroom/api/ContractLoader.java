package io.stockroom.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;

/**
 * Loads {@code openapi.yaml} for the router. vertx-openapi 5.0 refuses response media types outside a fixed list
 * (e.g. {@code application/problem+json}, {@code application/yaml}) even though it never validates responses; the
 * published document keeps the true types and only the router's in-memory copy lists them as application/json.
 */
public final class ContractLoader {
  private ContractLoader() {
  }

  /** The router's contract from the document read once for every verticle. */
  public static Future<OpenAPIContract> load(Vertx vertx, Future<JsonObject> document) {
    return document
      .compose(read -> vertx.executeBlocking(() -> withRouterMediaTypes(read), false))
      .compose(forRouter -> OpenAPIContract.from(vertx, forRouter))
      .map(CachedValidators::new);
  }

  static JsonObject withRouterMediaTypes(JsonObject document) {
    JsonObject copy = document.copy();
    // a request body of a type the router cannot validate (an import's text/csv) is checked by its handler instead
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op && op.getJsonObject("requestBody") != null
        && op.getJsonObject("requestBody").getJsonObject("content", new JsonObject()).fieldNames().stream()
          .noneMatch(media -> media.startsWith("application/json"))) {
        op.remove("requestBody");
      }
    }));
    JsonObject sharedResponses = copy.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject());
    sharedResponses.forEach(e -> normalise((JsonObject) e.getValue()));
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op && op.containsKey("responses")) {
        op.getJsonObject("responses").forEach(response -> normalise((JsonObject) response.getValue()));
      }
    }));
    return copy;
  }

  private static void normalise(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content == null) return;
    JsonObject rewritten = new JsonObject();
    content.forEach(media -> rewritten.put(media.getKey().startsWith("application/json") ? media.getKey() : "application/json",
      media.getValue()));
    response.put("content", rewritten);
  }
}
