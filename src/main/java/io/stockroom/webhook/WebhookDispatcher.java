package io.stockroom.webhook;

import io.stockroom.platform.outbox.Outbox;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands committed outbox events to the endpoints that want them: one delivery per endpoint and webhook type, then the
 * event leaves the outbox. Safe on several instances at once (a delivery is unique per endpoint and message id) and
 * after a crash between the two (the event is handed on again, which adds nothing).
 */
final class WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final int BATCH = 200;
  static final int PARALLEL = 16;
  static final int MAX_BATCHES_PER_TURN = 10;

  private final Outbox outbox;
  private boolean running;
  private final Webhooks webhooks;
  private final WebhookDeliveries deliveries;

  WebhookDispatcher(MongoClient mongo) {
    this.outbox = new Outbox(mongo);
    this.webhooks = new Webhooks(mongo);
    this.deliveries = new WebhookDeliveries(mongo);
  }

  /** Hands on committed events, {@link #PARALLEL} at a time, batch after batch while the outbox has full batches. */
  Future<Void> dispatch() {
    if (running) return Future.succeededFuture();  // the previous turn is still draining: one at a time per instance
    running = true;
    return dispatch(MAX_BATCHES_PER_TURN, new HashMap<>()).onComplete(done -> running = false);
  }

  /**
   * One batch: which of its events committed (three queries for the batch), their deliveries ({@link #PARALLEL} events
   * at a time), then the handed-on events leave the outbox in one command. An event whose hand-on failed stays for
   * the next turn.
   */
  private Future<Void> dispatch(int batchesLeft, Map<String, Future<List<JsonObject>>> endpoints) {
    return outbox.oldest(BATCH).compose(events -> outbox.committedAmong(events).compose(committed -> {
      List<JsonObject> ready = events.stream().filter(event -> committed.contains(event.getString("_id"))).toList();
      List<List<JsonObject>> chunks = new ArrayList<>();
      for (int i = 0; i < ready.size(); i += PARALLEL) chunks.add(ready.subList(i, Math.min(ready.size(), i + PARALLEL)));
      Set<String> handedOn = ConcurrentHashMap.newKeySet();
      return Steps.each(chunks, chunk -> Future.join(chunk.stream().map(event -> handOn(event, endpoints)
          .onSuccess(v -> handedOn.add(event.getString("_id")))
          .onFailure(err -> LOG.warn("Outbox event {} not handed on yet: {}", event.getString("_id"), err.toString()))).toList())
          .otherwiseEmpty())
        .compose(v -> outbox.removeAll(handedOn))
        .compose(v -> events.size() == BATCH && batchesLeft > 1 ? dispatch(batchesLeft - 1, endpoints) : Future.succeededFuture());
    })).recover(err -> {
      LOG.warn("Outbox not dispatched this turn: {}", err.toString());
      return Future.succeededFuture();
    });
  }

  private Future<Void> handOn(JsonObject event, Map<String, Future<List<JsonObject>>> endpoints) {
    JsonObject data = event.getJsonObject("data");
    List<String> types = WebhookEvents.of(event.getString("type"), data.getString("type"));
    if (types.isEmpty()) return Future.succeededFuture();
    String tenantId = event.getString("tenantId");
    return endpoints.computeIfAbsent(tenantId, webhooks::active).compose(active -> Steps.each(active, endpoint -> Steps.each(types, type -> {
      if (!endpoint.getJsonArray("events").contains(type)) return Future.succeededFuture();
      String messageId = "msg_" + event.getString("_id") + "_" + type.replace('.', '_');
      String timestamp = event.getJsonObject("occurredAt").getString("$date");
      JsonObject payload = new JsonObject().put("type", type).put("timestamp", timestamp).put("data", withoutTenant(data));
      return deliveries.add(tenantId, endpoint.getString("_id"), messageId, type, payload.encode());
    })));
  }

  /** The event as receivers see it: no tenant id (the endpoint is the tenant's), the stock event's own type named apart. */
  private static JsonObject withoutTenant(JsonObject data) {
    JsonObject copy = data.copy();
    copy.remove("tenantId");
    Object stockEvent = copy.remove("type");
    if (stockEvent != null) copy.put("stockEvent", stockEvent);
    return copy;
  }
}
