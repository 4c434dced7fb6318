package io.stockroom.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryRecordTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.120Z");

  private static Delivery fresh() {
    return Delivery.create("t1", "w1", "msg_1_stock_changed", "stock.changed", "{\"type\":\"stock.changed\",\"data\":{}}", T0,
      Duration.ofDays(30));
  }

  @Test
  @DisplayName("a new delivery is stored with the layout of before: PENDING, no attempts, due now, lease free, no owner")
  void newDocument() {
    JsonObject doc = fresh().toDocument();
    assertEquals(Set.of("_id", "tenantId", "webhookId", "messageId", "type", "payload", "status", "attempts", "attemptCount",
      "nextAttemptAt", "leaseUntil", "createdAt", "expiresAt"), doc.fieldNames());
    assertEquals("PENDING", doc.getString("status"));
    assertEquals(new JsonArray(), doc.getJsonArray("attempts"));
    assertEquals(0, doc.getValue("attemptCount"));
    assertEquals(new JsonObject().put("$date", Instant.EPOCH.toString()), doc.getJsonObject("leaseUntil"));
    assertEquals(new JsonObject().put("$date", T0.toString()), doc.getJsonObject("nextAttemptAt"));
    assertEquals(fresh().payload(), Delivery.fromDocument(doc).payload());
  }

  @Test
  @DisplayName("clients see the body as JSON, a paused delivery as PENDING with nextAttemptAt null, and no lease, tenant or expiry")
  void apiView() {
    JsonObject doc = fresh().toDocument().put("leaseOwner", "instance-1").put("status", "PAUSED");
    doc.remove("nextAttemptAt");
    doc.put("attempts", new JsonArray().add(new JsonObject().put("at", new JsonObject().put("$date", T0.toString()))
      .put("statusCode", 500).put("durationMs", 12L).put("error", "HTTP 500")));
    JsonObject api = Delivery.fromDocument(doc).toApi();
    assertEquals(Set.of("id", "webhookId", "messageId", "type", "payload", "status", "attempts", "attemptCount", "nextAttemptAt",
      "createdAt"), api.fieldNames());
    assertEquals("PENDING", api.getString("status"));
    assertTrue(api.containsKey("nextAttemptAt"));
    assertNull(api.getValue("nextAttemptAt"));
    assertEquals(new JsonObject().put("type", "stock.changed").put("data", new JsonObject()), api.getJsonObject("payload"));
    assertEquals(new JsonObject().put("at", "2026-12-01T10:00:00.120Z").put("statusCode", 500).put("durationMs", 12L)
      .put("error", "HTTP 500"), api.getJsonArray("attempts").getJsonObject(0));
    assertFalse(api.encode().contains("instance-1"));

    JsonObject pending = fresh().toApi();
    assertEquals("2026-12-01T10:00:00.120Z", pending.getString("nextAttemptAt"));
  }

  @Test
  @DisplayName("a failed attempt waits by the schedule; past its end the delivery fails")
  void retrySchedule() {
    List<Duration> schedule = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30));
    assertEquals(Duration.ofSeconds(5), fresh().retryWait(schedule));
    Delivery twice = Delivery.fromDocument(fresh().toDocument().put("attemptCount", 1));
    assertEquals(Duration.ofSeconds(30), twice.retryWait(schedule));
    assertNull(Delivery.fromDocument(fresh().toDocument().put("attemptCount", 2)).retryWait(schedule));
  }

  @Test
  @DisplayName("what an attempt sets: the status and the time it was delivered, or only the next attempt of a retry")
  void afterAttempt() {
    assertEquals(new JsonObject().put("status", "DELIVERED").put("deliveredAt", new JsonObject().put("$date", T0.toString())),
      Delivery.AfterAttempt.delivered(T0).toSet());
    assertEquals(new JsonObject().put("status", "FAILED"), Delivery.AfterAttempt.failed().toSet());
    assertEquals(new JsonObject().put("nextAttemptAt", new JsonObject().put("$date", T0.toString())), Delivery.AfterAttempt.retryAt(T0).toSet());
  }

  @Test
  @DisplayName("an endpoint stored without active (an older release's) is active; without events it wants none")
  void webhookDefaults() {
    JsonObject doc = Webhook.create("t1", "https://hooks.example.com/a", List.of("order.placed"), false, "s").toDocument();
    doc.remove("active");
    doc.remove("events");
    Webhook webhook = Webhook.fromDocument(doc);
    assertTrue(webhook.active());
    assertEquals(List.of(), webhook.events());
    assertEquals(false, Webhook.create("t1", "https://x.example.com", List.of(), false, "s").toDocument().getBoolean("active"));
  }

  @Test
  @DisplayName("a message body keeps its field names and order; the event's tenant is left out and its own type is stockEvent")
  void payloadShape() {
    WebhookEvent event = new WebhookEvent("abc", "t1", List.of("stock.changed"), "2026-12-01T10:00:00.12Z",
      new JsonObject().put("tenantId", "t1").put("type", "RECEIVED").put("sku", "A"));
    assertEquals("{\"type\":\"stock.changed\",\"timestamp\":\"2026-12-01T10:00:00.12Z\",\"data\":{\"sku\":\"A\",\"stockEvent\":\"RECEIVED\"}}",
      event.payload("stock.changed"));
  }
}
