package io.stockroom.platform.audit;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuditTrailTest {
  enum Action implements AuditAction { SIGNING_KEY_ACTIVATED }

  private static final Instant AT = Instant.parse("2026-12-07T08:00:00.120Z");

  @Test
  void anOperatorsEntryIsStoredAndAnsweredWithItsKeys() {
    AuditEntry entry = AuditEntry.byOperator(AuditTrail.PLATFORM, Action.SIGNING_KEY_ACTIVATED, "signingKey", "k1").with("n", 1);
    JsonObject stored = RecordCodec.toDocument(AuditTrail.Stored.of(entry, AT));
    assertEquals(new JsonObject().put("operator", "configuration"), stored.getJsonObject("actor"));
    assertEquals(new JsonObject().put("type", "signingKey").put("id", "k1"), stored.getJsonObject("target"));
    assertEquals(Mongo.date(AT), stored.getJsonObject("createdAt"));
    assertEquals("SIGNING_KEY_ACTIVATED", stored.getString("action"));
    JsonObject api = RecordCodec.fromDocument(AuditTrail.Stored.class, stored).view().toApi();
    assertEquals(new JsonObject().put("id", stored.getString("_id")).put("createdAt", "2026-12-07T08:00:00.120Z").put("scope", "PLATFORM")
      .put("actor", new JsonObject().put("operator", "configuration")).putNull("from").putNull("requestId")
      .put("action", "SIGNING_KEY_ACTIVATED").put("target", new JsonObject().put("type", "signingKey").put("id", "k1"))
      .put("details", new JsonObject().put("n", 1)), api);
  }
}
