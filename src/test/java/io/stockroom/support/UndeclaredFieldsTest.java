package io.stockroom.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UndeclaredFieldsTest {
  private final ContractDocument contract = ContractDocument.of(new JsonObject("""
    {"paths": {}, "components": {"schemas": {
      "Item": {"type": "object", "properties": {"id": {"type": "string"}, "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}},
      "Tag": {"type": "object", "properties": {"name": {"type": "string"}}},
      "WithSecret": {"allOf": [{"$ref": "#/components/schemas/Item"}, {"type": "object", "properties": {"secret": {"type": "string"}}}]},
      "Open": {"type": "object", "additionalProperties": {"type": "integer"}},
      "Either": {"oneOf": [{"$ref": "#/components/schemas/Tag"}, {"type": "null"}]}
    }}}
    """));
  private final UndeclaredFields undeclared = new UndeclaredFields(contract);

  private List<String> in(Object value, String schema) {
    return undeclared.in(value, new JsonObject().put("$ref", "#/components/schemas/" + schema));
  }

  @Test
  void findsFieldsNoSchemaNamesAtAnyDepth() {
    assertEquals(List.of(), in(new JsonObject("{\"id\": \"a\", \"tags\": [{\"name\": \"x\"}]}"), "Item"));
    assertEquals(List.of("$.internal"), in(new JsonObject("{\"id\": \"a\", \"internal\": 1}"), "Item"));
    assertEquals(List.of("$.tags[1].u"), in(new JsonObject("{\"tags\": [{\"name\": \"x\"}, {\"name\": \"y\", \"u\": 0}]}"), "Item"));
  }

  @Test
  void allOfDeclaresTheUnionAndOneOfTheBestBranch() {
    assertEquals(List.of(), in(new JsonObject("{\"id\": \"a\", \"secret\": \"s\"}"), "WithSecret"));
    assertEquals(List.of("$.version"), in(new JsonObject("{\"id\": \"a\", \"secret\": \"s\", \"version\": 3}"), "WithSecret"));
    assertEquals(List.of("$.extra"), in(new JsonObject("{\"name\": \"x\", \"extra\": true}"), "Either"));
    assertEquals(List.of(), in(null, "Either"));
  }

  @Test
  void openObjectsAreNotWalked() {
    assertEquals(List.of(), in(new JsonObject("{\"anything\": 1, \"goes\": 2}"), "Open"));
    assertEquals(List.of(), undeclared.in(new JsonArray().add(new JsonObject().put("k", 1)), new JsonObject().put("type", "array")));
  }
}
