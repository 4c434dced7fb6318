package io.stockroom.api;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ValidationErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.util.Locale;

/**
 * What request validation found, as the 400 a client can act on: every entry of {@code errors} says where (a
 * {@code pointer} into the body, or the {@code parameter} and where it is sent, {@code in}) and what is wrong, in the
 * contract's words where it has them (see {@link ValidationErrors}); a missing required parameter takes its
 * {@code x-required-message}, else its description.
 */
final class ValidationProblems {
  static final String X_REQUIRED_MESSAGE = "x-required-message";

  private final JsonObject document;

  ValidationProblems(JsonObject document) {
    this.document = document;
  }

  ServiceError parameter(Parameter parameter, ValidatorException invalid) {
    String in = parameter.getIn().name().toLowerCase(Locale.ROOT);
    String name = parameter.getName();
    JsonObject model = parameter.getOpenAPIModel();
    String hint = hint(model.getString("description"));
    if (invalid.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      String message = model.getString(X_REQUIRED_MESSAGE, "The " + in + " parameter " + name + " is required" + hint);
      return ServiceError.invalidParameter(in, name, message, message);
    }
    JsonArray errors = new JsonArray();
    found(invalid, parameter.getSchema()).forEach(entry -> {
      JsonObject found = (JsonObject) entry;
      JsonObject error = ServiceError.parameterError(in, name, found.getString("message"));
      if (!"#".equals(found.getString("pointer"))) error.put("pointer", found.getString("pointer"));
      errors.add(error);
    });
    if (errors.isEmpty()) errors.add(ServiceError.parameterError(in, name, "The value cannot be read as the contract declares it" + hint));
    String detail = "The " + in + " parameter " + name + " is invalid: " + errors.getJsonObject(0).getString("message") + hint;
    return new ServiceError(ErrorCode.VALIDATION, detail, new JsonObject().put("errors", errors));
  }

  ServiceError body(Operation operation, ValidatorException invalid) {
    if (invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && invalid.getMessage().contains("request body")) {
      return new ServiceError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json");
    }
    JsonArray errors = found(invalid, bodySchema(operation));
    if (errors.isEmpty()) errors.add(new JsonObject().put("pointer", "#").put("message", invalid.getMessage()));
    return new ServiceError(ErrorCode.VALIDATION, detail(invalid.getMessage(), errors), new JsonObject().put("errors", errors));
  }

  private JsonArray found(ValidatorException invalid, Object schema) {
    OutputUnit unit = invalid instanceof SchemaValidationException checked ? checked.getOutputUnit() : null;
    return unit == null ? new JsonArray() : ValidationErrors.of(unit, schema, document);
  }

  private static Object bodySchema(Operation operation) {
    if (operation == null || operation.getRequestBody() == null) return null;
    MediaType json = operation.getRequestBody().getContent().get(MediaType.APPLICATION_JSON);
    return json == null ? null : json.getSchema();
  }

  private static String hint(String description) {
    if (description == null || description.isBlank()) return "";
    String text = description.strip();
    return ". " + (text.endsWith(".") ? text.substring(0, text.length() - 1) : text);
  }

  /**
   * The validator's own summary names one failure, often a part that merely contains it ("Property items does not
   * match additional properties schema"): the summary keeps its subject and names the first real failure instead.
   */
  static String detail(String summary, JsonArray errors) {
    int reason = summary.indexOf(". Reason: ");
    JsonObject first = errors.getJsonObject(0);
    String more = errors.size() == 1 ? "" : " (and " + (errors.size() - 1) + " more in errors)";
    String pointer = first.getString("pointer", "#");
    return (reason < 0 ? "The request is invalid" : summary.substring(0, reason)) + ": "
      + (pointer.equals("#") ? "" : pointer + ": ") + first.getString("message") + more;
  }
}
