package io.stockroom.api;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ValidationErrors;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root failure handler: every failed request leaves as {@code application/problem+json} with {@code type},
 * {@code title}, {@code status}, {@code detail} (and {@code errors[]} for validation); a 401 carries its
 * {@link BearerChallenge}. 5xx are logged with their
 * stack trace, 4xx are not; internals never reach the client.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {
  }

  public static void handle(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) return;
    ServiceError error = classify(ctx.failure(), ctx.statusCode());
    if (error.code().status() >= 500 && error.code() != ErrorCode.UNAVAILABLE) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
    } else if (error.code() == ErrorCode.UNAVAILABLE) {
      LOG.warn("{} {} unavailable: {}", ctx.request().method(), ctx.normalizedPath(), error.detail());
    }
    write(ctx, error);
  }

  public static void write(RoutingContext ctx, ServiceError error) {
    write(ctx.response(), error);
  }

  /** Also used before routing (malformed requests), where there is no routing context yet. */
  public static void write(HttpServerResponse response, ServiceError error) {
    JsonObject body = new JsonObject()
      .put("type", error.code().type())
      .put("title", error.code().title())
      .put("status", error.code().status())
      .put("detail", error.detail());
    error.extensions().forEach(e -> {
      if (!body.containsKey(e.getKey())) body.put(e.getKey(), e.getValue());
    });
    Object retryAfter = error.extensions().getValue("retryAfterSeconds");
    if (retryAfter instanceof Number seconds) response.putHeader("Retry-After", Long.toString(seconds.longValue()));
    if (error.code().status() == 401) response.putHeader(BearerChallenge.HEADER, BearerChallenge.of(error));
    response
      .setStatusCode(error.code().status())
      .putHeader("Content-Type", CONTENT_TYPE)
      .end(body.encode());
  }

  static ServiceError classify(Throwable failure, int statusCode) {
    ServiceError known = fromFailure(failure);
    if (known != null) return known;
    if (failure == null && statusCode >= 400) {
      ErrorCode code = ErrorCode.forStatus(statusCode);
      return new ServiceError(code, code.title());
    }
    return new ServiceError(ErrorCode.INTERNAL, "Internal server error");
  }

  private static ServiceError fromFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ServiceError se) return se;
      if (t instanceof ReplyException re) return ServiceError.fromReply(re);
      if (t instanceof ValidatorException ve) return validation(ve);
    }
    if (failure instanceof HttpException http) {
      ErrorCode code = ErrorCode.forStatus(http.getStatusCode());
      String detail = switch (code) {
        case UNAUTHORIZED -> "A valid bearer token is required";
        case PAYLOAD_TOO_LARGE -> "The request body exceeds the configured limit";
        default -> http.getPayload() != null ? http.getPayload() : code.title();
      };
      return new ServiceError(code, detail);
    }
    return null;
  }

  private static ServiceError validation(ValidatorException e) {
    if (e.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && e.getMessage().contains("request body")) {
      return new ServiceError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json");
    }
    if (!(e instanceof SchemaValidationException invalid) || invalid.getOutputUnit() == null) {
      return new ServiceError(ErrorCode.VALIDATION, e.getMessage(), new JsonObject().put("errors", new JsonArray()));
    }
    JsonArray errors = ValidationErrors.of(invalid.getOutputUnit());
    return new ServiceError(ErrorCode.VALIDATION, detail(e.getMessage(), errors), new JsonObject().put("errors", errors));
  }

  /**
   * The validator's own summary names one failure, often a part that merely contains it ("Property items does not
   * match additional properties schema"): the summary keeps its subject and names the first real failure instead.
   */
  private static String detail(String summary, JsonArray errors) {
    if (errors.isEmpty()) return summary;
    int reason = summary.indexOf(". Reason: ");
    JsonObject first = errors.getJsonObject(0);
    String more = errors.size() == 1 ? "" : " (and " + (errors.size() - 1) + " more in errors)";
    String pointer = first.getString("pointer");
    return (reason < 0 ? "The request is invalid" : summary.substring(0, reason)) + ": "
      + (pointer.equals("#") ? "" : pointer + ": ") + first.getString("message") + more;
  }
}
