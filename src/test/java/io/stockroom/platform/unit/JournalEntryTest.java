package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unit journal's documents as records: the stored layout is the one the journal always wrote. */
class JournalEntryTest {
  private static final Instant AT = Instant.parse("2026-12-07T08:00:00.123Z");
  private static final UndoStep UNDO = UndoStep.deleteInserted("u1:0", "things", new JsonObject().put("_id", "d1").put("tenantId", "t"));

  @Test
  void anEntryIsStoredWithTheJournalsKeysAndTypes() {
    JournalEntry entry = new JournalEntry("u1", "u1", "t", "orders.place", List.of("v1"), "c1", List.of("k1"), "tok", AT, "me", 0L,
      AT.plusMillis(300), UnitJournal.State.RUNNING, List.of(JournalEntry.InlineStep.of(new UnitJournal.Undo(0, UNDO))));
    JsonObject stored = entry.toDocument();
    assertEquals("u1", stored.getString("_id"));
    assertEquals(new JsonArray().add("v1"), stored.getJsonArray("variantIds"));
    assertEquals(Mongo.date(AT), stored.getJsonObject("locksUntil"));
    assertEquals(0L, stored.getValue("takeovers"), "a long, as it always was");
    assertEquals("RUNNING", stored.getString("state"));
    JsonObject inline = stored.getJsonArray("steps").getJsonObject(0);
    assertEquals(0, inline.getValue("seq"));
    assertEquals(UNDO.toJson(), inline.getJsonObject("step"));
    assertEquals(entry, JournalEntry.of(stored));
    assertEquals(List.of(new UnitJournal.Undo(0, UNDO)), JournalEntry.of(stored).inlineUndos());
  }

  @Test
  void anEntryWithoutTakeoversCountsAsNeverTakenOver() {
    JournalEntry old = JournalEntry.of(new JsonObject().put("_id", "u2").put("owner", UnitJournal.INSTANCE).put("state", "COMMITTED"));
    assertEquals(0L, old.takeovers());
    assertTrue(old.ownedBy(UnitJournal.INSTANCE));
    assertTrue(old.committed());
    assertTrue(old.inlineUndos().isEmpty());
    assertFalse(JournalEntry.of(new JsonObject().put("_id", "u2").put("owner", UnitJournal.INSTANCE).put("takeovers", 1L))
      .ownedBy(UnitJournal.INSTANCE), "taken over once: no longer its owner's");
  }

  @Test
  void anEntryCarriesTheStepsItListsInline() {
    JournalEntry projected = JournalEntry.of(new JsonObject().put("_id", "u3")
      .put("steps", new JsonArray().add(new JsonObject().put("seq", 4)).add(new JsonObject().put("seq", 5))));
    assertTrue(projected.carries(5));
    assertFalse(projected.carries(6));
  }

  @Test
  void aStepDocumentIsNamedByItsUnitAndStep() {
    JsonObject stored = UnitJournal.stepDocument("u1", "t", 7, UNDO);
    assertEquals(new JsonObject().put("_id", "u1:7").put("unitId", "u1").put("tenantId", "t").put("seq", 7).put("step", UNDO.toJson()),
      stored);
    assertEquals(new UnitJournal.Undo(7, UNDO), RecordCodec.fromDocument(JournalEntry.StepDocument.class, stored).undo());
  }

  @Test
  void anUndoStepTravelsWithItsOperatorsAsText() {
    UndoStep restore = UndoStep.restore("u1:1", "things", new JsonObject().put("_id", "d1").put("tenantId", "t").put("stock", 3L)
      .put("version", 2L), new JsonObject().put("stock", 4L), null, 9L);
    JsonObject stored = restore.toJson();
    assertEquals("RESTORE", stored.getString("kind"));
    assertEquals(restore.update().encode(), stored.getString("update"));
    assertEquals(9L, stored.getValue("fence"));
    assertEquals(2L, stored.getValue("version"));
    assertFalse(stored.containsKey("document"), "a null part is left out");
    assertEquals(restore, UndoStep.fromJson(stored));
    assertNull(UndoStep.fromJson(UNDO.toJson()).update());
  }

  @Test
  void aRestoreMovesTheVersionOnAndRecordsItsOwnIdentity() {
    JsonObject before = new JsonObject().put("_id", "d1").put("tenantId", "t").put("stock", 3L).put("writtenBy", "u0:0");
    UndoStep restore = UndoStep.restore("u1:1", "things", before, new JsonObject().put("stock", 4L).put("note", "x"), null, null);
    JsonObject update = restore.update();
    assertEquals(new JsonObject().put("version", 1L), update.getJsonObject("$inc"));
    assertEquals(new JsonObject().put("stock", 3L).put("writtenBy", "u0:0"), update.getJsonObject("$set"));
    assertEquals(new JsonObject().put("note", ""), update.getJsonObject("$unset"));
    assertEquals(new JsonObject().put("recentWrites", new JsonObject().put("$each", new JsonArray().add("u1:1~")).put("$slice", -8)),
      update.getJsonObject("$push"));
    assertEquals(new JsonObject().put("_id", "d1").put("tenantId", "t").put("writtenBy", "u1:1"), restore.filter());
  }

  @Test
  void aCompareAndSetPinsTheWriteItReadAndRecordsItsOwn() {
    JsonObject before = new JsonObject().put("_id", "d1").put("tenantId", "t").put("writtenBy", "u0:0").put("fence", 2L);
    assertEquals(new JsonObject().put("_id", "d1").put("tenantId", "t").put("writtenBy", "u0:0").put("fence", 2L),
      CompareAndSet.filter(before, null, 3L));
    JsonObject update = CompareAndSet.update(before, new JsonObject().put("stock", 1L), new JsonObject().put("old", ""), "u1:0", 3L);
    assertEquals(new JsonObject().put("stock", 1L).put("writtenBy", "u1:0").put("fence", 3L), update.getJsonObject("$set"));
    assertEquals(new JsonObject().put("version", 1L), update.getJsonObject("$inc"));
    assertEquals(new JsonObject().put("old", ""), update.getJsonObject("$unset"));
    assertEquals(CompareAndSet.recorded("u1:0").getJsonObject("$push"), update.getJsonObject("$push"));
    assertEquals(4, update.size());
  }

  @Test
  void aFailpointIsAValue() {
    assertEquals(Failpoints.Point.at(3), new Failpoints.Point(3, 0L, null));
    assertEquals(true, Failpoints.Point.landing(true).lands());
  }
}
