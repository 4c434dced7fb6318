package io.stockroom.api;

import io.stockroom.platform.contract.OpenApiDocument;
import io.vertx.core.Vertx;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain-string shortcut of {@link RequestValidation} decides every parameter exactly as vertx-openapi does. */
class RequestValidationTest {
  private static final List<String> VALUES = List.of(
    "abc", "abc-def", "550e8400-e29b-41d4-a716-446655440000", "SKU-1.5", "x/y", "a:b@c", "é-ü", "_x-", "-", "-x",
    "-5x", "5-6", "5,6", "1e5-x", "12", "012", "-012", "1.5", "-5", "1e5", "1.", "0.5e-3",
    "true", "true-x", "false-", "null", "null-x", "NaN", "-Infinity", "Infinity-x",
    "", " a", "a b", "a\tb", "a\"b", "a\\u0041", "\"q\"", "[1]", "{}", "abc\u0001", "\ufeffabc", "a\u007fb",
    "2026-11-26T10:00:00Z", "2026-11-26T10:00:00+01:00", "x".repeat(70));

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = new CachedValidators(ContractLoader.load(vertx, OpenApiDocument.read(vertx, OpenApiDocument.PATH)).await());
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("every string parameter of the contract, with plain and tricky values: same value or same error as the library")
  void sameOutcomeAsTheLibrary() {
    RequestValidatorImpl library = new RequestValidatorImpl(vertx, contract);
    RequestValidatorImpl shortcut = new RequestValidation.PlainStrings(vertx, contract);
    List<Parameter> parameters = contract.operations().stream().flatMap(op -> op.getParameters().stream())
      .filter(parameter -> parameter.getSchemaType() == SchemaType.STRING).toList();
    assertTrue(parameters.size() > 20, "the contract's string parameters: " + parameters.size());
    int shortcuts = 0;
    for (Parameter parameter : parameters) {
      for (String value : VALUES) {
        String expected = outcome(library, parameter, value);
        String actual = outcome(shortcut, parameter, value);
        assertEquals(expected, actual, parameter.getName() + " in " + parameter.getIn() + " = " + value);
        if (RequestValidation.PlainStrings.readsAsItself(parameter, value)) shortcuts++;
      }
    }
    assertTrue(shortcuts > parameters.size() * 10, "values that took the shortcut: " + shortcuts);
  }

  @Test
  @DisplayName("ids with dashes, SKUs and keys take the shortcut; numbers, literals, quotes, escapes and spaces do not")
  void whichValuesTakeTheShortcut() {
    Parameter idempotencyKey = contract.operations().stream().flatMap(op -> op.getParameters().stream())
      .filter(parameter -> parameter.getName().equals("Idempotency-Key")).findFirst().orElseThrow();
    for (String plain : List.of("abc", "550e8400-e29b-41d4-a716-446655440000", "SKU-1.5", "-x", "5-6")) {
      assertTrue(RequestValidation.PlainStrings.readsAsItself(idempotencyKey, plain), plain);
    }
    for (String parsed : List.of("1.5", "-5", "true-x", "null-x", "a b", "a\"b", "a\\u0041", "[1]", "", "\"q\"")) {
      assertFalse(RequestValidation.PlainStrings.readsAsItself(idempotencyKey, parsed), parsed);
    }
  }

  private static String outcome(RequestValidatorImpl validator, Parameter parameter, String value) {
    try {
      RequestParameter result = validator.validateParameter(parameter, new RequestParameterImpl(value));
      Object parsed = result.get();
      return "value " + (parsed == null ? "null" : parsed.getClass().getSimpleName() + ":" + parsed);
    } catch (RuntimeException error) {
      return "error " + error.getClass().getSimpleName() + ": " + Objects.toString(error.getMessage());
    }
  }
}
