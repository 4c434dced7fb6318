package io.stockroom.platform.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.stockroom.platform.mongo.RecordCodec;
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

  public static <T> Future<T> fail(ErrorCode code, String detail) {
    return Future.failedFuture(new ServiceError(code, detail));
  }

  /** The extension telling a client when to try again: {@code {retryAfterSeconds}}. */
  public record RetryAfter(int retryAfterSeconds) {
  }

  /** The extensions of an error a client may retry after {@code seconds}. */
  public static JsonObject retryAfter(int seconds) {
    return RecordCodec.toApi(new RetryAfter(seconds));
  }

  /** The event-bus message text of an error: {code, detail, extensions}. */
  private record Wire(String code, String detail, JsonObject extensions) {
  }

  public ErrorCode code() { return code; }
  public String detail() { return getMessage(); }
  public JsonObject extensions() { return extensions; }

  /** The event-bus message text carrying this error. */
  public String toWire() {
    return RecordCodec.toApi(new Wire(code.slug(), detail(), extensions)).encode();
  }

  /** Rebuilds the error a service verticle sent; timeouts and missing handlers become 503. */
  public static ServiceError fromReply(ReplyException e) {
    if (e.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return new ServiceError(ErrorCode.UNAVAILABLE, "A backend service did not answer in time; retry later");
    }
    try {
      Wire wire = RecordCodec.api(Wire.class).decode(new JsonObject(e.getMessage()));
      ErrorCode code = ErrorCode.fromSlug(wire.code());
      if (code == null) code = ErrorCode.forStatus(e.failureCode());
      return new ServiceError(code, wire.detail(), wire.extensions());
    } catch (DecodeException | NullPointerException notJson) {
      ErrorCode code = ErrorCode.forStatus(e.failureCode());
      return new ServiceError(code, code == ErrorCode.INTERNAL ? code.title() : e.getMessage());
    }
  }
}
