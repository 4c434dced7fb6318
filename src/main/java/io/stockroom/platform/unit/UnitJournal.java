package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
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

  public enum State { RUNNING, COMMITTED }

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

  public static Future<Void> createIndexes(MongoClient mongo) {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("leaseUntil", 1), new IndexOptions().name("lease"))
      .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("unitId", 1).put("seq", 1),
        new IndexOptions().name("unit-steps")));
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
      .put("locksUntil", Mongo.date(now.plusMillis(lockTtlMs))).put("owner", INSTANCE)
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

  /** The owner is alive: the lease moves on. */
  Future<Void> renew(String unitId) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", unitId).put("owner", INSTANCE),
      new JsonObject().put("$set", new JsonObject().put("leaseUntil", Mongo.date(Instant.now().plusMillis(leaseMs()))))).mapEmpty();
  }

  /** The unit's commit point: from here on it is settled, never undone. Fails if the entry was taken over. */
  Future<Void> committed(String unitId) {
    return mongo.updateCollection(COLLECTION, running(unitId), commit())
      .compose(res -> res != null && res.getDocMatched() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(takenOver(unitId)));
  }

  /** The entry of a unit this instance runs, while it is RUNNING. */
  static JsonObject running(String unitId) {
    return new JsonObject().put("_id", unitId).put("owner", INSTANCE).put("state", State.RUNNING.name());
  }

  static JsonObject commit() {
    return new JsonObject().put("$set", new JsonObject().put("state", State.COMMITTED.name()));
  }

  static boolean committedHere(JsonObject entry) {
    return INSTANCE.equals(entry.getString("owner")) && State.COMMITTED.name().equals(entry.getString("state"));
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

  /** Entries whose owner stopped renewing them: its instance died. */
  public Future<List<JsonObject>> expired(int limit) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("leaseUntil", new JsonObject().put("$lt", Mongo.now())),
      new FindOptions().setLimit(limit));
  }

  /** Takes an expired entry over (compare-and-set on owner and lease); null when another instance got it first. */
  public Future<JsonObject> takeOver(JsonObject entry) {
    JsonObject filter = new JsonObject().put("_id", entry.getValue("_id")).put("owner", entry.getValue("owner"))
      .put("leaseUntil", entry.getValue("leaseUntil"));
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("owner", INSTANCE)
      .put("leaseUntil", Mongo.date(Instant.now().plusMillis(leaseMs()))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }
}
