package io.stockroom.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates every request against its operation in {@code openapi.yaml}, in place of the router's own validation.
 *
 * <p>vertx-openapi runs each validation as blocking work: two thread hand-offs per request (to a worker and back),
 * for checks that take microseconds. Requests whose body is at most {@link #INLINE_BODY_BYTES} are validated here, on
 * the event loop; larger bodies (up to {@code http.bodyLimitBytes}) still go to the worker pool, so a big body never
 * holds the event loop. The checks are the library's either way, and so is the
 * {@link RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST} for the handlers; a failure is checked parameter by parameter,
 * so that its 400 names the parameter or the body ({@link ValidationProblems}).
 *
 * <p>One more difference, in cost only: see {@link PlainStrings}.
 */
final class RequestValidation {
  static final int INLINE_BODY_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final RequestValidatorImpl validator;
  private final RequestExtractor extractor;
  private final ValidationProblems problems;

  RequestValidation(Vertx vertx, OpenAPIContract contract, RequestExtractor extractor) {
    this.vertx = vertx;
    this.validator = new PlainStrings(vertx, contract);
    this.extractor = extractor;
    this.problems = new ValidationProblems(contract.getRawContract());
  }

  Handler<RoutingContext> forOperation(Operation operation) {
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
      .compose(request -> ctx.body().length() <= INLINE_BODY_BYTES ? inline(request, operation)
        : vertx.executeBlocking(() -> validate(request, operation), false))
      .onSuccess(validated -> {
        ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }

  private Future<ValidatedRequest> inline(ValidatableRequest request, Operation operation) {
    try {
      return Future.succeededFuture(validate(request, operation));
    } catch (RuntimeException invalid) {
      return Future.failedFuture(invalid);
    }
  }

  /**
   * What {@link RequestValidatorImpl#validate(ValidatableRequest, String)} does on its worker, except that a failure
   * is the 400 of {@link ValidationProblems}, which knows the parameter or the body it is about.
   */
  private ValidatedRequest validate(ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>(request.getCookies().size());
    Map<String, RequestParameter> headers = new HashMap<>(request.getHeaders().size());
    Map<String, RequestParameter> path = new HashMap<>(request.getPathParameters().size());
    Map<String, RequestParameter> query = new HashMap<>(request.getQuery().size());
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      try {
        switch (parameter.getIn()) {
          case COOKIE -> cookies.put(name, validator.validateParameter(parameter, request.getCookies().get(name)));
          case HEADER -> headers.put(name, validator.validateParameter(parameter, request.getHeaders().get(name)));
          case PATH -> path.put(name, validator.validateParameter(parameter, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, validator.validateParameter(parameter, request.getQuery().get(name)));
        }
      } catch (ValidatorException invalid) {
        throw problems.parameter(parameter, invalid);
      }
    }
    try {
      RequestParameter body = validator.validateBody(operation.getRequestBody(), request);
      return new ValidatedRequestImpl(cookies, headers, path, query, body);
    } catch (ValidatorException invalid) {
      throw problems.body(operation, invalid);
    }
  }

  /**
   * The library reads every string parameter that is not a bare word ({@code \w+}: an id with a dash, an
   * Idempotency-Key, a SKU) as JSON first, and when that fails (it nearly always does) throws and catches two exceptions
   * with their stack traces before reading it again as a quoted JSON string: a measurable share of a request's CPU.
   * A value that cannot be a JSON literal and needs no unescaping reads as itself either way, so such a value is taken
   * as is here; any other value (a number, a bracket, a quote, a backslash, whitespace...) goes the library's way, quirks
   * included, so the outcome of every request is the library's.
   */
  static final class PlainStrings extends RequestValidatorImpl {
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    PlainStrings(Vertx vertx, OpenAPIContract contract) {
      super(vertx, contract);
    }

    @Override
    public RequestParameter validateParameter(Parameter parameter, RequestParameter value) throws ValidatorException {
      if (value == null || !(value.get() instanceof String raw) || !readsAsItself(parameter, raw)) {
        return super.validateParameter(parameter, value);
      }
      OutputUnit result = contract.getSchemaRepository().validator(parameter.getSchema()).validate(raw);
      try {
        result.checkValidity();
        return new RequestParameterImpl(raw);
      } catch (JsonSchemaValidationException invalid) {
        throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, invalid);
      }
    }

    /** Whether the library's transform would hand back {@code raw} unchanged, decided without parsing. */
    static boolean readsAsItself(Parameter parameter, String raw) {
      if (parameter.getSchemaType() != SchemaType.STRING) return false;
      if (parameter.getStyle() != Style.SIMPLE && parameter.getStyle() != Style.FORM) return false;
      if (raw.isEmpty() || !isWordChar(raw.charAt(0)) && raw.charAt(0) != '-') return false;
      boolean allWordChars = raw.chars().allMatch(c -> isWordChar((char) c));
      if (allWordChars) return true;
      if ("tfnNI".indexOf(raw.charAt(0)) >= 0) return false;  // true, false, null, NaN, Infinity: literals that may parse
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c <= ' ' || c == '"' || c == '\\' || c == '\u007f' || c == '\ufeff') return false;
      }
      return !JSON_NUMBER.matcher(raw).matches();
    }

    private static boolean isWordChar(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
  }
}
