package io.stockroom.webhook;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.Invocation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;

/** The commands of {@link WebhookService}, each parsed once from its request (validated by the contract). */
public final class WebhookCommands {
  private WebhookCommands() {
  }

  public record CreateWebhook(Invocation by, String url, List<String> events, boolean active) {
    static CreateWebhook from(BusRequest request) {
      JsonObject body = request.body();
      return new CreateWebhook(request.invocation(), body.getString("url"), eventList(body.getJsonArray("events")),
        body.getBoolean("active", true));
    }
  }

  /** A partial change by the contract's {@code WebhookPatch}: url, events, active (each optional). */
  public record ChangeWebhook(Invocation by, String webhookId, String url, List<String> events, Boolean active) {
    static ChangeWebhook from(BusRequest request) {
      JsonObject body = request.body();
      JsonArray events = body.getJsonArray("events");
      return new ChangeWebhook(request.invocation(), request.pathParam("webhookId"), body.getString("url"),
        events == null ? null : eventList(events), body.getBoolean("active"));
    }

    boolean turnsOn() {
      return Boolean.TRUE.equals(active);
    }

    /** The stored fields it sets; turning an endpoint back on clears why it was turned off. */
    JsonObject changes() {
      JsonObject changes = new JsonObject();
      if (url != null) changes.put("url", url);
      if (events != null) changes.put("events", new JsonArray(List.copyOf(new LinkedHashSet<>(events))));
      if (active != null) changes.put("active", active);
      if (turnsOn()) changes.putNull("disabledReason").putNull("disabledAt");
      return changes;
    }

    /** What the audit log records of it: the fields given, as given. */
    JsonObject asGiven() {
      JsonObject given = new JsonObject();
      if (url != null) given.put("url", url);
      if (events != null) given.put("events", new JsonArray(events));
      if (active != null) given.put("active", active);
      return given;
    }
  }

  private static List<String> eventList(JsonArray events) {
    return events.stream().map(String::valueOf).toList();
  }
}
