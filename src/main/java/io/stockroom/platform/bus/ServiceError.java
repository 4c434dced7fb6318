package io.stockroom.platform.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * An expected failure of a service operation (not found, conflict, ...). It crosses the event bus as a
 * {@link ReplyException} whose failure code is the HTTP status and whose message is a small JSON document,
 * so it survives a cluster hop unchanged, and it leaves the HTTP layer as problem+json.
 */
public class ServiceError extends RuntimeException {
  private final ErrorCode code;
  private final JsonObject extensions;

  public ServiceError(ErrorCode code, String detail) {
    this(code, detail, new JsonObject());
  }

  public ServiceError(ErrorCode code, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.code = code;
    this.extensions = extensions == null ? new JsonObject() : extensions;
  }

  public static ServiceError notFound(String what) {
    return new ServiceError(ErrorCode.NOT_FOUND, what + " not found");
  }

  /**
   * A 400 about one request parameter ({@code in}: query, header, path): {@code detail}, and one {@code errors} entry
   * naming the parameter with {@code message}.
   */
  public static ServiceError invalidParameter(String in, String name, String message, String detail) {
    return new ServiceError(ErrorCode.VALIDATION, detail, new JsonObject().put("errors",
      new io.vertx.core.json.JsonArray().add(parameterError(in, name, message))));
  }

  /** An {@code errors} entry about a request parameter: {@code {in, parameter, message}}. */
  public static JsonObject parameterError(String in, String name, String message) {
    return new JsonObject().put("in", in).put("parameter", name).put("message", message);
  }

  public static <T> Future<T> fail(ErrorCode code, String detail) {
    return Future.failedFuture(new ServiceError(code, detail));
  }

  /**
   * The extensions of an error a client may retry after {@code seconds}: {@code {retryAfterSeconds}}. (The bus does not
   * use the record codec of {@code platform/mongo}, which depends on it.)
   */
  public static JsonObject retryAfter(int seconds) {
    return new JsonObject().put("retryAfterSeconds", seconds);
  }

  public ErrorCode code() { return code; }
  public String detail() { return getMessage(); }
  public JsonObject extensions() { return extensions; }

  /** The event-bus message text carrying this error. */
  public String toWire() {
    return new JsonObject().put("code", code.slug()).put("detail", detail()).put("extensions", extensions).encode();
  }

  /** Rebuilds the error a service verticle sent; timeouts and missing handlers become 503. */
  public static ServiceError fromReply(ReplyException e) {
    if (e.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return new ServiceError(ErrorCode.UNAVAILABLE, "A backend service did not answer in time; retry later");
    }
    try {
      JsonObject wire = new JsonObject(e.getMessage());
      ErrorCode code = ErrorCode.fromSlug(wire.getString("code"));
      if (code == null) code = ErrorCode.forStatus(e.failureCode());
      return new ServiceError(code, wire.getString("detail"), wire.getJsonObject("extensions"));
    } catch (DecodeException | NullPointerException notJson) {
      ErrorCode code = ErrorCode.forStatus(e.failureCode());
      return new ServiceError(code, code == ErrorCode.INTERNAL ? code.title() : e.getMessage());
    }
  }
}
