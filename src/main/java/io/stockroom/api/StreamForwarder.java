package io.stockroom.api;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.PullStream;
import io.stockroom.platform.security.Caller;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

/**
 * The business step of streamed operations (exports): sends the request like {@link BusForwarder}, then pulls the
 * answer's chunks from the service and writes them as a chunked response, pulling the next one only once the
 * connection took the previous one. A client that goes away cancels the stream. The format is the {@code format}
 * query parameter, else {@code Accept: application/x-ndjson} asks for JSON lines.
 */
final class StreamForwarder {
  private final EventBus bus;
  private final long timeoutMs;

  StreamForwarder(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  Handler<RoutingContext> to(Operation operation) {
    return ctx -> {
      ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
      Caller caller = ctx.get(Authorizer.CALLER);
      JsonObject query = new JsonObject();
      validated.getQuery().forEach((name, value) -> {
        if (value != null && !value.isNull()) query.put(name, value.get());
      });
      String accept = ctx.request().getHeader("Accept");
      if (!query.containsKey("format") && accept != null && accept.contains("application/x-ndjson")) query.put("format", "ndjson");
      BusRequest request = BusRequest.of(caller, new JsonObject(), query, null, null);
      bus.<Buffer>request(operation.address(), request, options())
        .onSuccess(reply -> stream(ctx, new JsonObject(reply.body())))
        .onFailure(ctx::fail);
    };
  }

  private DeliveryOptions options() {
    return new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true);
  }

  private void stream(RoutingContext ctx, JsonObject opened) {
    String address = opened.getString("stream");
    HttpServerResponse response = ctx.response().setChunked(true)
      .putHeader("Content-Type", opened.getString("contentType"))
      .putHeader("Content-Disposition", "attachment; filename=\"" + opened.getString("filename") + "\"");
    boolean[] gone = new boolean[1];
    response.closeHandler(v -> {
      gone[0] = true;
      bus.request(address, null, options().addHeader(PullStream.ACTION_HEADER, "cancel"));
    });
    pull(ctx, response, address, gone);
  }

  private void pull(RoutingContext ctx, HttpServerResponse response, String address, boolean[] gone) {
    if (gone[0]) return;
    bus.<JsonObject>request(address, null, options()).onComplete(pulled -> {
      if (pulled.failed()) {
        // the status line is gone already: cut the response short so the client sees an incomplete transfer
        if (!response.headWritten()) ctx.fail(pulled.cause());
        else response.reset();
        return;
      }
      PullStream.Chunk chunk = PullStream.Chunk.fromJson(pulled.result().body());
      if (chunk.last()) {
        response.end(chunk.data());
        return;
      }
      response.write(chunk.data()).onComplete(written -> {
        if (written.failed()) return;
        if (response.writeQueueFull()) response.drainHandler(v -> pull(ctx, response, address, gone));
        else pull(ctx, response, address, gone);
      });
    });
  }
}
