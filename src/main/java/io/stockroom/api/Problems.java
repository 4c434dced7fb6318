package io.stockroom.api;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
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

  /** A validation failure that did not come through {@link RequestValidation}: it knows no parameter or schema. */
  private static ServiceError validation(ValidatorException e) {
    return new ValidationProblems(null).body(null, e);
  }
}
