package io.stockroom.webhook;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
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
    return RecordCodec.toApi(new Payload(type, timestamp, withoutTenant(data))).encode();
  }

  /** An outbox document's event; its types are empty when it is of no webhook type. */
  static WebhookEvent fromOutbox(JsonObject doc) {
    OutboxEntry entry = RecordCodec.fromDocument(OutboxEntry.class, doc);
    return new WebhookEvent(entry.id(), entry.tenantId(), WebhookEvents.of(entry.type(), entry.data().getString(DATA_TYPE)),
      storedDateText(entry.occurredAt()), entry.data());
  }

  /** The fields of an outbox document ({@code io.stockroom.platform.outbox.Outbox}) an event is made of. */
  private record OutboxEntry(@Key("_id") String id, String tenantId, String type, JsonObject data, JsonObject occurredAt) {
  }

  /** The key of an event's own type in its data (a stock event's), which receivers see as {@code stockEvent}. */
  private static final String DATA_TYPE = "type";
  private static final String STOCK_EVENT = "stockEvent";
  private static final String BSON_DATE = "$date";

  /**
   * A stored date ({@code {$date: text}}) as the text MongoDB's client gave for it, untouched: a payload's timestamp is
   * that text, byte for byte on every attempt and every instance.
   */
  static String storedDateText(JsonObject date) {
    return date.getString(BSON_DATE);
  }

  /** The body of a message, signed and sent as it is encoded: its field names and their order are the receivers'. */
  private record Payload(String type, String timestamp, JsonObject data) {
  }

  /** The event as receivers see it: no tenant id (the endpoint is the tenant's), the stock event's own type named apart. */
  private static JsonObject withoutTenant(JsonObject data) {
    JsonObject copy = data.copy();
    copy.remove(Fields.TENANT_ID);
    Object stockEvent = copy.remove(DATA_TYPE);
    if (stockEvent != null) copy.put(STOCK_EVENT, stockEvent);
    return copy;
  }
}
