package io.stockroom.support;

import io.stockroom.platform.contract.OpenApiDocument;
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
  private final List<Operation> operations;

  private ContractDocument(JsonObject document) {
    this.document = document;
    this.operations = List.copyOf(readOperations(document));
  }

  /** A contract given as its document (a test's own). */
  public static ContractDocument of(JsonObject document) {
    return new ContractDocument(document);
  }

  @SuppressWarnings("unchecked")
  public static ContractDocument load() {
    try {
      return new ContractDocument(new JsonObject((Map<String, Object>) new Yaml().load(Files.readString(Path.of(OpenApiDocument.PATH)))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Operation> operations() {
    return operations;
  }

  private static List<Operation> readOperations(JsonObject document) {
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

  /**
   * The operation that serves {@code method} on {@code path} (no query), or null. A literal segment beats a
   * parameter ({@code /variants/search} before {@code /variants/{variantId}}).
   */
  public Operation operationFor(String method, String path) {
    String[] segments = path.split("/", -1);
    Operation best = null;
    int bestLiterals = -1;
    for (Operation op : operations()) {
      if (!op.method().equalsIgnoreCase(method)) continue;
      String[] template = op.path().split("/", -1);
      if (template.length != segments.length) continue;
      int literals = 0;
      boolean matches = true;
      for (int i = 0; i < template.length && matches; i++) {
        boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
        if (parameter) matches = !segments[i].isEmpty();
        else if (template[i].equals(segments[i])) literals++;
        else matches = false;
      }
      if (matches && literals > bestLiterals) {
        best = op;
        bestLiterals = literals;
      }
    }
    return best;
  }

  /** The JSON schema of {@code op}'s answer with {@code status}, or null when it declares none. */
  public JsonObject responseSchema(Operation op, int status) {
    JsonObject response = op.definition().getJsonObject("responses", new JsonObject()).getJsonObject(String.valueOf(status));
    if (response == null) return null;
    JsonObject json = resolve(response).getJsonObject("content", new JsonObject()).getJsonObject("application/json");
    return json == null ? null : json.getJsonObject("schema");
  }

  /** The schema {@code components.schemas.<name>}, references followed. */
  public JsonObject schema(String name) {
    return resolve(document.getJsonObject("components").getJsonObject("schemas").getJsonObject(name));
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
