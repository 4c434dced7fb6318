package io.stockroom;

import io.stockroom.api.ContractLoader;
import io.stockroom.api.Operation;
import io.stockroom.platform.contract.OpenApiDocument;
import io.stockroom.support.ContractDocument;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContractCoverageTest {
  /** Operations the HTTP verticle answers itself rather than forwarding to a service. */
  private static final Set<String> LOCAL = Set.of("getLiveness", "getReadiness", "getOpenApiDocument", "getJwks");

  @Test
  @DisplayName("openapi.yaml and the role matrix list exactly the same operations")
  void everyOperationIsServedAndDocumented() {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = ContractLoader.load(vertx, OpenApiDocument.read(vertx, OpenApiDocument.PATH)).await();
      Set<String> documented = contract.operations().stream().map(io.vertx.openapi.contract.Operation::getOperationId)
        .collect(Collectors.toCollection(TreeSet::new));
      Set<String> served = new TreeSet<>(LOCAL);
      served.addAll(Arrays.stream(Operation.values()).map(Operation::operationId).collect(Collectors.toSet()));
      assertEquals(served, documented);
      assertEquals(Operation.values().length, new HashSet<>(Arrays.stream(Operation.values()).map(Operation::address).toList()).size(),
        "each operation has its own event-bus address");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("a 201 declares Location exactly where the service answers one (operations creating a resource with its own URL)")
  void locationsAsDeclared() {
    Set<String> declared = new TreeSet<>();
    for (ContractDocument.Operation op : ContractDocument.load().operations()) {
      JsonObject created = op.definition().getJsonObject("responses").getJsonObject("201");
      if (created != null && created.getJsonObject("headers", new JsonObject()).containsKey("Location")) declared.add(op.operationId());
    }
    Set<String> answered = Arrays.stream(Operation.values()).filter(op -> op.location("x") != null).map(Operation::operationId)
      .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(declared, answered);
    assertEquals("/api/v1/variants/abc", Operation.CREATE_VARIANT.location("abc"));
  }

  /** Path endings that name an action on an existing resource rather than a collection. */
  private static final Set<String> ACTIONS = Set.of("send", "confirm", "cancel", "close", "ship", "receive", "release",
    "login", "refresh", "logout", "rotate-secret", "redeliver");

  @Test
  @DisplayName("a POST to a collection answers 201, a POST to an action 200 (202 when work is only accepted, 204 with no body): one rule for every operation")
  void createdOrChangedByPathShape() {
    List<String> broken = new ArrayList<>();
    for (ContractDocument.Operation op : ContractDocument.load().operations()) {
      if (!op.method().equalsIgnoreCase("post")) continue;
      String last = op.path().substring(op.path().lastIndexOf('/') + 1);
      Set<String> success = new TreeSet<>();
      for (String status : op.definition().getJsonObject("responses").fieldNames()) if (status.startsWith("2")) success.add(status);
      Set<String> expected = ACTIONS.contains(last) ? Set.of("200", "202", "204") : Set.of("201", "202");
      if (success.isEmpty() || !expected.containsAll(success)) broken.add(op.operationId() + " " + op.path() + " answers " + success);
    }
    assertEquals(List.of(), broken);
  }

  @Test
  @DisplayName("every request input is bounded in openapi.yaml: strings, numbers, arrays, maps")
  void everyRequestInputIsBounded() throws Exception {
    ContractDocument contract = ContractDocument.load();
    Set<String> unbounded = new TreeSet<>();
    for (ContractDocument.Operation op : contract.operations()) {
      if (op.jsonBodySchema() != null) bounds(contract, op.jsonBodySchema(), op.operationId(), Set.of(), unbounded);
      for (Object p : op.parameters()) {
        JsonObject parameter = contract.resolve((JsonObject) p);
        bounds(contract, parameter.getJsonObject("schema", new JsonObject()), op.operationId() + "?" + parameter.getString("name"), Set.of(), unbounded);
      }
    }
    assertEquals(Set.of(), unbounded, "request inputs without a limit");
  }

  private static void bounds(ContractDocument contract, JsonObject raw, String where, Set<String> seen, Set<String> unbounded) {
    String ref = raw.getString("$ref");
    if (ref != null && seen.contains(ref)) return;
    Set<String> visited = new HashSet<>(seen);
    if (ref != null) visited.add(ref);
    JsonObject schema = contract.resolve(raw);
    for (String combinator : java.util.List.of("oneOf", "anyOf", "allOf")) {
      for (Object part : schema.getJsonArray(combinator, new JsonArray())) bounds(contract, (JsonObject) part, where, visited, unbounded);
    }
    Object type = schema.getValue("type");
    Set<String> types = type instanceof JsonArray list ? list.stream().map(String::valueOf).collect(Collectors.toSet())
      : type == null ? Set.of() : Set.of(String.valueOf(type));
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (String name : properties.fieldNames()) bounds(contract, properties.getJsonObject(name), where + "." + name, visited, unbounded);
    if (schema.getValue("additionalProperties") instanceof JsonObject values) {
      if (!schema.containsKey("maxProperties")) unbounded.add(where + " (map without maxProperties)");
      bounds(contract, values, where + ".*", visited, unbounded);
    }
    if (types.contains("array")) {
      if (!schema.containsKey("maxItems")) unbounded.add(where + " (array without maxItems)");
      bounds(contract, schema.getJsonObject("items", new JsonObject()), where + "[]", visited, unbounded);
    }
    if (types.contains("string") && Set.of("maxLength", "enum", "const", "format", "pattern").stream().noneMatch(schema::containsKey)) {
      unbounded.add(where + " (string without maxLength)");
    }
    if ((types.contains("integer") || types.contains("number")) && !schema.containsKey("maximum") && !schema.containsKey("exclusiveMaximum")) {
      unbounded.add(where + " (number without maximum)");
    }
  }
}
