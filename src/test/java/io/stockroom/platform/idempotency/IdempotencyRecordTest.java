package io.stockroom.platform.idempotency;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyRecordTest {
  private static final Instant NOW = Instant.parse("2026-12-07T08:00:00.123Z");

  @Test
  void aClaimIsStoredAsTheStoreAlwaysClaimedKeys() {
    JsonObject claim = IdempotencyRecord.claim("t:op:k", "t", "f", NOW, NOW.plusSeconds(60)).toDocument();
    assertEquals(new JsonObject().put("_id", "t:op:k").put("tenantId", "t").put("fingerprint", "f").put("state", "RUNNING")
      .put("version", 0L).put("createdAt", Mongo.date(NOW)).put("claimedAt", Mongo.date(NOW))
      .put("expiresAt", Mongo.date(NOW.plusSeconds(60))), claim);
  }

  @Test
  void anAnswerIsItsStatusAndBodyOrItsError() {
    assertEquals(new JsonObject().put("state", "DONE").put("status", 201).put("body", new JsonObject().put("id", "x")),
      IdempotencyRecord.Answer.of(new Reply(201, new JsonObject().put("id", "x"))).toDocument());
    JsonObject failed = IdempotencyRecord.Answer.of(new ServiceError(ErrorCode.CONFLICT, "no")).toDocument();
    assertEquals(ErrorCode.CONFLICT.status(), failed.getInteger("status"));
    assertEquals(new JsonObject().put("code", ErrorCode.CONFLICT.slug()).put("detail", "no").put("extensions", new JsonObject()),
      failed.getJsonObject("error"));
    IdempotencyRecord stored = IdempotencyRecord.of(failed.put("_id", "k"));
    ServiceError replayed = stored.error().toError(stored.status());
    assertEquals(ErrorCode.CONFLICT, replayed.code());
    assertEquals("no", replayed.detail());
  }

  @Test
  void anOldRecordReadsWithTheOldDefaults() {
    IdempotencyRecord old = IdempotencyRecord.of(new JsonObject().put("_id", "k").put("state", "UNKNOWN")
      .put("createdAt", Mongo.date(NOW)));
    assertEquals(0L, old.versionOrZero());
    assertFalse(old.isInDoubt());
    assertEquals(NOW, old.lastClaimed(), "claimed when created");
    assertTrue(IdempotencyRecord.of(new JsonObject().put("_id", "k").put("inDoubt", true)).isInDoubt());
  }
}
