package io.stockroom;

import io.stockroom.platform.contract.OpenApiDocument;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generators name an inline schema after its operation and status ({@code GetMe200Response}): every successful JSON
 * answer of the contract is a {@code $ref} to a named schema, and so is every array of objects inside the named
 * schemas. Streams that are not one JSON document (CSV and NDJSON exports, the YAML of the contract itself) are exempt:
 * their schema is a plain string.
 */
class NamedSchemasTest {

  @Test
  @DisplayName("every 2xx JSON body (application/json or application/*+json) is a $ref to a named schema")
  void successBodiesAreNamed() throws Exception {
    JsonObject contract = contract();
    List<String> inline = new ArrayList<>();
    contract.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (!(op.getValue() instanceof JsonObject operation) || !operation.containsKey("responses")) return;
      operation.getJsonObject("responses").forEach(response -> {
        if (!response.getKey().startsWith("2")) return;
        JsonObject answer = resolve(contract, (JsonObject) response.getValue());
        JsonObject content = answer.getJsonObject("content", new JsonObject());
        content.forEach(media -> {
          if (!isJson(media.getKey())) return;
          JsonObject schema = ((JsonObject) media.getValue()).getJsonObject("schema", new JsonObject());
          if (!schema.containsKey("$ref")) inline.add(operation.getString("operationId") + " " + response.getKey() + " " + media.getKey());
        });
      });
    }));
    assertEquals(List.of(), inline, "2xx JSON bodies with an inline schema (a generated client would name them after the operation)");
  }

  @Test
  @DisplayName("an array of objects inside a named schema has named items")
  void arrayItemsAreNamed() throws Exception {
    List<String> inline = new ArrayList<>();
    contract().getJsonObject("components").getJsonObject("schemas")
      .forEach(schema -> walk(schema.getValue(), "/components/schemas/" + schema.getKey(), inline));
    assertEquals(List.of(), inline, "arrays whose items are inline objects");
  }

  private static void walk(Object node, String path, List<String> inline) {
    if (node instanceof JsonObject object) {
      if ("array".equals(object.getValue("type")) && object.getValue("items") instanceof JsonObject items
          && "object".equals(items.getValue("type")) && items.containsKey("properties")) {
        inline.add(path);
      }
      object.forEach(entry -> walk(entry.getValue(), path + "/" + entry.getKey(), inline));
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) walk(array.getValue(i), path + "[" + i + "]", inline);
    }
  }

  static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.startsWith("application/") && mediaType.endsWith("+json");
  }

  private static JsonObject resolve(JsonObject contract, JsonObject response) {
    String ref = response.getString("$ref");
    if (ref == null) return response;
    JsonObject target = contract;
    for (String part : ref.substring(2).split("/")) target = target.getJsonObject(part);
    return target;
  }

  private static JsonObject contract() throws Exception {
    return OpenApiDocument.compile(Files.readString(Path.of(OpenApiDocument.PATH))).getJsonObject("document");
  }
}
