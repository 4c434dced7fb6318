package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database guard of compensating units, on the real stand-in: the fencing token refuses a holder whose lock a newer
 * holder took over, the write identity decides whether a write applied, and an undo applies once, however often it is
 * sent. Each test reproduces a defect of the version-pinned guard it replaced.
 */
class FencedWritesTest {
  private final TestStack stack = TestStack.get();
  private final MongoClient mongo = stack.mongo;
  private final String collection = "fenced_writes_" + Mongo.newId();

  private JsonObject variant(long stock) {
    JsonObject doc = new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t").put("stock", stock).put("version", 0L);
    mongo.insert(collection, doc).await();
    return doc;
  }

  private JsonObject read(JsonObject doc) {
    return mongo.findOne(collection, new JsonObject().put("_id", doc.getString("_id")), null).await();
  }

  private static UnitSpec fenced(JsonObject doc, long fence) {
    return new UnitSpec("test.fenced", "t", List.of(), null, List.of(), null, Map.of(doc.getString("_id"), fence),
      Long.MAX_VALUE, System.currentTimeMillis() + 10_000);
  }

  /** Runs the units at once on one event loop (as a service verticle does), so their queued writes share a bulk. */
  private List<Future<JsonObject>> together(CompensatingUnitRunner runner, List<UnitSpec> specs,
                                            List<Function<Unit, Future<JsonObject>>> works) {
    Promise<List<Future<JsonObject>>> started = Promise.promise();
    stack.vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<JsonObject>> all = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) all.add(runner.run(specs.get(i), works.get(i)));
      started.complete(all);
    });
    List<Future<JsonObject>> all = started.future().await();
    Future.join(all).otherwiseEmpty().await();
    return all;
  }

  private CompensatingUnitRunner runner() {
    return new CompensatingUnitRunner(stack.vertx, mongo, new Failpoints(stack.vertx, false), 30_000, false);
  }

  @Test
  @DisplayName("12 sold from 10: two holders that both read the same version, in one bulk: exactly one sells")
  void twelveFromTen() {
    JsonObject before = variant(10);
    List<Future<JsonObject>> sold = together(runner(), List.of(fenced(before, 5), fenced(before, 6)), List.of(
      unit -> unit.queueCompareAndSet(collection, before, new JsonObject().put("stock", 5L), null),
      unit -> unit.queueCompareAndSet(collection, before, new JsonObject().put("stock", 3L), null)));
    long succeeded = sold.stream().filter(Future::succeeded).count();
    assertEquals(1, succeeded, "exactly one of the two holders sells");
    JsonObject now = read(before);
    long expected = sold.get(0).succeeded() ? 5 : 3;
    assertEquals(expected, now.getLong("stock"), "the stock is the winner's, never a blend");
    Future<JsonObject> loser = sold.get(0).succeeded() ? sold.get(1) : sold.get(0);
    assertInstanceOf(ServiceError.class, loser.cause());
    assertEquals(ErrorCode.CONFLICT, ((ServiceError) loser.cause()).code());
  }

  @Test
  @DisplayName("every compare-and-set of a unit is verified, not only the last one per document")
  void everyCompareAndSetVerified() {
    JsonObject before = variant(10);
    // A unit that writes the document twice, racing a unit that moves it first: the first write of the chain fails, so
    // the second one (pinned to the first) fails too, whatever versions say.
    List<Future<JsonObject>> runs = together(runner(), List.of(fenced(before, 7), fenced(before, 7)), List.of(
      unit -> unit.queueCompareAndSet(collection, before, new JsonObject().put("stock", 9L), null),
      unit -> unit.queueCompareAndSet(collection, before, new JsonObject().put("stock", 8L), null)
        .compose(after -> unit.queueCompareAndSet(collection, after, new JsonObject().put("stock", 7L), null))));
    assertTrue(runs.get(0).succeeded(), () -> String.valueOf(runs.get(0).cause()));
    assertTrue(runs.get(1).failed(), "the chained writer lost the race at its first write");
    assertEquals(9L, read(before).getLong("stock"));
  }

  @Test
  @DisplayName("a holder whose lock a newer holder took is refused, even on the document state it read")
  void staleFenceRefused() {
    JsonObject before = variant(10);
    CompensatingUnitRunner runner = runner();
    runner.run(fenced(before, 200), unit -> unit.compareAndSet(collection, before, null, new JsonObject().put("stock", 8L), null)).await();
    JsonObject seen = read(before);
    assertEquals(200L, seen.getLong("fence"));
    Future<JsonObject> stale = runner.run(fenced(before, 100),
      unit -> unit.compareAndSet(collection, seen, null, new JsonObject().put("stock", 1L), null));
    assertNull(stale.otherwiseEmpty().await(), "the stale holder's compare-and-set matched nothing");
    Future<JsonObject> staleQueued = runner.run(fenced(before, 100),
      unit -> unit.queueCompareAndSet(collection, seen, new JsonObject().put("stock", 1L), null));
    assertTrue(staleQueued.otherwiseEmpty().await() == null && staleQueued.failed(), "the queued write is refused too");
    assertEquals(8L, read(before).getLong("stock"));
    JsonObject equal = read(before);
    runner.run(fenced(before, 200), unit -> unit.compareAndSet(collection, equal, null, new JsonObject().put("stock", 7L), null)).await();
    assertEquals(7L, read(before).getLong("stock"), "the holder itself writes again with its own token");
  }

  @Test
  @DisplayName("an undo applied again after a later unit committed changes nothing (no ABA)")
  void undoAppliedTwice() {
    JsonObject before = variant(10);
    String first = CompareAndSet.writeId(Mongo.newId(), 0);
    assertEquals(1L, forward(before, new JsonObject().put("stock", 5L), first, 5L));
    UndoStep undo = UndoStep.restore(first, collection, before, new JsonObject().put("stock", 5L), null, 5L);
    assertEquals(UndoStep.Outcome.DONE, undo.apply(mongo).await());
    assertEquals(10L, read(before).getLong("stock"));

    JsonObject afterUndo = read(before);
    assertEquals(1L, forward(afterUndo, new JsonObject().put("stock", 8L), CompareAndSet.writeId(Mongo.newId(), 0), 9L));
    for (int again = 0; again < 2; again++) {
      assertEquals(UndoStep.Outcome.DONE, undo.apply(mongo).await(), "the repeat recognises it is done");
      assertEquals(8L, read(before).getLong("stock"), "the later unit's write stays");
    }
    assertTrue(read(before).getLong("version") >= 3, "versions only move forward");
  }

  @Test
  @DisplayName("an undo finds a newer holder that wrote over its write: a conflict for repair, never a silent wipe")
  void undoOverwrittenByNewerHolder() {
    JsonObject before = variant(10);
    String mine = CompareAndSet.writeId(Mongo.newId(), 0);
    forward(before, new JsonObject().put("stock", 6L), mine, 5L);
    forward(read(before), new JsonObject().put("stock", 2L), CompareAndSet.writeId(Mongo.newId(), 0), 9L);
    UndoStep undo = UndoStep.restore(mine, collection, before, new JsonObject().put("stock", 6L), null, 5L);
    assertEquals(UndoStep.Outcome.CONFLICT, undo.apply(mongo).await());
    assertEquals(2L, read(before).getLong("stock"));
  }

  @Test
  @DisplayName("the undo of a write that never applied is done, even when a newer holder wrote the document")
  void undoOfWriteThatNeverApplied() {
    JsonObject before = variant(10);
    forward(before, new JsonObject().put("stock", 2L), CompareAndSet.writeId(Mongo.newId(), 0), 9L);
    String refused = CompareAndSet.writeId(Mongo.newId(), 0);
    assertEquals(0L, forward(before, new JsonObject().put("stock", 6L), refused, 5L));
    UndoStep undo = UndoStep.restore(refused, collection, before, new JsonObject().put("stock", 6L), null, 5L);
    assertEquals(UndoStep.Outcome.DONE, undo.apply(mongo).await());
    assertEquals(2L, read(before).getLong("stock"));
  }

  @Test
  @DisplayName("restores of several writes of one unit to one document unwind last first, each once")
  void chainUnwinds() {
    JsonObject before = variant(10);
    String unit = Mongo.newId();
    JsonObject firstSet = new JsonObject().put("stock", 7L);
    forward(before, firstSet, CompareAndSet.writeId(unit, 0), 3L);
    JsonObject middle = read(before);
    JsonObject secondSet = new JsonObject().put("stock", 4L);
    forward(middle, secondSet, CompareAndSet.writeId(unit, 1), 3L);
    UndoStep second = UndoStep.restore(CompareAndSet.writeId(unit, 1), collection, middle, secondSet, null, 3L);
    UndoStep first = UndoStep.restore(CompareAndSet.writeId(unit, 0), collection, before, firstSet, null, 3L);
    assertEquals(UndoStep.Outcome.CONFLICT, first.apply(mongo).await(), "the later write is still there: not yet");
    assertEquals(UndoStep.Outcome.DONE, second.apply(mongo).await());
    assertEquals(UndoStep.Outcome.DONE, first.apply(mongo).await());
    assertEquals(UndoStep.Outcome.DONE, second.apply(mongo).await());
    JsonObject now = read(before);
    assertEquals(10L, now.getLong("stock"));
    assertTrue(!now.containsKey("writtenBy"), "the document is handed back to the identity it had");
  }

  /** One compare-and-set as a unit writes it; answers how many documents it changed. */
  private long forward(JsonObject before, JsonObject set, String writeId, Long fence) {
    JsonObject changed = mongo.findOneAndUpdateWithOptions(collection, CompareAndSet.filter(before, null, fence),
      CompareAndSet.update(before, set, null, writeId, fence), new FindOptions(), new UpdateOptions()).await();
    return changed == null ? 0 : 1;
  }
}
