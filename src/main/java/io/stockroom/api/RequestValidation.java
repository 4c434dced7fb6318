package io.stockroom.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;

import java.util.HashMap;
import java.util.Map;

/**
 * Validates every request against its operation in {@code openapi.yaml}, in place of the router's own validation.
 *
 * <p>vertx-openapi runs each validation as blocking work: two thread hand-offs per request (to a worker and back),
 * for checks that take microseconds. Requests whose body is at most {@link #INLINE_BODY_BYTES} are validated here, on
 * the event loop; larger bodies (up to {@code http.bodyLimitBytes}) still go to the worker pool, so a big body never
 * holds the event loop. Outcome and answers are the library's either way: the same checks, a
 * {@link RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST} for the handlers, a 400 for a {@link ValidatorException}.
 */
final class RequestValidation {
  static final int INLINE_BODY_BYTES = 16 * 1024;

  private final RequestValidatorImpl validator;
  private final RequestExtractor extractor;

  RequestValidation(Vertx vertx, OpenAPIContract contract, RequestExtractor extractor) {
    this.validator = new RequestValidatorImpl(vertx, contract);
    this.extractor = extractor;
  }

  Handler<RoutingContext> forOperation(Operation operation) {
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
      .compose(request -> ctx.body().length() <= INLINE_BODY_BYTES ? inline(request, operation)
        : validator.validate(request, operation.getOperationId()))
      .onSuccess(validated -> {
        ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
        ctx.next();
      })
      .onFailure(err -> ctx.fail(err instanceof ValidatorException invalid
        ? new HttpException(400, invalid.getMessage(), invalid) : err));
  }

  /** What {@link RequestValidatorImpl#validate(ValidatableRequest, String)} does on its worker, on this thread. */
  private Future<ValidatedRequest> inline(ValidatableRequest request, Operation operation) {
    try {
      Map<String, RequestParameter> cookies = new HashMap<>(request.getCookies().size());
      Map<String, RequestParameter> headers = new HashMap<>(request.getHeaders().size());
      Map<String, RequestParameter> path = new HashMap<>(request.getPathParameters().size());
      Map<String, RequestParameter> query = new HashMap<>(request.getQuery().size());
      for (Parameter parameter : operation.getParameters()) {
        String name = parameter.getName();
        switch (parameter.getIn()) {
          case COOKIE -> cookies.put(name, validator.validateParameter(parameter, request.getCookies().get(name)));
          case HEADER -> headers.put(name, validator.validateParameter(parameter, request.getHeaders().get(name)));
          case PATH -> path.put(name, validator.validateParameter(parameter, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, validator.validateParameter(parameter, request.getQuery().get(name)));
        }
      }
      RequestParameter body = validator.validateBody(operation.getRequestBody(), request);
      return Future.succeededFuture(new ValidatedRequestImpl(cookies, headers, path, query, body));
    } catch (RuntimeException invalid) {
      return Future.failedFuture(invalid);
    }
  }
}
