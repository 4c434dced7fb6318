package io.stockroom.webhook;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.outbox.Outbox;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands on the events the outbox holds (low-stock transitions without a stock movement, and stock events older
 * releases wrote there), then removes them. Safe on several instances at once (a delivery is unique per endpoint and
 * message id) and after a crash between the two (the event is handed on again, which adds nothing).
 */
final class OutboxDrain {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDrain.class);
  static final int BATCH = 200;
  static final int MAX_BATCHES_PER_TURN = 10;

  private final Outbox outbox;
  private final Webhooks webhooks;
  private final EventHandover handover;

  OutboxDrain(MongoClient mongo) {
    this.outbox = new Outbox(mongo);
    this.webhooks = new Webhooks(mongo);
    this.handover = new EventHandover(mongo);
  }

  /** Batch after batch while the outbox has full batches, at most {@link #MAX_BATCHES_PER_TURN}. Always succeeds. */
  Future<Void> drain() {
    return drain(MAX_BATCHES_PER_TURN, new HashMap<>());
  }

  /**
   * One batch: which of its events committed (three queries for the batch), their deliveries, tenant by tenant, then
   * the handed-on events leave the outbox in one command. An event whose hand-on failed stays for the next turn.
   */
  private Future<Void> drain(int batchesLeft, Map<String, Future<List<Webhook.Subscriber>>> endpoints) {
    return outbox.oldest(BATCH).compose(docs -> outbox.committedAmong(docs).compose(committed -> {
      Map<String, List<WebhookEvent>> byTenant = new LinkedHashMap<>();
      docs.stream().filter(doc -> committed.contains(doc.getString(Fields.ID))).map(WebhookEvent::fromOutbox)
        .forEach(event -> byTenant.computeIfAbsent(event.tenantId(), t -> new ArrayList<>()).add(event));
      List<String> handedOn = new ArrayList<>();
      return Steps.each(byTenant.entrySet(), tenant -> {
          List<WebhookEvent> known = tenant.getValue().stream().filter(event -> !event.types().isEmpty()).toList();
          tenant.getValue().stream().filter(event -> event.types().isEmpty()).forEach(event -> handedOn.add(event.id()));
          return endpoints.computeIfAbsent(tenant.getKey(), webhooks::active)
            .compose(active -> handover.handOn(tenant.getKey(), known, active, false))
            .onSuccess(keys -> known.stream().filter(event -> keys.contains(event.key())).forEach(event -> handedOn.add(event.id())))
            .otherwiseEmpty();
        })
        .compose(v -> outbox.removeAll(handedOn))
        .compose(v -> docs.size() == BATCH && batchesLeft > 1 ? drain(batchesLeft - 1, endpoints) : Future.succeededFuture());
    })).recover(err -> {
      LOG.warn("Outbox not drained this turn: {}", err.toString());
      return Future.succeededFuture();
    });
  }
}
