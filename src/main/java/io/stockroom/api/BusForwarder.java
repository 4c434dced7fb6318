package io.stockroom.api;

import io.stockroom.platform.security.Caller;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The business step of every API route: packs the validated request and the caller into a {@link BusRequest}, sends
 * it to the operation's service address and writes the reply. No business logic lives here.
 *
 * <p>Requests go to the service verticles of this instance only ({@code localOnly}), also in a cluster: every instance
 * runs every service, the load balancer spreads the work, and a request never waits on a member that may have died
 * (cluster-wide delivery to dead members and lost subscriptions after a split are known Hazelcast failure modes).
 * The cluster carries what must reach every instance: the stock events for the bridges.
 */
public final class BusForwarder {
  public static final String IDEMPOTENCY_KEY = io.stockroom.platform.bus.IdempotencyClaim.HEADER;
  private final EventBus bus;
  private final long timeoutMs;

  public BusForwarder(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  public Handler<RoutingContext> to(Operation operation) {
    return ctx -> {
      ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
      Caller caller = ctx.get(Authorizer.CALLER);
      RequestParameter body = validated.getBody();
      BusRequest request = BusRequest.of(caller,
        toJson(validated.getPathParameters()),
        toJson(validated.getQuery()),
        body == null || body.isNull() || !body.isJsonObject() ? null : body.getJsonObject(),
        ctx.request().getHeader(IDEMPOTENCY_KEY)).from(ClientAddress.of(ctx));
      bus.<Buffer>request(operation.address(), request, new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true))
        .onSuccess(reply -> respond(ctx, reply, operation))
        .onFailure(ctx::fail);
    };
  }

  /**
   * For an operation taking a file (an import): the raw body, which must be {@code text/csv} or
   * {@code application/x-ndjson} (415 otherwise), travels as {@code {contentType, text}}.
   */
  public Handler<RoutingContext> withRawBody(Operation operation) {
    return ctx -> {
      String contentType = mediaType(ctx.request().getHeader("Content-Type"));
      if (!RequestGuard.RAW_MEDIA_TYPES.contains(contentType)) {
        ctx.fail(new ServiceError(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Send the file as text/csv or application/x-ndjson"));
        return;
      }
      Buffer body = ctx.body().buffer();
      if (body == null || body.length() == 0) {
        ctx.fail(new ServiceError(ErrorCode.VALIDATION, "The file is empty"));
        return;
      }
      Caller caller = ctx.get(Authorizer.CALLER);
      BusRequest request = BusRequest.of(caller, new JsonObject(), new JsonObject(),
        new JsonObject().put("contentType", contentType).put("text", body.toString(StandardCharsets.UTF_8)),
        ctx.request().getHeader(IDEMPOTENCY_KEY))
        .from(ClientAddress.of(ctx));
      bus.<Buffer>request(operation.address(), request, new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true))
        .onSuccess(reply -> respond(ctx, reply, operation))
        .onFailure(ctx::fail);
    };
  }

  static String mediaType(String contentType) {
    return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Writes the service's JSON text as it is: it was encoded once, by the service ({@link Reply#encodedBody()}). A 201
   * that created a resource with its own URL says where ({@code Location}); a replayed answer says it alike.
   */
  private static void respond(RoutingContext ctx, Message<Buffer> reply, Operation operation) {
    int status = Integer.parseInt(reply.headers().get(Reply.STATUS_HEADER));
    ctx.response().setStatusCode(status);
    if (status == 201 && reply.body() != null) {
      String location = operation.location(new JsonObject(reply.body()).getString("id"));
      if (location != null) ctx.response().putHeader(HttpHeaders.LOCATION, location);
    }
    if (reply.body() == null) {
      ctx.response().end();
    } else {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
    }
  }

  private static JsonObject toJson(Map<String, RequestParameter> params) {
    JsonObject json = new JsonObject();
    if (params != null) params.forEach((name, value) -> {
      if (value != null && !value.isNull()) json.put(name, value.get());
    });
    return json;
  }
}
