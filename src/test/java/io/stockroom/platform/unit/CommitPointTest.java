package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.support.Eventually;
import io.stockroom.support.OnContext;
import io.stockroom.support.TestStack;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answer to a unit's commit point is lost and the unit asks the journal what happened: a unit without shared
 * documents committed by deleting its entry (gone: committed; still RUNNING: it turns ROLLING_BACK and the unit is
 * undone), a unit with shared documents by marking it COMMITTED (then settled) — each time with nothing left behind.
 */
class CommitPointTest {
  private static final String COLLECTION = "commit_point_test";
  private static final String SHARED = "commit_point_shared";
  private final TestStack stack = TestStack.get();
  private final MongoClient mongo = stack.mongo;
  private final Context context = stack.vertx.getOrCreateContext();
  private final CompensatingUnitRunner runner = new CompensatingUnitRunner(stack.vertx, mongo, new Failpoints(stack.vertx, true),
    30_000, false);

  /** A unit that moves a document's stock from 10 to 3 and inserts one; with {@code shared}, also counts on a shared document. */
  private record Run(String tenantId, JsonObject before, String insertedId, Future<String> outcome) {
  }

  private Run run(boolean shared, boolean landed) {
    String tenantId = Mongo.newId();
    JsonObject before = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("stock", 10L);
    mongo.insert(COLLECTION, before).await();
    String insertedId = Mongo.newId();
    Failpoints.armCommitAnswerLost(stack.vertx, "test.commit", tenantId, landed);
    Future<String> outcome = OnContext.await(context, () -> runner.run(UnitSpec.of("test.commit", tenantId, 10_000), unit ->
        unit.queueCompareAndSet(COLLECTION, before, new JsonObject().put("stock", 3L), null)
          .compose(after -> unit.queueInsert(COLLECTION, new JsonObject().put("_id", insertedId).put("tenantId", tenantId)))
          .compose(v -> shared ? unit.queueUpdateShared(SHARED, sharedFilter(tenantId), new JsonObject().put("$inc",
            new JsonObject().put("sold", 7L)), new JsonObject().put("$inc", new JsonObject().put("sold", -7L)), true, null)
            : Future.<Void>succeededFuture())
          .map("placed"))
      .map(Future::succeededFuture).otherwise(Future::failedFuture));
    awaitJournalEmpty(tenantId);
    return new Run(tenantId, before, insertedId, outcome);
  }

  private static JsonObject sharedFilter(String tenantId) {
    return new JsonObject().put("_id", tenantId + ":totals").put("tenantId", tenantId);
  }

  private long stock(Run run) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", run.before().getString("_id")), null).await().getLong("stock");
  }

  private JsonObject inserted(Run run) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", run.insertedId()), null).await();
  }

  @Test
  @DisplayName("no shared documents, the entry's delete landed: the entry is found gone, and the unit committed")
  void deleteLanded() {
    Run run = run(false, true);
    assertEquals("placed", run.outcome().result(), () -> String.valueOf(run.outcome().cause()));
    assertEquals(3L, stock(run));
    assertNotNull(inserted(run));
  }

  @Test
  @DisplayName("no shared documents, the entry's delete never landed: the entry turns ROLLING_BACK and the unit is undone")
  void deleteLost() {
    Run run = run(false, false);
    assertTrue(run.outcome().failed());
    assertEquals(ErrorCode.UNAVAILABLE, assertInstanceOf(ServiceError.class, run.outcome().cause()).code());
    assertEquals(10L, stock(run));
    assertNull(inserted(run));
  }

  @Test
  @DisplayName("with a shared document, the COMMITTED mark landed: the unit committed and its marker is settled")
  void markLanded() {
    Run run = run(true, true);
    assertEquals("placed", run.outcome().result(), () -> String.valueOf(run.outcome().cause()));
    assertEquals(3L, stock(run));
    JsonObject totals = mongo.findOne(SHARED, sharedFilter(run.tenantId()), null).await();
    assertEquals(7L, totals.getLong("sold"));
    assertTrue(totals.getJsonObject("pending", new JsonObject()).isEmpty(), () -> "settled: " + totals);
  }

  @Test
  @DisplayName("with a shared document, the COMMITTED mark never landed: the unit is undone, its shared change too")
  void markLost() {
    Run run = run(true, false);
    assertTrue(run.outcome().failed());
    assertEquals(10L, stock(run));
    assertNull(inserted(run));
    JsonObject totals = mongo.findOne(SHARED, sharedFilter(run.tenantId()), null).await();
    assertEquals(0L, totals.getLong("sold"));
  }

  private void awaitJournalEmpty(String tenantId) {
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    Eventually.holds(Duration.ofSeconds(5), () -> mongo.count(UnitJournal.COLLECTION, scope).await() == 0);
    assertEquals(0L, mongo.count(UnitJournal.COLLECTION, scope).await(), "nothing of the unit is left in the journal");
  }
}
