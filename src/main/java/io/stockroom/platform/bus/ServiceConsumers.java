package io.stockroom.platform.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds service operations to event-bus addresses: decodes the {@link BusRequest}, runs the operation and replies
 * with its {@link Reply} or fails the message with the {@link ServiceError}'s status. A data store that did not
 * answer is a 503 ({@link StoreOutages}); other unexpected exceptions are logged once here and cross the bus as a bare
 * 500 (no internals leak to clients).
 *
 * <p>Every address bound on this node is listed in a local registry once its consumer is registered; readiness
 * sends each of them a probe (answered here without running anything), so an instance whose services stopped
 * answering is taken out of the load balancer.
 */
public final class ServiceConsumers {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceConsumers.class);
  private static final String REGISTRY = "stockroom.bus.bound-addresses";
  private static final String PROBE_HEADER = "stockroom-probe";

  private final Vertx vertx;
  private final EventBus bus;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  public ServiceConsumers(Vertx vertx) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    BusCodecs.register(vertx);
  }

  /** The addresses bound on this node (by any verticle) whose registration completed. */
  public static Set<String> boundAddresses(Vertx vertx) {
    return Set.copyOf(vertx.sharedData().<String, Boolean>getLocalMap(REGISTRY).keySet());
  }

  /** Asks this node's consumer of {@code address} to answer, without running its operation. */
  public static Future<Void> probe(Vertx vertx, String address, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs).addHeader(PROBE_HEADER, "1");
    return vertx.eventBus().request(address, null, options).mapEmpty();
  }

  /**
   * Binds an operation whose request is parsed once into its command (a record that checks itself; a refusal is a
   * {@link ServiceError}) before the use case runs on it.
   */
  public <C> ServiceConsumers bind(ServiceOperation operation, Function<BusRequest, C> command, Function<C, Future<Reply>> work) {
    return bind(operation, request -> work.apply(command.apply(request)));
  }

  public ServiceConsumers bind(ServiceOperation operation, Function<BusRequest, Future<Reply>> work) {
    consumers.add(bus.<Object>consumer(operation.address(), message -> handle(operation, message, work)));
    return this;
  }

  /**
   * Binds an internal operation, asked by another verticle or the management port rather than by a request: a JSON
   * message in (none: an empty object), the operation's answer out, failures mapped as for requests.
   */
  public ServiceConsumers bindInternal(ServiceOperation operation, Function<JsonObject, Future<?>> work) {
    consumers.add(bus.<Object>consumer(operation.address(), message -> {
      if (message.headers().contains(PROBE_HEADER)) {
        message.reply(null);
        return;
      }
      Future<?> result;
      try {
        result = work.apply(message.body() instanceof JsonObject json ? json : new JsonObject());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onSuccess(message::reply).onFailure(err -> fail(message, operation.address(), err));
    }));
    return this;
  }

  /** Completes when every consumer registration has propagated (matters in a cluster). */
  public Future<Void> ready() {
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
      .onSuccess(v -> consumers.forEach(consumer ->
        vertx.sharedData().<String, Boolean>getLocalMap(REGISTRY).put(consumer.address(), Boolean.TRUE)))
      .mapEmpty();
  }

  private void handle(ServiceOperation operation, Message<Object> message, Function<BusRequest, Future<Reply>> work) {
    if (message.headers().contains(PROBE_HEADER)) {
      message.reply(null);
      return;
    }
    String address = operation.address();
    Future<Reply> result;
    try {
      // the HTTP verticle's own object when it comes from this node; JSON from other senders
      BusRequest sent = message.body() instanceof BusRequest local ? local : BusRequest.fromJson((JsonObject) message.body());
      BusRequest request = sent.on(operation);
      RequestIds.bind(request.requestId());
      result = work.apply(request);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    // encoded here, so a body that cannot be encoded fails like the operation would (500), not by a timeout
    result.map(reply -> new EncodedReply(reply.encodedBody(), reply.deliveryOptions()))
      .onSuccess(reply -> message.reply(reply.body(), reply.options()))
      .onFailure(err -> fail(message, address, err));
  }

  private static void fail(Message<Object> message, String address, Throwable err) {
    ServiceError error = err instanceof ServiceError se ? se : internal(address, err);
    message.fail(error.code().status(), error.toWire());
  }

  private record EncodedReply(Buffer body, DeliveryOptions options) {
  }

  private static ServiceError internal(String address, Throwable err) {
    if (StoreOutages.isOutage(err)) return StoreOutages.unavailable(LOG, address, err);
    LOG.error("Operation {} failed unexpectedly", address, err);
    return new ServiceError(ErrorCode.INTERNAL, "Internal server error");
  }
}
