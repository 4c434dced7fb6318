package io.stockroom.platform.contract;

import io.stockroom.support.ProblemErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ValidationErrorsTest {
  private static final JsonObject SCHEMA = new JsonObject("""
    {"type": "object", "additionalProperties": false, "required": ["name"],
     "properties": {
       "name": {"type": "string", "minLength": 1},
       "change": {"type": "integer", "not": {"const": 0}},
       "email": {"$ref": "#/$defs/Email"},
       "tags": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 3}},
       "lines": {"type": "array", "items": {"type": "object", "additionalProperties": false,
         "properties": {"quantity": {"type": "integer", "minimum": 1}}}},
       "shape": {"oneOf": [
         {"type": "object", "additionalProperties": false, "required": ["sku"], "properties": {"sku": {"type": "string"}}},
         {"type": "object", "additionalProperties": false, "required": ["matrix", "pattern"],
          "properties": {"matrix": {"type": "object"}, "pattern": {"type": "string"}}}]}},
     "$defs": {"Email": {"type": "string", "pattern": "^[^@]+@[^@]+$"}}}
    """);

  private static JsonArray errorsOf(JsonObject body) {
    Validator validator = Validator.create(JsonSchema.of(SCHEMA), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("app:///").setOutputFormat(OutputFormat.Basic));
    return ValidationErrors.of(validator.validate(body));
  }


  @Test
  void aDeclaredPropertyThatFailsIsReportedByItsCheckNotAsAdditional() {
    assertEquals(ProblemErrors.of("#/email", "String does not match pattern"), errorsOf(new JsonObject().put("name", "n").put("email", "x")));
    assertEquals(ProblemErrors.of("#/name", "String is too short (0 < 1)"), errorsOf(new JsonObject().put("name", "")));
  }

  @Test
  void aFailedNotIsReportedItself() {
    JsonArray errors = errorsOf(new JsonObject().put("name", "n").put("change", 0));
    assertEquals(1, errors.size(), errors::encode);
    assertEquals("#/change", errors.getJsonObject(0).getString("pointer"));
  }

  @Test
  void theContractWordsNotFailuresAndRefusedProperties() {
    JsonObject worded = SCHEMA.copy().put("x-refused-properties", new JsonObject().put("stock", "use adjustments"));
    worded.getJsonObject("properties").getJsonObject("change").put("x-not-message", "change must not be 0");
    worded.getJsonObject("properties").put("ref", new JsonObject().put("$ref", "#/$defs/Counted"));
    worded.getJsonObject("$defs").put("Counted", new JsonObject().put("type", "integer").put("not", new JsonObject().put("const", 0))
      .put("description", "Counted units, never 0."));
    Validator validator = Validator.create(JsonSchema.of(worded), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("app:///").setOutputFormat(OutputFormat.Basic));
    JsonObject body = new JsonObject().put("name", "n").put("change", 0).put("stock", 5).put("ref", 0);
    assertEquals(ProblemErrors.of("#/change", "change must not be 0", "#/stock", "Property \"stock\" is not allowed: use adjustments",
      "#/ref", "Counted units, never 0."), new JsonArray(ValidationErrors.of(validator.validate(body), worded, worded).stream()
        .sorted(java.util.Comparator.comparing(e -> List.of("#/change", "#/stock", "#/ref").indexOf(((JsonObject) e).getString("pointer"))))
        .toList()));
  }

  @Test
  void anUndeclaredPropertyIsNotAllowed() {
    assertEquals(ProblemErrors.of("#/colour", "Property \"colour\" is not allowed"), errorsOf(new JsonObject().put("name", "n").put("colour", "red")));
    assertEquals(ProblemErrors.of("#/lines/1/discount", "Property \"discount\" is not allowed"), errorsOf(new JsonObject().put("name", "n")
      .put("lines", new JsonArray().add(new JsonObject().put("quantity", 1)).add(new JsonObject().put("quantity", 2).put("discount", 1)))));
  }

  @Test
  void checksDeepInArraysAndMapsKeepTheirPointers() {
    assertEquals(ProblemErrors.of("#/lines/0/quantity", "0 is less than 1"), errorsOf(new JsonObject().put("name", "n")
      .put("lines", new JsonArray().add(new JsonObject().put("quantity", 0)))));
    assertEquals(ProblemErrors.of("#/tags/long", "String is too long (5 > 3)"), errorsOf(new JsonObject().put("name", "n")
      .put("tags", new JsonObject().put("ok", "a").put("long", "abcde"))));
  }

  @Test
  void ofOneOfOnlyTheClosestBranchIsReported() {
    assertEquals(ProblemErrors.of("#/shape", "Instance does not have required property \"sku\""), errorsOf(new JsonObject().put("name", "n")
      .put("shape", new JsonObject())));
    assertEquals(ProblemErrors.of("#/shape", "Instance does not have required property \"pattern\""), errorsOf(new JsonObject().put("name", "n")
      .put("shape", new JsonObject().put("matrix", new JsonObject()))));
  }

  @Test
  void everyFailureIsListedAndAValidBodyHasNone() {
    assertEquals(ProblemErrors.of("#", "Instance does not have required property \"name\"", "#/email", "String does not match pattern"),
      errorsOf(new JsonObject().put("email", "x")));
    assertEquals(new JsonArray(), errorsOf(new JsonObject().put("name", "n").put("shape", new JsonObject().put("sku", "s"))));
    // a oneOf that one branch satisfies reports nothing of the others
    assertEquals(ProblemErrors.of("#", "Instance does not have required property \"name\""),
      errorsOf(new JsonObject().put("shape", new JsonObject().put("sku", "s"))));
  }
}
