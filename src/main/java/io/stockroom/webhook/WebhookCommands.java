package io.stockroom.webhook;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;

/** The commands of {@link WebhookService}, each parsed once from its request (validated by the contract). */
public final class WebhookCommands {
  private WebhookCommands() {
  }

  /** A request's body by the contract's {@code WebhookCreate} and {@code WebhookPatch}: each field optional here. */
  private record Body(String url, List<String> events, Boolean active) {
    static Body of(BusRequest request) {
      return RecordCodec.api(Body.class).decode(request.body());
    }
  }

  public record CreateWebhook(Invocation by, String url, List<String> events, boolean active) {
    static CreateWebhook from(BusRequest request) {
      Body body = Body.of(request);
      return new CreateWebhook(request.invocation(), body.url(), body.events(), body.active() == null || body.active());
    }
  }

  /** A partial change by the contract's {@code WebhookPatch}: url, events, active (each optional). */
  public record ChangeWebhook(Invocation by, String webhookId, String url, List<String> events, Boolean active) {
    static ChangeWebhook from(BusRequest request) {
      Body body = Body.of(request);
      return new ChangeWebhook(request.invocation(), request.pathParam("webhookId"), body.url(), body.events(), body.active());
    }

    boolean turnsOn() {
      return Boolean.TRUE.equals(active);
    }

    /** The stored fields it sets; turning an endpoint back on clears why it was turned off. */
    JsonObject changes() {
      JsonObject changes = RecordCodec.toDocument(new Body(url, events == null ? null : List.copyOf(new LinkedHashSet<>(events)), active));
      if (turnsOn()) changes.putNull(Webhook.DISABLED_REASON).putNull(Webhook.DISABLED_AT);
      return changes;
    }

    /** What the audit log records of it: the fields given, as given. */
    JsonObject asGiven() {
      return RecordCodec.toApi(new Body(url, events, active));
    }
  }
}
