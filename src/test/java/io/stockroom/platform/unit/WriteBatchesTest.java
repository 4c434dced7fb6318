package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.support.SilentMongo;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit of compensating units, on the real stand-in: units whose queued writes go out in the same bulk succeed
 * or fail each on its own, and a refused write's undo never touches the document that was there first; and the line
 * of units waiting for a cycle is bounded.
 */
class WriteBatchesTest {
  private final TestStack stack = TestStack.get();
  private final MongoClient mongo = stack.mongo;

  @Test
  @DisplayName("batch-mates: a unit whose queued insert is refused fails alone and leaves the existing documents alone")
  void batchMatesFailAlone() {
    String collection = "write_batches_test_" + Mongo.newId();
    mongo.createIndexWithOptions(collection, new JsonObject().put("key", 1), new IndexOptions().unique(true)).await();
    String takenId = Mongo.newId();
    JsonObject first = new JsonObject().put("_id", takenId).put("key", "taken").put("tenantId", "t");
    mongo.insert(collection, first).await();
    CompensatingUnitRunner runner = new CompensatingUnitRunner(stack.vertx, mongo, new Failpoints(stack.vertx, false), 30_000, false);

    // Twelve units at once: the first cycle starts at once and the rest wait and go out together, so the refused ones share
    // bulks with units that must commit.
    List<String> ids = new ArrayList<>();
    Promise<List<Future<String>>> started = Promise.promise();
    stack.vertx.getOrCreateContext().runOnContext(v -> {  // one event loop, as a service verticle runs its units
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String id = Mongo.newId();
        ids.add(id);
        // unit 5 collides on the unique key, unit 8 reuses the taken _id: the server refuses both
        JsonObject doc = new JsonObject().put("_id", i == 8 ? takenId : id).put("key", i == 5 ? "taken" : "k" + i).put("tenantId", "t");
        all.add(runner.run(UnitSpec.of("test.batch", "t", 10_000), unit -> unit.queueInsert(collection, doc)
          .compose(queued -> unit.queueInsert(collection, new JsonObject().put("_id", Mongo.newId())
            .put("key", "second-" + doc.getString("key")).put("tenantId", "t")))
          .map(doc.getString("_id"))));
      }
      started.complete(all);
    });
    List<Future<String>> units = started.future().await();
    Future.join(new ArrayList<>(units)).otherwiseEmpty().await();

    for (int i = 0; i < 12; i++) {
      Future<String> unit = units.get(i);
      if (i == 5 || i == 8) {
        assertTrue(unit.failed(), "unit " + i + " was refused");
        assertNull(mongo.findOne(collection, new JsonObject().put("key", "second-" + (i == 5 ? "taken" : "k8")), null).await(),
          "the refused unit's other write was undone");
      } else {
        assertTrue(unit.succeeded(), () -> "unit " + ids + " failed with its batch-mate: " + unit.cause());
        assertNotNull(mongo.findOne(collection, new JsonObject().put("_id", unit.result()), null).await());
      }
    }
    assertEquals(first, mongo.findOne(collection, new JsonObject().put("_id", takenId), null).await(),
      "the document that was there first is untouched");
    assertEquals(21L, mongo.count(collection, new JsonObject()).await());
    long deadline = System.currentTimeMillis() + 3_000;
    while (mongo.count(UnitJournal.COLLECTION, new JsonObject().put("tenantId", "t")).await() > 0 && System.currentTimeMillis() < deadline) {
      sleep();
    }
    assertEquals(0L, mongo.count(UnitJournal.COLLECTION, new JsonObject().put("tenantId", "t")).await(), "the journal drained");
    mongo.dropCollection(collection).await();
  }

  @Test
  @DisplayName("the line of units waiting for a write cycle is bounded: past it a unit fails at once with 503, having written nothing")
  void waitingLineIsBounded() throws Exception {
    try (SilentMongo silent = new SilentMongo()) {
      MongoClient stalled = silent.client(stack.vertx, "write_batches_bound");
      WriteBatches batches = new WriteBatches(stalled, 3);
      Promise<List<Future<Void>>> submitted = Promise.promise();
      List<Boolean> completeAtOnce = new ArrayList<>();
      stack.vertx.getOrCreateContext().runOnContext(v -> {
        List<Future<Void>> all = new ArrayList<>();
        // the first starts a cycle that never gets an answer (until its timeout), three wait, the fifth finds the line full
        for (int i = 0; i < 5; i++) all.add(batches.submit(new Waiting("u" + i), List.of(insertOf("u" + i)), true));
        all.forEach(unit -> completeAtOnce.add(unit.isComplete()));
        submitted.complete(all);
      });
      List<Future<Void>> units = submitted.future().await();
      assertEquals(List.of(false, false, false, false, true), completeAtOnce, "only the fifth was answered at once");
      Future<Void> refused = units.get(4);
      assertTrue(refused.failed(), "refused");
      ServiceError error = (ServiceError) refused.cause();
      assertEquals(ErrorCode.UNAVAILABLE, error.code());
      assertEquals(1, error.extensions().getInteger("retryAfterSeconds"));

      Future.join(new ArrayList<>(units.subList(0, 4))).otherwiseEmpty().await();
      for (int i = 0; i < 4; i++) {
        Throwable cause = units.get(i).cause();
        assertTrue(units.get(i).failed() && !(cause instanceof ServiceError), () -> "the stalled database failed it: " + cause);
      }
      stalled.close().await();
    }
  }

  private static QueuedWrite insertOf(String unitId) {
    String id = Mongo.newId();
    JsonObject document = new JsonObject().put("_id", id).put("tenantId", "t");
    return QueuedWrite.insert(0, UndoStep.deleteInserted(unitId + ":0", "write_batches_bound", document), "write_batches_bound", document);
  }

  /** A unit as the batches see it, with no journal entry yet. */
  private record Waiting(String id) implements WriteBatches.Member {
    @Override
    public String tenantId() {
      return "t";
    }

    @Override
    public boolean opened() {
      return false;
    }

    @Override
    public long deadline() {
      return Long.MAX_VALUE;
    }

    @Override
    public int takeInlineRoom(List<QueuedWrite> writes) {
      return writes.size();
    }

    @Override
    public JournalEntry open(List<QueuedWrite> inline) {
      return new JournalEntry(id, null, "t", null, null, null, null, null, null, null, 0L, null, null, null);
    }

    @Override
    public void wroteStepDocuments() {
    }

    @Override
    public boolean settlesShared() {
      return false;
    }

    @Override
    public boolean leaseHolds() {
      return true;
    }

    @Override
    public void logged(QueuedWrite write) {
    }

    @Override
    public void refused(QueuedWrite write) {
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
