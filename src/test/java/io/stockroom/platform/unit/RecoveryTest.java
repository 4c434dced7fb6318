package io.stockroom.platform.unit;

import io.stockroom.inventory.RepairSweep;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.UnitRecovery;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.support.Eventually;
import io.stockroom.support.OnContext;
import io.stockroom.support.TestStack;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery of units whose instance died, and the repair sweep, on the real stand-in and Redis: overlapping recoveries
 * of one unit finish it once, a recovery that outlived its lease changes nothing when it resumes, and entries that
 * keep conflicting do not hide the ones behind them.
 */
class RecoveryTest {
  private final TestStack stack = TestStack.get();
  private final MongoClient mongo = stack.mongo;
  private final Context context = stack.vertx.getOrCreateContext();
  /** Journal leases of 300 ms (a third of a 900 ms lock lifetime). */
  private final UnitJournal journal = new UnitJournal(mongo, 900);

  private <T> T onContext(Callable<Future<T>> call) {
    return OnContext.await(context, call);
  }

  private LockManager locks() {
    return new LockManager(stack.vertx, Redis.createClient(stack.vertx, stack.settings.string(ConfigKey.REDIS_URI)),
      new LockManager.LockSettings(900, 2_000, 64, 1_000));
  }

  private CompensatingUnitRunner runner() {
    return new CompensatingUnitRunner(stack.vertx, mongo, new Failpoints(stack.vertx, false), 900, false);
  }

  private UnitRecovery recovery() {
    return new UnitRecovery(stack.vertx, mongo, journal, new IdempotencyStore(mongo, runner(), Duration.ofHours(24), Duration.ofMinutes(1)), locks());
  }

  /** A document in {@code collection} that a dead unit moved from stock 10 to 3 (step 0), with its journal entry. */
  private record DeadUnit(String unitId, String tenantId, String collection, JsonObject before, UndoStep undo) {
  }

  private DeadUnit deadUnit() {
    return deadUnit(true);
  }

  /** @param journaled whether its journal entry is there (else only its write and its undo) */
  private DeadUnit deadUnit(boolean journaled) {
    return deadUnit(Mongo.newId(), journaled, List.of());
  }

  /** A dead unit that held {@code lockKeys}, the first of which guards the document {@code documentId}. */
  private DeadUnit deadUnit(String documentId, List<String> lockKeys) {
    return deadUnit(documentId, true, lockKeys);
  }

  private DeadUnit deadUnit(String documentId, boolean journaled, List<String> lockKeys) {
    String tenantId = Mongo.newId();
    String collection = "recovery_test";
    JsonObject before = new JsonObject().put("_id", documentId).put("tenantId", tenantId).put("stock", 10L);
    mongo.insert(collection, before).await();
    String unitId = Mongo.newId();
    String writeId = CompareAndSet.writeId(unitId, 0);
    JsonObject set = new JsonObject().put("stock", 3L);
    mongo.findOneAndUpdateWithOptions(collection, CompareAndSet.filter(before, null, 7L), CompareAndSet.update(before, set, null, writeId, 7L),
      new FindOptions(), new UpdateOptions()).await();
    UndoStep undo = UndoStep.restore(writeId, collection, before, set, null, 7L);
    if (!journaled) return new DeadUnit(unitId, tenantId, collection, before, undo);
    JsonObject past = Mongo.date(Instant.now().minusSeconds(5));
    mongo.insert(UnitJournal.COLLECTION, new JsonObject().put("_id", unitId).put("unitId", unitId).put("tenantId", tenantId)
      .put("unit", "test.dead").put("variantIds", new JsonArray()).putNull("claimId").put("lockKeys", new JsonArray(lockKeys))
      .putNull("lockToken").put("locksUntil", past).put("owner", "a-dead-instance").put("takeovers", 0L)
      .put("leaseUntil", past).put("state", UnitJournal.State.RUNNING.name())).await();
    mongo.insert(UnitJournal.COLLECTION, UnitJournal.stepDocument(unitId, tenantId, 0, undo)).await();
    return new DeadUnit(unitId, tenantId, collection, before, undo);
  }

  private JsonObject now(DeadUnit dead) {
    return mongo.findOne(dead.collection(), new JsonObject().put("_id", dead.before().getString("_id")), null).await();
  }

  private List<JsonObject> journalOf(DeadUnit dead) {
    return mongo.find(UnitJournal.COLLECTION, new JsonObject().put("unitId", dead.unitId())).await();
  }

  @Test
  @DisplayName("two recoveries of one unit at once: it is undone once and its entry goes")
  void twoRecoveriesAtOnce() {
    DeadUnit dead = deadUnit();
    UnitRecovery first = recovery();
    UnitRecovery second = recovery();
    onContext(() -> Future.all(first.sweep(), second.sweep()));
    assertEquals(10L, now(dead).getLong("stock"));
    assertEquals(1, now(dead).getJsonArray(CompareAndSet.RECENT).stream().filter(id -> id.equals(UndoStep.undoId(dead.undo().id()))).count(),
      "the undo applied once");
    assertTrue(journalOf(dead).isEmpty(), "the entry and its steps are gone");
  }

  @Test
  @DisplayName("a recovery raises the fence of what it gives back: the owner, if it was only paused, can no longer write it")
  void recoveryFencesOutAPausedOwner() {
    String key = io.stockroom.inventory.Variants.LOCK.key("t", Mongo.newId());
    DeadUnit dead = deadUnit(key.substring(key.lastIndexOf(':') + 1), List.of(key));
    onContext(() -> recovery().sweep());
    JsonObject given = now(dead);
    assertEquals(10L, given.getLong("stock"));
    assertTrue(given.getLong("fence") > 7L, "a newer token than the owner's 7: " + given);
    // the owner wakes up and sends a write it had prepared against the state it read, which recovery gave back
    long changed = mongo.findOneAndUpdateWithOptions(dead.collection(), CompareAndSet.filter(dead.before(), null, 7L),
      CompareAndSet.update(dead.before(), new JsonObject().put("stock", 1L), null, CompareAndSet.writeId(dead.unitId(), 1), 7L),
      new FindOptions(), new UpdateOptions()).await() == null ? 0 : 1;
    assertEquals(0, changed, "the paused owner's late write is refused");
    assertEquals(10L, now(dead).getLong("stock"));
  }

  @Test
  @DisplayName("a recovery slower than its lease: a later one finishes the unit, and the slow one's late work changes nothing")
  void recoverySlowerThanItsLease() throws InterruptedException {
    DeadUnit dead = deadUnit();
    JournalEntry entry = journal.expired(null, 1_000).await().stream().filter(e -> e.id().equals(dead.unitId())).findFirst().orElseThrow();
    JournalEntry slow = journal.takeOver(entry).await();
    assertNotNull(slow, "the slow recovery took the entry over");
    assertNull(journal.takeOver(entry).await(), "no second take-over of the same lease");
    Thread.sleep(400);  // the slow one stalls past its 300 ms lease without renewing it
    onContext(() -> recovery().sweep());  // a later recovery takes over and finishes the unit
    assertEquals(10L, now(dead).getLong("stock"));

    // A later unit moves the document on; then the slow recovery resumes with what it had read.
    JsonObject current = now(dead);
    mongo.findOneAndUpdateWithOptions(dead.collection(), CompareAndSet.filter(current, null, 9L),
      CompareAndSet.update(current, new JsonObject().put("stock", 8L), null, CompareAndSet.writeId(Mongo.newId(), 0), 9L),
      new FindOptions(), new UpdateOptions()).await();
    assertEquals(UndoStep.Outcome.DONE, dead.undo().apply(mongo).await());
    assertEquals(8L, now(dead).getLong("stock"), "the later unit's write stays");
    assertFalse(journal.renewTaken(slow).await(), "the slow recovery no longer owns the entry");
    assertFalse(journal.closeTaken(slow).await(), "nor can it close it");
  }

  @Test
  @DisplayName("a recovery renews its own lease: while it lives, nobody takes the entry over")
  void recoveryRenewsItsLease() throws InterruptedException {
    DeadUnit dead = deadUnit();
    JournalEntry entry = journal.expired(null, 1_000).await().stream().filter(e -> e.id().equals(dead.unitId())).findFirst().orElseThrow();
    JournalEntry taken = journal.takeOver(entry).await();
    for (int i = 0; i < 6; i++) {
      Thread.sleep(100);
      assertTrue(journal.renewTaken(taken).await());
    }
    assertTrue(journal.expired(null, 1_000).await().stream().noneMatch(e -> e.id().equals(dead.unitId())),
      "a renewed entry is not expired");
    assertTrue(journal.closeTaken(taken).await());
    assertTrue(journalOf(dead).isEmpty());
  }

  /**
   * Runs {@code writes} as a unit that is then cut off from the database at its commit point (the commit never lands,
   * and the unit leaves itself to recovery). Its entry's lease runs 300 ms: until then no recovery, the running
   * stack's included, takes it.
   */
  private void abandonAtCommit(String tenantId, Function<Unit, Future<Void>> writes) {
    CompensatingUnitRunner runner = new CompensatingUnitRunner(stack.vertx, mongo, new Failpoints(stack.vertx, true), 900, false);
    Failpoints.armCommitInDoubt(stack.vertx, "test.abandoned", tenantId, false);
    Future<Void> outcome = onContext(() -> runner.run(UnitSpec.of("test.abandoned", tenantId, 10_000), writes)
      .map(Future::<Void>succeededFuture).otherwise(Future::failedFuture));
    assertTrue(outcome.failed() && outcome.cause() instanceof UnitInDoubt, () -> "left to recovery: " + outcome.cause());
  }

  private List<JsonObject> journalOfTenant(String tenantId) {
    return mongo.find(UnitJournal.COLLECTION, new JsonObject().put("tenantId", tenantId)).await();
  }

  @Test
  @DisplayName("a unit abandoned after its entry was written with its undo steps inline: recovery reads them and undoes the unit")
  void inlineStepsAreRecovered() throws InterruptedException {
    String tenantId = Mongo.newId();
    String collection = "recovery_inline_test";
    JsonObject before = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("stock", 10L);
    mongo.insert(collection, before).await();
    List<String> inserted = List.of(Mongo.newId(), Mongo.newId());
    abandonAtCommit(tenantId, unit -> unit.queueCompareAndSet(collection, before, new JsonObject().put("stock", 4L), null)
      .compose(after -> unit.queueInsert(collection, new JsonObject().put("_id", inserted.get(0)).put("tenantId", tenantId)))
      .compose(v -> unit.queueInsert(collection, new JsonObject().put("_id", inserted.get(1)).put("tenantId", tenantId))));
    List<JsonObject> journaled = journalOfTenant(tenantId);
    assertEquals(1, journaled.size(), () -> "only the entry, no step documents: " + journaled);
    assertEquals(3, journaled.get(0).getJsonArray("steps").size(), journaled::toString);
    assertEquals(4L, mongo.findOne(collection, new JsonObject().put("_id", before.getString("_id")), null).await().getLong("stock"));

    recoveredOnceTheLeaseRanOut(tenantId);
    assertEquals(10L, mongo.findOne(collection, new JsonObject().put("_id", before.getString("_id")), null).await().getLong("stock"));
    for (String id : inserted) assertNull(mongo.findOne(collection, new JsonObject().put("_id", id), null).await(), "the insert was undone");
    assertTrue(journalOfTenant(tenantId).isEmpty());
  }

  @Test
  @DisplayName("a unit past the inline bound: the rest are step documents, and recovery undoes every step in order; later writes' undos are appended to the entry")
  void stepsPastTheBound() throws InterruptedException {
    String tenantId = Mongo.newId();
    String collection = "recovery_bound_test";
    JsonObject counter = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("stock", 0L);
    mongo.insert(collection, counter).await();
    int writes = UnitJournal.INLINE_STEPS + 6;
    // each compare-and-set follows the one before it: undone last first, the document goes back to 0
    abandonAtCommit(tenantId, unit -> Steps.each(java.util.stream.IntStream.range(0, writes).boxed().toList(), new java.util.function.Function<Integer, Future<?>>() {
      JsonObject latest = counter;

      @Override
      public Future<?> apply(Integer i) {
        return unit.queueCompareAndSet(collection, latest, new JsonObject().put("stock", (long) i + 1), null).onSuccess(after -> latest = after);
      }
    }));
    List<JsonObject> journaled = journalOfTenant(tenantId);
    JsonObject entry = journaled.stream().filter(doc -> doc.containsKey("state")).findFirst().orElseThrow();
    assertEquals(UnitJournal.INLINE_STEPS, entry.getJsonArray("steps").size());
    assertEquals(6, journaled.size() - 1, "the steps past the bound are documents of their own");
    List<UndoStep> steps = journal.steps(entry.getString("_id")).await();
    assertEquals(writes, steps.size());
    for (int i = 0; i < writes; i++) assertEquals(CompareAndSet.writeId(entry.getString("_id"), i), steps.get(i).id(), "in step order");

    recoveredOnceTheLeaseRanOut(tenantId);
    assertEquals(0L, mongo.findOne(collection, new JsonObject().put("_id", counter.getString("_id")), null).await().getLong("stock"));
    assertTrue(journalOfTenant(tenantId).isEmpty());

    String other = Mongo.newId();
    JsonObject first = new JsonObject().put("_id", Mongo.newId()).put("tenantId", other);
    JsonObject second = new JsonObject().put("_id", Mongo.newId()).put("tenantId", other);
    JsonObject third = new JsonObject().put("_id", Mongo.newId()).put("tenantId", other);
    abandonAtCommit(other, unit -> unit.insert(collection, first).compose(v -> unit.insert(collection, second))
      .compose(v -> unit.queueInsert(collection, third)));
    List<JsonObject> all = journalOfTenant(other);
    assertEquals(1, all.size(), () -> "the entry opened by the first immediate write carries the later undos too: " + all);
    assertEquals(3, all.get(0).getJsonArray("steps").size(), all::toString);
    recoveredOnceTheLeaseRanOut(other);
    for (JsonObject inserted : List.of(first, second, third)) {
      assertNull(mongo.findOne(collection, new JsonObject().put("_id", inserted.getString("_id")), null).await());
    }
    assertTrue(journalOfTenant(other).isEmpty());
  }

  @Test
  @DisplayName("a unit whose entry was taken over cannot append its next undo: the write does not go, and the unit is left to the recovery")
  void appendToATakenOverEntryFails() {
    String tenantId = Mongo.newId();
    String collection = "recovery_append_test";
    JsonObject first = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId);
    JsonObject immediate = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId);
    JsonObject queued = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId);
    for (JsonObject late : List.of(immediate, queued)) {
      CompensatingUnitRunner runner = runner();
      Future<Void> outcome = onContext(() -> runner.run(UnitSpec.of("test.takenOver", tenantId, 10_000), unit -> unit.insert(collection, first.copy().put("_id", Mongo.newId()))
          // as a recovery would: the entry is no longer this instance's
          .compose(v -> mongo.updateCollection(UnitJournal.COLLECTION, new JsonObject().put("_id", unit.id()),
            new JsonObject().put("$set", new JsonObject().put("owner", "another-instance").put("takeovers", 1L))))
          .compose(v -> late == immediate ? unit.insert(collection, late) : unit.queueInsert(collection, late)))
        .map(Future::<Void>succeededFuture).otherwise(Future::failedFuture));
      assertTrue(outcome.failed() && outcome.cause() instanceof UnitInDoubt,
        () -> "left to the recovery that took its entry over, its outcome unknown to its caller: " + outcome.cause());
      assertNull(mongo.findOne(collection, new JsonObject().put("_id", late.getString("_id")), null).await(), "the late write never went");
    }
    mongo.removeDocuments(UnitJournal.COLLECTION, new JsonObject().put("tenantId", tenantId)).await();
  }

  @Test
  @DisplayName("a step document whose entry is gone is never undone, and the orphan sweep removes it")
  void orphanStepsAreRemovedNotUndone() {
    String tenantId = Mongo.newId();
    String collection = "recovery_orphan_test";
    JsonObject kept = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId);
    mongo.insert(collection, kept).await();
    String unitId = Mongo.newId();
    // the step of a unit that committed: its entry is gone, and its undo would delete what the unit inserted
    mongo.insert(UnitJournal.COLLECTION, UnitJournal.stepDocument(unitId, tenantId, 3,
      UndoStep.deleteInserted(CompareAndSet.writeId(unitId, 3), collection, kept))).await();
    onContext(() -> recovery().sweep());
    assertNotNull(mongo.findOne(collection, new JsonObject().put("_id", kept.getString("_id")), null).await(), "never undone");
    onContext(() -> recovery().removeOrphanSteps());
    assertTrue(journalOfTenant(tenantId).isEmpty(), "the orphan step is gone");
    assertNotNull(mongo.findOne(collection, new JsonObject().put("_id", kept.getString("_id")), null).await());
  }

  @Test
  @DisplayName("150 repair entries that keep conflicting do not hide a repairable one behind them")
  void repairSweepPages() {
    UnitRepairs repairs = new UnitRepairs(mongo);
    String collection = "repair_sweep_test_" + Mongo.newId();
    for (int i = 0; i < 150; i++) {
      // each entry's document is gone: its restore conflicts, every sweep
      JsonObject missing = new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t").put("stock", 1L);
      UndoStep stuck = UndoStep.restore(CompareAndSet.writeId(Mongo.newId(), 0), collection, missing, new JsonObject().put("stock", 0L), null, 1L);
      repairs.record(Mongo.newId(), "test.stuck", "t", List.of(), List.of(stuck), new IllegalStateException("test")).await();
    }
    DeadUnit repairable = deadUnit(false);
    repairs.record(Mongo.newId(), "test.repairable", repairable.tenantId(), List.of(), List.of(repairable.undo()),
      new IllegalStateException("test")).await();
    int left = onContext(() -> new RepairSweep(repairs, locks()).sweep());
    assertTrue(left >= 150, "the stuck entries stay: " + left);
    assertEquals(10L, now(repairable).getLong("stock"), "the entry behind them was repaired");
    assertTrue(mongo.find(UnitRepairs.COLLECTION, new JsonObject().put("unit", "test.repairable")).await().isEmpty());
    mongo.removeDocuments(UnitRepairs.COLLECTION, new JsonObject().put("unit", "test.stuck")).await();
  }

  /**
   * Lets the abandoned entry's 300 ms lease run out and sweeps; the running stack's own recovery may take the entry
   * first, so the unit counts as recovered once the tenant's journal is empty, whichever recovery finished it.
   */
  private void recoveredOnceTheLeaseRanOut(String tenantId) throws InterruptedException {
    Thread.sleep(400);
    onContext(() -> recovery().sweep());
    Eventually.until("the unit's recovery", Duration.ofSeconds(15), () -> journalOfTenant(tenantId).isEmpty());
  }
}
