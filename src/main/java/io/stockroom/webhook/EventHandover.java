package io.stockroom.webhook;

import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns events into deliveries: one per endpoint and webhook type the endpoint wants, for the endpoints that existed
 * when the event was recorded (an endpoint receives the events of changes made after it was created). A delivery is
 * unique per endpoint and message id, so handing an event on twice, here or on another instance, adds nothing.
 */
final class EventHandover {
  private static final Logger LOG = LoggerFactory.getLogger(EventHandover.class);
  /** Deliveries inserted at once. */
  static final int PARALLEL = 16;

  private final WebhookDeliveries deliveries;

  EventHandover(MongoClient mongo) {
    this.deliveries = new WebhookDeliveries(mongo);
  }

  private record Wanted(WebhookEvent event, String webhookId, String type) {
    String messageId() {
      return event.messageId(type);
    }
  }

  /**
   * Hands each of the tenant's events to its endpoints; answers the keys ({@link WebhookEvent#key}) of the events
   * whose every delivery now exists. An event with a delivery that could not be written is left out (and logged), to
   * be handed on again.
   *
   * @param endpoints the tenant's active endpoints ({@link Webhooks#active})
   * @param seenBefore the events were probably handed on before: the deliveries already there are read first, in one
   *                   query, instead of each being refused by the unique index
   */
  Future<Set<String>> handOn(String tenantId, List<WebhookEvent> events, List<Webhook.Subscriber> endpoints, boolean seenBefore) {
    List<Wanted> wanted = new ArrayList<>();
    for (WebhookEvent event : events) {
      for (Webhook.Subscriber endpoint : endpoints) {
        if (!endpoint.existedAt(event.recordedAt())) continue;
        for (String type : event.types()) if (endpoint.events().contains(type)) wanted.add(new Wanted(event, endpoint.id(), type));
      }
    }
    Set<String> handedOn = new LinkedHashSet<>();
    events.forEach(event -> handedOn.add(event.key()));
    if (wanted.isEmpty()) return Future.succeededFuture(handedOn);
    Future<Set<String>> existing = seenBefore
      ? deliveries.existing(tenantId, new HashSet<>(wanted.stream().map(Wanted::webhookId).toList()),
          new HashSet<>(wanted.stream().map(Wanted::messageId).toList()))
      : Future.succeededFuture(Set.of());
    return existing.compose(have -> {
      List<Wanted> missing = wanted.stream().filter(d -> !have.contains(d.webhookId() + " " + d.messageId())).toList();
      List<List<Wanted>> chunks = new ArrayList<>();
      for (int i = 0; i < missing.size(); i += PARALLEL) chunks.add(missing.subList(i, Math.min(missing.size(), i + PARALLEL)));
      return Steps.each(chunks, chunk -> Future.join(chunk.stream().map(d -> deliveries.add(tenantId, d.webhookId(), d.messageId(),
          d.type(), d.event().payload(d.type())).onFailure(err -> {
            handedOn.remove(d.event().key());
            LOG.warn("Webhook event {} not handed on to {} yet: {}", d.messageId(), d.webhookId(), err.toString());
          })).toList()).otherwiseEmpty());
    }).map(v -> handedOn);
  }
}
