package io.stockroom.webhook;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * One event as endpoints receive it, whatever recorded it (the ledger or the outbox): {@code id} is the id of the
 * document that first recorded it (its first movement, or its outbox document), so every message id derived from it
 * is the same each time the event is handed on; {@code types} the webhook types it is (stock.changed and its own type,
 * or one low-stock type); {@code timestamp} when it was recorded; {@code data} the event with its tenant.
 */
record WebhookEvent(String id, String tenantId, List<String> types, String timestamp, JsonObject data) {

  /** The {@code webhook-id} of this event's message of {@code type}. */
  String messageId(String type) {
    return "msg_" + id + "_" + type.replace('.', '_');
  }

  /** Names the event among all others (a movement can record a stock event and a low-stock one). */
  String key() {
    return messageId(types.get(0));
  }

  Instant recordedAt() {
    return Instant.parse(timestamp);
  }

  /** The body of its message of {@code type}, the same on every attempt. */
  String payload(String type) {
    return new JsonObject().put("type", type).put("timestamp", timestamp).put("data", withoutTenant(data)).encode();
  }

  /** An outbox document's event; its types are empty when it is of no webhook type. */
  static WebhookEvent fromOutbox(JsonObject doc) {
    JsonObject data = doc.getJsonObject("data");
    return new WebhookEvent(doc.getString("_id"), doc.getString("tenantId"), WebhookEvents.of(doc.getString("type"), data.getString("type")),
      doc.getJsonObject("occurredAt").getString("$date"), data);
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
