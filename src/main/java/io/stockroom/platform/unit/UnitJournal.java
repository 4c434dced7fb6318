package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClientBulkWriteResult;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.stream.Collectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The write-ahead journal of compensating units (servers without transactions). Before each write a unit records
 * how to undo it, in an entry leased by the instance running it and renewed while the unit runs; at the unit's commit
 * point the entry is deleted, or turns COMMITTED and goes once the unit settled (below). If the instance dies, the
 * entry outlives its lease and a surviving instance takes it over ({@code UnitRecovery}): a RUNNING unit is undone
 * (every undo step is idempotent, and safe for a write that never happened), a COMMITTED one is settled. The lease is a third of the
 * lock lifetime, so recovery normally happens while the dead instance's locks still keep every other unit away.
 *
 * <p>Entry: {_id: unitId, unitId, tenantId, unit, variantIds, claimId, lockKeys, lockToken, locksUntil, owner, leaseUntil,
 * state, steps: [{seq, step}]}: the undo steps travel inline, those known when the entry is written and later ones
 * appended to it while it is RUNNING and this instance's, up to {@link #INLINE_STEPS} of them and {@link #INLINE_BYTES}
 * of undo, so that the entry stays small; the steps past the bound are documents beside it:
 * {_id: unitId:seq, unitId, tenantId, seq, step}. An append matches only the entry of a unit that still owns it, so an
 * owner whose entry was taken over learns it there; a step document is inserted unconditionally, and past the bound
 * the owner learns of a take-over from its lease renewals, before its next write.
 *
 * <p>A unit that changed no shared document commits by deleting its entry (while it is RUNNING and its own): then the
 * journal costs it two writes. A unit with shared documents to settle turns its entry COMMITTED instead, and the entry
 * goes once its markers left those documents. Step documents go right after their entry; if that is lost, a step
 * document without entry is never read by recovery (which starts from entries), and {@link #removeOrphanSteps} clears it.
 */
public final class UnitJournal {
  public static final String COLLECTION = "unit_journal";
  /** This process, as the owner of the entries of the units it runs. */
  public static final String INSTANCE = UUID.randomUUID().toString();

  /** Undo steps an entry carries inline at most; the rest are step documents. */
  static final int INLINE_STEPS = 64;
  /** Undo (bytes of its JSON) an entry carries inline at most: an entry stays far below the 16 MB document limit. */
  static final int INLINE_BYTES = 256 * 1024;

  /** ROLLING_BACK: the owner decided to undo the unit, so a late commit point can no longer land. */
  public enum State { RUNNING, ROLLING_BACK, COMMITTED }

  /**
   * What the owner of a unit whose commit point's answer was lost finds: the entry turned ROLLING_BACK by this question
   * (undo the unit), COMMITTED, CLOSED (gone: deleted by the unit's own commit, or by a recovery that took it over), or
   * TAKEN_OVER by a recovery that has not finished.
   */
  enum Verdict { ROLLING_BACK, COMMITTED, CLOSED, TAKEN_OVER }

  /** How a renewal went: RENEWED (the lease moved on), TAKEN_OVER, or ABSENT (not written yet, or gone). */
  enum Renewal { RENEWED, TAKEN_OVER, ABSENT }

  /** The undo of step {@code seq} of a unit, as written ahead. */
  record Undo(int seq, UndoStep step) {
  }

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
   * Writes a unit's {@link #entry} (with the undo of its first write inline) ahead of that write: a unit that never
   * writes never touches the journal.
   */
  Future<Void> open(JournalEntry entry) {
    return mongo.insert(COLLECTION, entry.toDocument()).mapEmpty();
  }

  /**
   * A new entry: RUNNING, owned by this instance and leased from {@code now} (epoch ms, taken before the call), with
   * {@code inline} (at most {@link #inlineable} of a unit's steps).
   */
  JournalEntry entry(String unitId, UnitSpec spec, long now, List<Undo> inline) {
    Instant at = Instant.ofEpochMilli(now);
    return new JournalEntry(unitId, unitId, spec.tenantId(), spec.name(), spec.subjects(), spec.claimId(),
      spec.lockKeys(), spec.lockToken(),
      spec.locksUntil() == Long.MAX_VALUE ? at.plusMillis(lockTtlMs) : Instant.ofEpochMilli(spec.locksUntil()),
      INSTANCE, 0L, at.plusMillis(leaseMs()), State.RUNNING, inline.stream().map(JournalEntry.InlineStep::of).toList());
  }

  /** Room for undo steps inline in one unit's entry: what it already carries. */
  static final class InlineRoom {
    private int steps;
    private int bytes;

    /**
     * How many of {@code undos}, from the first, still fit inline; their room is taken. {@code first}: the undo of
     * the step that opens the entry, which always travels in it.
     */
    int take(List<UndoStep> undos, boolean first) {
      for (int i = 0; i < undos.size(); i++) {
        int size = undos.get(i).toJson().toBuffer().length();
        boolean forced = first && i == 0;
        if (!forced && (steps >= INLINE_STEPS || bytes + size > INLINE_BYTES)) return i;
        steps++;
        bytes += size;
      }
      return undos.size();
    }
  }

  /**
   * Appends the undos of later steps to a unit's entry, in the command that carries them ahead of their writes; it
   * matches only while the entry is RUNNING and this instance's (else the writes must not go).
   */
  static JsonObject appended(List<Undo> undos) {
    return Ops.pushEach(JournalEntry.STEPS,
      new JsonArray(undos.stream().map(undo -> (Object) RecordCodec.toDocument(JournalEntry.InlineStep.of(undo))).toList()));
  }

  /** {@link #appended} on its own, for an immediate write: fails when the entry was taken over. */
  Future<Void> appendInline(String unitId, List<Undo> undos) {
    return mongo.updateCollection(COLLECTION, running(unitId), appended(undos)).compose(res -> res != null && res.getDocMatched() == 1
      ? Future.<Void>succeededFuture() : Future.failedFuture(takenOver(unitId)));
  }

  /**
   * Writes the undo of step {@code seq} ahead of the step, as a document of its own: for steps past the inline bound
   * (appending to the entry would rewrite an ever larger document at every step of a long unit).
   */
  Future<Void> append(String unitId, String tenantId, int seq, UndoStep step) {
    return mongo.insert(COLLECTION, stepDocument(unitId, tenantId, seq, step)).mapEmpty();
  }

  static JsonObject stepDocument(String unitId, String tenantId, int seq, UndoStep step) {
    return RecordCodec.toDocument(JournalEntry.StepDocument.of(unitId, tenantId, seq, step));
  }

  /**
   * The undo steps written for a unit, in the order of its steps: those inline in its entry and its step documents
   * (the entry, which carries its own id as {@code unitId}, is found by the same query).
   */
  public Future<List<UndoStep>> steps(String unitId) {
    return mongo.findWithOptions(COLLECTION, Ops.where(JournalEntry.UNIT_ID, unitId), new FindOptions().setSort(Ops.sort(JournalEntry.SEQ)))
      .map(found -> {
        List<Undo> undos = new ArrayList<>();
        for (JsonObject doc : found) {
          JournalEntry.StepDocument single = RecordCodec.fromDocument(JournalEntry.StepDocument.class, doc);
          if (single.step() != null) undos.add(single.undo());
          undos.addAll(JournalEntry.of(doc).inlineUndos());
        }
        undos.sort(Comparator.comparingInt(Undo::seq));
        return undos.stream().map(Undo::step).toList();
      });
  }

  /**
   * The owner is alive: the lease moves on to {@code until} (epoch ms). ABSENT while the entry is not written yet (a
   * renewal can overtake the insert of a unit's first undo), and once it is gone.
   */
  Future<Renewal> renew(String unitId, long until) {
    return renew(mine(unitId), until)
      .compose(mine -> mine ? Future.succeededFuture(Renewal.RENEWED)
        : mongo.findOne(COLLECTION, Ops.where(Fields.ID, unitId), Ops.only(Fields.ID))
            .map(entry -> entry == null ? Renewal.ABSENT : Renewal.TAKEN_OVER));
  }

  /** A recovery's own lease moves on, as long as the entry is still this take-over's. */
  public Future<Boolean> renewTaken(JournalEntry taken) {
    return renew(owned(taken), System.currentTimeMillis() + leaseMs());
  }

  private Future<Boolean> renew(JsonObject owned, long until) {
    return mongo.updateCollection(COLLECTION, owned, Ops.set(JournalEntry.LEASE_UNTIL, Mongo.date(Instant.ofEpochMilli(until))))
      .map(res -> res != null && res.getDocMatched() == 1);
  }

  /**
   * Whether a lease this owner holds until {@code until} (epoch ms) certainly has not expired yet, with a heartbeat's
   * margin for the clocks of other instances: until then no recovery can have taken the entry over.
   */
  boolean leaseHolds(long until) {
    return System.currentTimeMillis() + heartbeatMs() < until;
  }

  /** The filter that matches a taken-over entry only while it is still that take-over's. */
  private static JsonObject owned(JournalEntry taken) {
    return Ops.where(Fields.ID, taken.id()).put(JournalEntry.OWNER, taken.owner()).put(JournalEntry.TAKEOVERS, taken.takeovers());
  }

  /** The filter that matches the entry of a unit this instance runs, whatever its state (no recovery took it over). */
  private static JsonObject mine(String unitId) {
    return Ops.where(Fields.ID, unitId).put(JournalEntry.OWNER, INSTANCE).put(JournalEntry.TAKEOVERS, 0L);
  }

  /**
   * The owner decides to roll the unit back: RUNNING turns ROLLING_BACK, so a commit point sent earlier whose answer
   * was lost (a mark or a delete) can no longer land. Answers what it found (ROLLING_BACK when this decided it).
   */
  Future<Verdict> rollingBack(String unitId) {
    return mongo.findOneAndUpdateWithOptions(COLLECTION, running(unitId), Ops.set(JournalEntry.STATE, State.ROLLING_BACK.name()),
        new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
      .compose(decided -> decided != null ? Future.succeededFuture(Verdict.ROLLING_BACK)
        : mongo.findOne(COLLECTION, Ops.where(Fields.ID, unitId), COMMIT_FIELDS).map(JournalEntry::of).map(entry -> {
            if (entry == null) return Verdict.CLOSED;
            if (!ownedHere(entry)) return Verdict.TAKEN_OVER;
            return entry.committed() ? Verdict.COMMITTED : Verdict.ROLLING_BACK;
          }));
  }

  /** The fields that tell whether a unit's commit point landed. */
  static final JsonObject COMMIT_FIELDS = Ops.only(JournalEntry.STATE, JournalEntry.OWNER, JournalEntry.TAKEOVERS);

  /** Whether any of these units is still open: RUNNING, or ROLLING_BACK (its writes may still be undone). */
  Future<Boolean> anyOpen(Collection<String> unitIds) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.ID, Ops.in(List.copyOf(unitIds)))
          .put(JournalEntry.STATE, Ops.in(List.of(State.RUNNING.name(), State.ROLLING_BACK.name()))),
        new FindOptions().setFields(Ops.only(Fields.ID)).setLimit(1))
      .map(open -> !open.isEmpty());
  }

  /**
   * The units among {@code unitIds} that have an entry (one query, only ids): those that run, roll back, wait for
   * recovery, or committed and are not cleaned up yet (see {@code UnitSettlement}).
   */
  public static Future<Set<String>> unitIdsAmong(MongoClient mongo, Collection<String> unitIds) {
    JsonObject idsIn = Ops.where(Fields.ID, Ops.in(List.copyOf(new HashSet<>(unitIds))));
    return mongo.findWithOptions(COLLECTION, idsIn, new FindOptions().setFields(Ops.only(Fields.ID)).setLimit(unitIds.size()))
      .map(docs -> docs.stream().map(doc -> doc.getString(Fields.ID)).collect(Collectors.toSet()));
  }

  /** One ordered bulk write of a batch's entries and steps ({@link WriteBatches}). */
  static Future<MongoClientBulkWriteResult> bulkWrite(MongoClient mongo, List<BulkOperation> documents) {
    return mongo.bulkWrite(COLLECTION, documents);
  }

  /** One unordered bulk write of a batch's commit points ({@link WriteBatches}). */
  static Future<MongoClientBulkWriteResult> bulkWriteUnordered(MongoClient mongo, List<BulkOperation> points) {
    return mongo.bulkWriteWithOptions(COLLECTION, points, new BulkWriteOptions().setOrdered(false));
  }

  /**
   * The entries of {@code unitIds} that exist, by id, with only {@code fields} (a projection): for a batch whose
   * journal writes matched fewer entries than were sent.
   */
  static Future<Map<String, JournalEntry>> entries(MongoClient mongo, List<String> unitIds, JsonObject fields) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.ID, Ops.in(unitIds)), new FindOptions().setFields(fields))
      .map(found -> {
        Map<String, JournalEntry> byId = new HashMap<>();
        found.forEach(document -> {
          JournalEntry entry = JournalEntry.of(document);
          byId.put(entry.id(), entry);
        });
        return byId;
      });
  }

  /** The entry of a unit this instance runs, while it is RUNNING. */
  static JsonObject running(String unitId) {
    return mine(unitId).put(JournalEntry.STATE, State.RUNNING.name());
  }

  static JsonObject commit() {
    return Ops.set(JournalEntry.STATE, State.COMMITTED.name());
  }

  /** Whether this instance runs the entry's unit (no recovery took it over). */
  static boolean ownedHere(JournalEntry entry) {
    return entry.ownedBy(INSTANCE);
  }

  static TakenOver takenOver(String unitId) {
    return new TakenOver(unitId);
  }

  /** The unit's entry is no longer its owner's: a recovery took it over and decides the unit's outcome. */
  static final class TakenOver extends IllegalStateException {
    TakenOver(String unitId) {
      super("journal entry " + unitId + " was taken over");
    }
  }

  /**
   * Removes the entries of settled or rolled-back units with their steps, in one command (an entry carries its own id
   * as {@code unitId}). The server finishes the command even if this instance dies once it is sent.
   */
  public Future<Void> close(Collection<String> unitIds) {
    if (unitIds.isEmpty()) return Future.succeededFuture();
    return mongo.removeDocuments(COLLECTION, Ops.where(JournalEntry.UNIT_ID, Ops.in(List.copyOf(unitIds)))).mapEmpty();
  }

  /**
   * Entries whose owner stopped renewing them (its instance died, or it gave the unit up), in {@code _id} order after
   * {@code afterId} (null: from the start), so that a sweep pages past entries it cannot finish yet.
   */
  public Future<List<JournalEntry>> expired(String afterId, int limit) {
    JsonObject filter = Ops.where(JournalEntry.LEASE_UNTIL, Ops.lt(Mongo.now()));
    if (afterId != null) filter.put(Fields.ID, Ops.gt(afterId));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(limit))
      .map(found -> found.stream().map(JournalEntry::of).toList());
  }

  /**
   * Takes an expired entry over (compare-and-set on owner, lease and take-over count, which it moves on by one); null
   * when another take-over got it first. The answer identifies this take-over: its renewals and its close only match
   * while no later take-over happened.
   */
  public Future<JournalEntry> takeOver(JournalEntry entry) {
    long takeovers = entry.takeovers();
    JsonObject filter = Ops.where(Fields.ID, entry.id()).put(JournalEntry.OWNER, entry.owner())
      .put(JournalEntry.LEASE_UNTIL, Mongo.date(entry.leaseUntil()))
      .put(JournalEntry.TAKEOVERS, takeovers == 0 ? Ops.in(new JsonArray().add(0L).addNull()) : takeovers);
    JsonObject update = Ops.set(new JsonObject().put(JournalEntry.OWNER, INSTANCE).put(JournalEntry.TAKEOVERS, takeovers + 1)
      .put(JournalEntry.LEASE_UNTIL, Mongo.date(Instant.now().plusMillis(leaseMs()))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
      .map(JournalEntry::of);
  }

  /**
   * Removes the entry of a unit this instance runs, and its step documents if it wrote any ({@code withStepDocuments}),
   * unless the entry was taken over meanwhile.
   */
  Future<Void> closeOwn(String unitId, boolean withStepDocuments) {
    Supplier<Future<Void>> steps = () -> withStepDocuments ? close(List.of(unitId)) : Future.succeededFuture();
    return mongo.removeDocument(COLLECTION, mine(unitId))
      .compose(removed -> removed != null && removed.getRemovedCount() == 1 ? steps.get()
        : mongo.findOne(COLLECTION, Ops.where(Fields.ID, unitId), Ops.only(Fields.ID))
            .compose(entry -> entry == null ? steps.get() : Future.<Void>succeededFuture()));
  }

  /** Removes a taken-over entry and its steps, only while it is still this take-over's; false when it is not. */
  public Future<Boolean> closeTaken(JournalEntry taken) {
    return mongo.removeDocument(COLLECTION, owned(taken)).compose(removed -> removed != null && removed.getRemovedCount() == 1
      ? close(List.of(taken.id())).map(true)
      : Future.succeededFuture(false));
  }

  /**
   * Removes step documents whose entry is gone (its unit finished, and the command removing its steps was lost), one
   * page of {@code limit} step documents after unit {@code afterUnitId} (null: from the first): a step document is
   * written after its entry, so one whose entry is not there any more belongs to nobody. Answers the last unit id read,
   * or null when the walk reached the end.
   */
  public Future<String> removeOrphanSteps(String afterUnitId, int limit) {
    JsonObject filter = Ops.where(JournalEntry.SEQ, Ops.exists(true))
      .put(JournalEntry.UNIT_ID, Ops.gt(afterUnitId != null ? afterUnitId : ""));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setSort(Ops.sort(JournalEntry.UNIT_ID)).setLimit(limit)
        .setFields(Ops.only(JournalEntry.UNIT_ID)))
      .compose(found -> {
        if (found.isEmpty()) return Future.succeededFuture(null);
        List<String> stepsOf = found.stream().map(step -> RecordCodec.fromDocument(JournalEntry.StepDocument.class, step).unitId()).toList();
        Set<String> units = new HashSet<>(stepsOf);
        String last = stepsOf.get(stepsOf.size() - 1);
        return mongo.findWithOptions(COLLECTION, Ops.where(Fields.ID, Ops.in(List.copyOf(units))), new FindOptions().setFields(Ops.only(Fields.ID)))
          .compose(entries -> {
            entries.forEach(entry -> units.remove(entry.getString(Fields.ID)));
            return close(units);
          })
          .map(found.size() < limit ? null : last);
      });
  }
}
