package io.stockroom.bulk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportJobTest {

  @Test
  @DisplayName("each row moves the job on: applied or failed, the first 1000 errors kept")
  void afterRow() {
    ImportJob job = ImportJob.start("t1", "csv", 3, "u1");
    job = job.afterRow(null).afterRow(new ImportError(2, null, "bad"));
    assertEquals(2, job.done());
    assertEquals(1, job.applied());
    assertEquals(1, job.failed());
    assertEquals(List.of(new ImportError(2, null, "bad")), job.errors());
    ImportJob full = job;
    for (int i = 0; i < ImportJob.MAX_ERRORS + 5; i++) full = full.afterRow(new ImportError(i, "sku", "bad"));
    assertEquals(ImportJob.MAX_ERRORS, full.errors().size());
    assertEquals(ImportJob.MAX_ERRORS + 6, full.failed());
  }

  @Test
  @DisplayName("the stored document keeps its layout: int counts, BSON dates, an error's field as null; it decodes back")
  void document() {
    ImportJob job = ImportJob.start("t1", "ndjson", 2, "u1").afterRow(new ImportError(1, null, "not a JSON object"));
    JsonObject doc = job.toDocument();
    assertEquals(job.id(), doc.getString("_id"));
    assertEquals("RUNNING", doc.getString("status"));
    assertTrue(doc.getValue("total") instanceof Integer);
    assertTrue(doc.getJsonObject("createdAt").containsKey("$date"));
    assertTrue(doc.getJsonObject("leaseUntil").containsKey("$date"));
    assertFalse(doc.containsKey("finishedAt"));
    JsonObject error = doc.getJsonArray("errors").getJsonObject(0);
    assertTrue(error.containsKey("field"));
    assertNull(error.getValue("field"));
    assertEquals(job, ImportJob.fromDocument(doc));
  }

  @Test
  @DisplayName("clients see the job without tenant, lease or slot; dates as text with milliseconds; an error's field null")
  void api() {
    ImportJob job = new ImportJob("j1", "t1", ImportJob.Status.FAILED, "csv", 1, 1, 0, 1, List.of(new ImportError(1, null, "m")),
      "u1", Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:06.5Z"), Instant.now(), "stopped");
    JsonObject expected = new JsonObject().put("id", "j1").put("status", "FAILED").put("format", "csv").put("total", 1).put("done", 1)
      .put("applied", 0).put("failed", 1)
      .put("errors", new JsonArray().add(new JsonObject().put("row", 1).putNull("field").put("message", "m")))
      .put("createdBy", "u1").put("createdAt", "2026-01-02T03:04:05.000Z").put("finishedAt", "2026-01-02T03:04:06.500Z")
      .put("failure", "stopped");
    assertEquals(expected, job.toApi());
  }

  @Test
  @DisplayName("ending sets the status, the counts and finishedAt, and the failure only when there is one")
  void ending() {
    ImportJob job = ImportJob.start("t1", "csv", 1, "u1").afterRow(null);
    JsonObject set = job.ending(ImportJob.Status.COMPLETED, null, Instant.parse("2026-01-02T03:04:05.123456Z"));
    assertEquals("COMPLETED", set.getString("status"));
    assertEquals(1, set.getInteger("applied"));
    assertEquals("2026-01-02T03:04:05.123Z", set.getJsonObject("finishedAt").getString("$date"));
    assertFalse(set.containsKey("failure"));
    assertEquals(new JsonObject().put("type", "IMPORT_PROGRESS").put("importId", job.id()).put("status", "COMPLETED").put("done", 1)
      .put("total", 1).put("applied", 1).put("failed", 0), job.progressEvent(ImportJob.Status.COMPLETED));
  }
}
