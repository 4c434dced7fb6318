package io.stockroom.support;

import io.stockroom.api.HttpVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code openapi.yaml} as plain JSON, for tests that walk its operations and schemas. */
public final class ContractDocument {
  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  /** One operation: its method, path, definition, parameters (the path's and its own) and JSON body schema (or null). */
  public record Operation(String operationId, String method, String path, JsonObject definition, JsonArray parameters,
                          JsonObject jsonBodySchema) {
  }

  private final JsonObject document;

  private ContractDocument(JsonObject document) {
    this.document = document;
  }

  @SuppressWarnings("unchecked")
  public static ContractDocument load() {
    try {
      return new ContractDocument(new JsonObject((Map<String, Object>) new Yaml().load(Files.readString(Path.of(HttpVerticle.CONTRACT_PATH)))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!METHODS.contains(method)) continue;
        JsonObject operation = item.getJsonObject(method);
        JsonArray parameters = item.getJsonArray("parameters", new JsonArray()).copy().addAll(operation.getJsonArray("parameters", new JsonArray()));
        JsonObject body = operation.getJsonObject("requestBody");
        JsonObject jsonBody = body == null ? null : body.getJsonObject("content").getJsonObject("application/json");
        operations.add(new Operation(operation.getString("operationId"), method, path, operation, parameters,
          jsonBody == null ? null : jsonBody.getJsonObject("schema")));
      }
    }
    return operations;
  }

  /** The schema or parameter a {@code $ref} points to (followed until it is not a reference). */
  public JsonObject resolve(JsonObject schema) {
    JsonObject current = schema;
    while (current.containsKey("$ref")) {
      JsonObject target = document;
      for (String part : current.getString("$ref").substring(2).split("/")) target = target.getJsonObject(part);
      current = target;
    }
    return current;
  }
}
