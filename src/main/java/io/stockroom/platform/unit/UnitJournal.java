package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The write-ahead journal of compensating units (servers without transactions). Before each write a unit records
 * how to undo it, in an entry leased by the instance running it and renewed while the unit runs; the entry turns
 * COMMITTED at the unit's commit point and goes once the unit settled. If the instance dies, the entry outlives its
 * lease and a surviving instance takes it over ({@code UnitRecovery}): a RUNNING unit is undone (every undo step is
 * idempotent, and safe for a write that never happened), a COMMITTED one is settled. The lease is a third of the
 * lock lifetime, so recovery normally happens while the dead instance's locks still keep every other unit away.
 *
 * <p>Entry: {_id: unitId, unitId, tenantId, unit, variantIds, claimId, lockKeys, lockToken, locksUntil, owner, leaseUntil,
 * state}; each undo step beside it: {_id: unitId:seq, unitId, tenantId, seq, step}.
 */
public final class UnitJournal {
  public static final String COLLECTION = "unit_journal";
  /** This process, as the owner of the entries of the units it runs. */
  public static final String INSTANCE = UUID.randomUUID().toString();

  /** ROLLING_BACK: the owner decided to undo the unit, so a late commit mark can no longer land. */
  public enum State { RUNNING, ROLLING_BACK, COMMITTED }

  private final MongoClient mongo;
  private final long lockTtlMs;

  public UnitJournal(MongoClient mongo, long lockTtlMs) {
    this.mongo = mongo;
    this.lockTtlMs = lockTtlMs;
  }

  /** How long an entry's owner may go without renewing it before it counts as dead. */
  public long leaseMs() {
    return Math.max(300, lockTtlMs / 3);
  }

  /** How often an owner renews its entries, and survivors look for expired ones: a third of the lease. */
  public long heartbeatMs() {
    return Math.max(100, leaseMs() / 3);
  }

  /**
   * Opens the unit's entry together with the undo of its first write, in one insert command: a unit that never
   * writes never touches the journal.
   */
  Future<Void> open(String unitId, UnitSpec spec, int seq, UndoStep first) {
    return mongo.bulkWrite(COLLECTION, List.of(BulkOperation.createInsert(entry(unitId, spec)),
      BulkOperation.createInsert(stepDocument(unitId, spec.tenantId(), seq, first)))).mapEmpty();
  }

  /** A new entry: RUNNING, owned and leased by this instance. */
  JsonObject entry(String unitId, UnitSpec spec) {
    Instant now = Instant.now();
    return new JsonObject().put("_id", unitId).put("unitId", unitId).put("tenantId", spec.tenantId()).put("unit", spec.name())
      .put("variantIds", new JsonArray(spec.subjects())).put("claimId", spec.claimId())
      .put("lockKeys", new JsonArray(spec.lockKeys())).put("lockToken", spec.lockToken())
      .put("locksUntil", Mongo.date(spec.locksUntil() == Long.MAX_VALUE ? now.plusMillis(lockTtlMs) : Instant.ofEpochMilli(spec.locksUntil())))
      .put("owner", INSTANCE).put("takeovers", 0L)
      .put("leaseUntil", Mongo.date(now.plusMillis(leaseMs()))).put("state", State.RUNNING.name());
  }

  /**
   * Writes the undo of step {@code seq} ahead of the step, as a document of its own: appending to an array in the
   * entry would rewrite an ever larger document at every step of a long unit.
   */
  Future<Void> append(String unitId, String tenantId, int seq, UndoStep step) {
    return mongo.insert(COLLECTION, stepDocument(unitId, tenantId, seq, step)).mapEmpty();
  }

  static JsonObject stepDocument(String unitId, String tenantId, int seq, UndoStep step) {
    return new JsonObject().put("_id", unitId + ":" + seq).put("unitId", unitId).put("tenantId", tenantId).put("seq", seq)
      .put("step", step.toJson());
  }

  /** The undo steps written for a unit, in the order of its steps. */
  public Future<List<UndoStep>> steps(String unitId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("unitId", unitId),
        new FindOptions().setSort(new JsonObject().put("seq", 1)))
      .map(found -> found.stream().filter(doc -> doc.containsKey("step"))  // the entry itself carries its unitId too
        .map(doc -> UndoStep.fromJson(doc.getJsonObject("step"))).toList());
  }

  /**
   * The owner is alive: the lease moves on. False when the entry is no longer this owner's (taken over); true also
   * while the entry is not written yet (a renewal can overtake the insert of a unit's first undo).
   */
  Future<Boolean> renew(String unitId) {
    return renew(new JsonObject().put("_id", unitId).put("owner", INSTANCE).put("takeovers", 0L))
      .compose(mine -> mine ? Future.succeededFuture(true)
        : mongo.findOne(COLLECTION, new JsonObject().put("_id", unitId), new JsonObject().put("_id", 1)).map(entry -> entry == null));
  }

  /** A recovery's own lease moves on, as long as the entry is still this take-over's. */
  public Future<Boolean> renewTaken(JsonObject taken) {
    return renew(owned(taken));
  }

  private Future<Boolean> renew(JsonObject owned) {
    return mongo.updateCollection(COLLECTION, owned,
        new JsonObject().put("$set", new JsonObject().put("leaseUntil", Mongo.date(Instant.now().plusMillis(leaseMs())))))
      .map(res -> res != null && res.getDocMatched() == 1);
  }

  /** The filter that matches a taken-over entry only while it is still that take-over's. */
  private static JsonObject owned(JsonObject taken) {
    return new JsonObject().put("_id", taken.getValue("_id")).put("owner", taken.getValue("owner"))
      .put("takeovers", taken.getValue("takeovers", 0L));
  }

  /**
   * The owner decides to roll the unit back: RUNNING turns ROLLING_BACK, so a commit mark sent earlier whose answer
   * was lost can no longer land. Answers the state the entry is in afterwards (ROLLING_BACK when this decided it), or
   * null when the entry is gone or no longer this owner's.
   */
  Future<State> rollingBack(String unitId) {
    return mongo.findOneAndUpdateWithOptions(COLLECTION, running(unitId),
        new JsonObject().put("$set", new JsonObject().put("state", State.ROLLING_BACK.name())), new FindOptions(),
        new UpdateOptions().setReturningNewDocument(true))
      .compose(decided -> decided != null ? Future.succeededFuture(State.ROLLING_BACK)
        : mongo.findOne(COLLECTION, new JsonObject().put("_id", unitId).put("owner", INSTANCE).put("takeovers", 0L),
            new JsonObject().put("state", 1))
            .map(entry -> entry == null ? null : State.valueOf(entry.getString("state"))));
  }

  /** Whether any of these units is still open: RUNNING, or ROLLING_BACK (its writes may still be undone). */
  Future<Boolean> anyOpen(Collection<String> unitIds) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(List.copyOf(unitIds))))
        .put("state", new JsonObject().put("$in", new JsonArray().add(State.RUNNING.name()).add(State.ROLLING_BACK.name()))),
        new FindOptions().setFields(new JsonObject().put("_id", 1)).setLimit(1))
      .map(open -> !open.isEmpty());
  }

  /** The unit's commit point: from here on it is settled, never undone. Fails if the entry was taken over. */
  Future<Void> committed(String unitId) {
    return mongo.updateCollection(COLLECTION, running(unitId), commit())
      .compose(res -> res != null && res.getDocMatched() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(takenOver(unitId)));
  }

  /** The entry of a unit this instance runs, while it is RUNNING. */
  static JsonObject running(String unitId) {
    return new JsonObject().put("_id", unitId).put("owner", INSTANCE).put("takeovers", 0L).put("state", State.RUNNING.name());
  }

  static JsonObject commit() {
    return new JsonObject().put("$set", new JsonObject().put("state", State.COMMITTED.name()));
  }

  static boolean committedHere(JsonObject entry) {
    return INSTANCE.equals(entry.getString("owner")) && entry.getLong("takeovers", 0L) == 0
      && State.COMMITTED.name().equals(entry.getString("state"));
  }

  static IllegalStateException takenOver(String unitId) {
    return new IllegalStateException("journal entry " + unitId + " was taken over");
  }

  /**
   * Removes the entries of settled or rolled-back units with their steps, in one command (an entry carries its own id
   * as {@code unitId}). The server finishes the command even if this instance dies once it is sent.
   */
  public Future<Void> close(Collection<String> unitIds) {
    if (unitIds.isEmpty()) return Future.succeededFuture();
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("unitId", new JsonObject().put("$in", new JsonArray(List.copyOf(unitIds)))))
      .mapEmpty();
  }

  /**
   * Entries whose owner stopped renewing them (its instance died, or it gave the unit up), in {@code _id} order after
   * {@code afterId} (null: from the start), so that a sweep pages past entries it cannot finish yet.
   */
  public Future<List<JsonObject>> expired(String afterId, int limit) {
    JsonObject filter = new JsonObject().put("leaseUntil", new JsonObject().put("$lt", Mongo.now()));
    if (afterId != null) filter.put("_id", new JsonObject().put("$gt", afterId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(limit));
  }

  /**
   * Takes an expired entry over (compare-and-set on owner, lease and take-over count, which it moves on by one); null
   * when another take-over got it first. The answer identifies this take-over: its renewals and its close only match
   * while no later take-over happened.
   */
  public Future<JsonObject> takeOver(JsonObject entry) {
    long takeovers = entry.getLong("takeovers", 0L);
    JsonObject filter = new JsonObject().put("_id", entry.getValue("_id")).put("owner", entry.getValue("owner"))
      .put("leaseUntil", entry.getValue("leaseUntil"))
      .put("takeovers", takeovers == 0 ? new JsonObject().put("$in", new JsonArray().add(0L).addNull()) : takeovers);
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("owner", INSTANCE).put("takeovers", takeovers + 1)
      .put("leaseUntil", Mongo.date(Instant.now().plusMillis(leaseMs()))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** Removes the entry of a unit this instance runs, and its steps, unless the entry was taken over meanwhile. */
  Future<Void> closeOwn(String unitId) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", unitId).put("owner", INSTANCE).put("takeovers", 0L))
      .compose(removed -> removed != null && removed.getRemovedCount() == 1 ? close(List.of(unitId))
        : mongo.findOne(COLLECTION, new JsonObject().put("_id", unitId), new JsonObject().put("_id", 1))
            .compose(entry -> entry == null ? close(List.of(unitId)) : Future.<Void>succeededFuture()));
  }

  /** Removes a taken-over entry and its steps, only while it is still this take-over's; false when it is not. */
  public Future<Boolean> closeTaken(JsonObject taken) {
    return mongo.removeDocument(COLLECTION, owned(taken)).compose(removed -> removed != null && removed.getRemovedCount() == 1
      ? close(List.of(taken.getString("_id"))).map(true)
      : Future.succeededFuture(false));
  }
}
