package io.stockroom.webhook;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WebhookRecordTest {
  private static final Duration OVERLAP = Duration.ofHours(24);

  @Test
  @DisplayName("an endpoint reads back from its document as it was written, its events named once each")
  void documentRoundTrip() {
    Webhook created = Webhook.create("tenant-1", "https://hooks.example.com/a", List.of("order.placed", "stock.changed", "order.placed"),
      true, "whsec_1");
    assertEquals(List.of("order.placed", "stock.changed"), created.events());
    assertEquals(created, Webhook.fromDocument(created.toDocument()));
  }

  @Test
  @DisplayName("clients never see a secret or the bookkeeping, whatever the document holds")
  void apiViewIsAnAllowList() {
    JsonObject stored = Webhook.create("tenant-1", "https://hooks.example.com/a", List.of("order.placed"), true, "whsec_1").toDocument()
      .put("slot", "tenant-1/0").put("version", 2).put("futureSecret", "x");
    JsonObject api = Webhook.fromDocument(stored).toApi();
    assertEquals(Set.of("id", "url", "events", "active", "createdAt"), api.fieldNames());
    assertEquals(false, api.encode().contains("whsec_1"));
  }

  @Test
  @DisplayName("a rotation: the new secret signs from now, the old ones until the overlap ends, expired ones are dropped")
  void rotation() {
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    Webhook webhook = Webhook.create("tenant-1", "https://hooks.example.com/a", List.of("order.placed"), true, "first");
    List<SigningSecret> once = webhook.rotatedSecrets("second", t0, OVERLAP);
    assertEquals(List.of("first", "second"), signing(once, t0.plusSeconds(1)));
    assertEquals(List.of("second"), signing(once, t0.plus(OVERLAP)), "the first stops when the overlap ends");

    Webhook rotated = new Webhook(webhook.id(), webhook.tenantId(), webhook.url(), webhook.events(), true, once, 1, null, null,
      webhook.createdAt(), t0);
    List<SigningSecret> twice = rotated.rotatedSecrets("third", t0.plus(OVERLAP).plusSeconds(1), OVERLAP);
    assertEquals(List.of("second", "third"), twice.stream().map(SigningSecret::value).toList(), "the expired first one is gone");
    assertEquals(t0.plus(OVERLAP), once.get(0).expiresAt(), "a second rotation keeps an overlap already running");
  }

  private static List<String> signing(List<SigningSecret> secrets, Instant at) {
    return secrets.stream().filter(secret -> secret.signsAt(at)).map(SigningSecret::value).toList();
  }
}
