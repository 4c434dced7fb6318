package io.stockroom.platform.unit;

import com.mongodb.MongoBulkWriteException;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.DeadlineCalls;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoClientBulkWriteResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Group commit for compensating units: the queued writes of every unit that is ready, and the commit points of every
 * unit that is done, go out together, so concurrent units share round trips. One cycle:
 * <ol>
 *   <li>the undo of every write: one command on the journal, in which each unit not yet in the journal has its entry
 *       with its undos inline, and each unit already there appends its undos to its entry (up to the entry's bound; the
 *       rest are step documents);</li>
 *   <li>the compare-and-sets, then the other writes (inserts, shared updates) of the units whose compare-and-sets all
 *       applied: each phase one ordered bulk per collection (collections in parallel). A write that fails fails its own
 *       unit only, whose later writes are dropped, and the rest of the bulk is sent again. A holder whose lock was lost
 *       so never touches the shared documents (whose per-variant entries its undo could not give back once a newer
 *       holder wrote them) nor inserts anything. A unit that writes one document both ways keeps its order, all in
 *       the second phase;</li>
 *   <li>the commit points of the units that asked for it: for units that changed shared documents, one update command
 *       turning their entries COMMITTED; for the others, one delete command removing their entries (each only while
 *       RUNNING and this instance's own).</li>
 * </ol>
 * Compare-and-sets and guarded shared updates that matched nothing are found by reading the documents back (only when
 * the counts say so; under the locks this does not happen): each compare-and-set by the write identity the document
 * carries, each shared update by its marker. A failed unit rolls itself back; its undos are safe for writes that never
 * happened, and are dropped only for writes that certainly did not apply. Runs on the runner's event loop; at most {@link #MAX_CYCLES} cycles at once, each taking up
 * to {@link #MAX_UNITS} units (cycles touch different units' documents, and shared documents only by commutative
 * increments, so their order does not matter).
 */
final class WriteBatches {
  static final int MAX_UNITS = 64;
  /**
   * Cycles in flight at once. One: units that become ready while a cycle runs wait for it and then go out together.
   * With two in flight the batches halved and an order cost 5.0 commands instead of 3.6; on 2 busy cores that CPU
   * outweighed the shorter wait (orders 595/s against 703/s, and a lower p99, in back-to-back benchmark runs).
   */
  static final int MAX_CYCLES = 1;
  /**
   * Units that may wait for a cycle; past it a unit fails at once with 503 (and rolls back) rather than queue behind
   * a database that stopped keeping up. 32 full cycles.
   */
  static final int MAX_WAITING = 32 * MAX_UNITS;

  /** What the batches need of a unit. */
  interface Member {
    String id();

    String tenantId();

    /** Whether the unit's journal entry was (or may have been) written. */
    boolean opened();

    /**
     * How many of {@code writes}, from the first, have their undo inline in the unit's journal entry (the new one, or
     * appended to the open one); that room is taken.
     */
    int takeInlineRoom(List<QueuedWrite> writes);

    /**
     * The unit's journal entry carrying {@code inline}, the undos of the first of its writes, to be written with this
     * batch: from here on the unit counts as opened.
     */
    JournalEntry open(List<QueuedWrite> inline);

    /** Some of the unit's undos are written as step documents of their own (they go when the unit closes). */
    void wroteStepDocuments();

    /**
     * Whether the unit changed shared documents: its commit point is then the COMMITTED mark (their undo markers are
     * settled after it), else the delete of its entry.
     */
    boolean settlesShared();

    /** Whether the unit's journal lease certainly still holds, so that no recovery can have taken its entry over. */
    boolean leaseHolds();

    /** The write's undo is in the journal: the unit undoes it if it fails. */
    void logged(QueuedWrite write);

    /**
     * The server refused the write: it never happened, and its undo must not run (for an insert refused as a duplicate,
     * deleting by that id would remove the document that was there first).
     */
    void refused(QueuedWrite write);

    /** Test-only: the write applies but its acknowledgement counts as lost. */
    default boolean ackLost(QueuedWrite write) {
      return false;
    }

    /** When the unit gives up (epoch ms): its commit mark is not sent past it. */
    long deadline();

    /** Test-only: null, or whether the unit's commit mark lands before its answer is lost. */
    default Boolean commitInDoubt() {
      return null;
    }
  }

  /** The commit point was sent but its answer was lost: the unit may or may not have committed. */
  static final class CommitUnknown extends RuntimeException {
    CommitUnknown(Throwable cause) {
      super(cause);
    }
  }

  private record Request(Member unit, List<QueuedWrite> writes, boolean commit, Promise<Void> done) {
  }

  private final MongoClient mongo;
  /** The reads that check a bulk's outcome, bounded by the deadlines of the units in it. */
  private final DeadlineCalls reads;
  private final int maxWaiting;
  private final List<Request> waiting = new ArrayList<>();
  private int cycles;

  WriteBatches(MongoClient mongo) {
    this(mongo, MAX_WAITING);
  }

  WriteBatches(MongoClient mongo, int maxWaiting) {
    this.mongo = mongo;
    this.reads = DeadlineCalls.of(mongo);
    this.maxWaiting = maxWaiting;
  }

  /**
   * Writes the unit's queued writes and, with {@code commit}, its commit point; fails if any of it failed, and at
   * once (nothing written) when the waiting line is full.
   */
  Future<Void> submit(Member unit, List<QueuedWrite> writes, boolean commit) {
    if (waiting.size() >= maxWaiting) {
      return Future.failedFuture(new ServiceError(ErrorCode.UNAVAILABLE, "The database is not keeping up with writes; retry shortly",
        ServiceError.retryAfter(1)));
    }
    Request request = new Request(unit, List.copyOf(writes), commit, Promise.promise());
    waiting.add(request);
    if (cycles < MAX_CYCLES) next();
    return request.done().future();
  }

  private void next() {
    if (waiting.isEmpty()) return;
    cycles++;
    List<Request> batch = new ArrayList<>(waiting.subList(0, Math.min(MAX_UNITS, waiting.size())));
    waiting.subList(0, batch.size()).clear();
    Map<Request, Throwable> failed = new HashMap<>();
    log(batch, failed)
      .compose(v -> write(batch, failed))
      .compose(v -> commit(batch, failed))
      .onComplete(done -> {
        for (Request request : batch) {
          Throwable err = done.failed() ? done.cause() : failed.get(request);
          if (err == null) request.done().tryComplete();
          else request.done().tryFail(err);
        }
        cycles--;
        if (cycles < MAX_CYCLES) next();
      });
  }

  /**
   * The undos of the batch's writes, in one command on the journal: new entries with their undos inline, undos
   * appended to open entries (up to the inline bound), step documents past it. A unit whose open entry no longer
   * takes the append (a recovery took it over) fails, and its writes do not go.
   */
  private Future<Void> log(List<Request> batch, Map<Request, Throwable> failed) {
    List<BulkOperation> documents = new ArrayList<>();
    List<Request> appending = new ArrayList<>();
    for (Request request : batch) {
      List<QueuedWrite> writes = request.writes();
      if (writes.isEmpty()) continue;
      Member unit = request.unit();
      boolean opening = !unit.opened();
      int inline = unit.takeInlineRoom(writes);
      List<UnitJournal.Undo> inlined = writes.subList(0, inline).stream().map(write -> new UnitJournal.Undo(write.step(), write.undo())).toList();
      if (opening) {
        documents.add(BulkOperation.createInsert(unit.open(writes.subList(0, inline)).toDocument()));
      } else if (inline > 0) {
        documents.add(BulkOperation.createUpdate(UnitJournal.running(unit.id()), UnitJournal.appended(inlined), false, false));
        appending.add(request);
      }
      if (inline < writes.size()) unit.wroteStepDocuments();
      for (QueuedWrite write : writes.subList(inline, writes.size())) {
        documents.add(BulkOperation.createInsert(UnitJournal.stepDocument(unit.id(), unit.tenantId(), write.step(), write.undo())));
      }
    }
    if (documents.isEmpty()) return Future.succeededFuture();
    return UnitJournal.bulkWrite(mongo, documents)
      .compose(result -> result.getMatchedCount() >= appending.size() ? Future.<Void>succeededFuture() : appendsLost(appending, failed))
      .onSuccess(v -> batch.stream().filter(request -> !failed.containsKey(request)).forEach(request ->
        request.writes().forEach(write -> request.unit().logged(write))));
  }

  /** Some appends matched no entry: the units whose entry does not carry their first appended undo fail. */
  private Future<Void> appendsLost(List<Request> appending, Map<Request, Throwable> failed) {
    List<String> ids = appending.stream().map(request -> request.unit().id()).toList();
    return UnitJournal.entries(mongo, ids, Ops.only(JournalEntry.STEPS + "." + JournalEntry.SEQ, JournalEntry.OWNER, JournalEntry.TAKEOVERS))
      .map(byId -> {
        for (Request request : appending) {
          JournalEntry entry = byId.get(request.unit().id());
          int first = request.writes().get(0).step();
          boolean carried = entry != null && UnitJournal.ownedHere(entry) && entry.carries(first);
          if (!carried) failed.putIfAbsent(request, UnitJournal.takenOver(request.unit().id()));
        }
        return (Void) null;
      });
  }

  private record Op(Request request, QueuedWrite write) {
  }

  private Future<Void> write(List<Request> batch, Map<Request, Throwable> failed) {
    Map<String, List<Op>> guarded = new LinkedHashMap<>();
    Map<String, List<Op>> rest = new LinkedHashMap<>();
    for (Request request : batch) {
      boolean inOrder = writesOneDocumentBothWays(request.writes());
      for (QueuedWrite write : request.writes()) {
        Map<String, List<Op>> phase = write.kind() == QueuedWrite.Kind.COMPARE_AND_SET && !inOrder ? guarded : rest;
        phase.computeIfAbsent(write.collection(), c -> new ArrayList<>()).add(new Op(request, write));
      }
    }
    return writeAll(guarded, failed).compose(v -> writeAll(rest, failed));
  }

  private Future<Void> writeAll(Map<String, List<Op>> byCollection, Map<Request, Throwable> failed) {
    List<Future<Void>> writes = new ArrayList<>();
    byCollection.forEach((collection, ops) -> writes.add(writeCollection(collection, ops, failed)));
    return Future.join(writes).mapEmpty();
  }

  private static boolean writesOneDocumentBothWays(List<QueuedWrite> writes) {
    Set<String> compared = new HashSet<>();
    Set<String> other = new HashSet<>();
    for (QueuedWrite write : writes) {
      String document = write.collection() + "/" + write.documentId();
      (write.kind() == QueuedWrite.Kind.COMPARE_AND_SET ? compared : other).add(document);
    }
    return compared.stream().anyMatch(other::contains);
  }

  /** One ordered bulk; after a refused write, the rest again without that write's unit. Always succeeds. */
  private Future<Void> writeCollection(String collection, List<Op> ops, Map<Request, Throwable> failed) {
    List<Op> live = ops.stream().filter(op -> !failed.containsKey(op.request())).toList();
    if (live.isEmpty()) return Future.succeededFuture();
    return mongo.bulkWriteWithOptions(collection, live.stream().map(op -> op.write().operation()).toList(),
        new BulkWriteOptions().setOrdered(true))
      .transform(done -> {
        if (done.succeeded()) return verify(collection, live, done.result(), failed).onComplete(v -> live.stream()
          .filter(op -> op.request().unit().ackLost(op.write()))
          .forEach(op -> failed.putIfAbsent(op.request(), new Failpoints.InjectedFailure("acknowledgement lost"))));
        if (done.cause() instanceof MongoBulkWriteException refused && !refused.getWriteErrors().isEmpty()) {
          int at = refused.getWriteErrors().get(0).getIndex();
          Op culprit = live.get(at);
          culprit.request().unit().refused(culprit.write());
          failed.putIfAbsent(culprit.request(), refused);
          return verify(collection, live.subList(0, at), null, failed)
            .compose(v -> writeCollection(collection, live.subList(at + 1, live.size()), failed));
        }
        // Unknown how far it got: each unit concerned rolls back (its undos are safe for writes that never happened).
        live.forEach(op -> failed.putIfAbsent(op.request(), done.cause()));
        return Future.succeededFuture();
      });
  }

  /**
   * Fails the units whose compare-and-set or guarded shared update matched nothing. With the counts of a complete
   * bulk at hand, nothing is read unless they fall short. A compare-and-set applied when the document carries its
   * identity, or that of a later step of the same unit (each of a unit's writes to a document is pinned to the one
   * before it); a shared update applied when its marker is there.
   */
  private Future<Void> verify(String collection, List<Op> applied, MongoClientBulkWriteResult result,
                              Map<Request, Throwable> failed) {
    List<Op> checked = applied.stream().filter(op -> op.write().kind() != QueuedWrite.Kind.INSERT).toList();
    if (checked.isEmpty()) return Future.succeededFuture();
    if (result != null && result.getMatchedCount() + result.getUpserts().size() >= checked.size()) return Future.succeededFuture();
    // by tenant and id: on a cluster sharded by tenant the read goes to those tenants' shards only
    Map<String, Set<Object>> idsByTenant = new HashMap<>();
    checked.forEach(op -> idsByTenant.computeIfAbsent(op.write().tenantId(), t -> new HashSet<>()).add(op.write().documentId()));
    List<JsonObject> byTenant = idsByTenant.entrySet().stream().map(e -> Ops.where(Fields.TENANT_ID, e.getKey())
      .put(Fields.ID, Ops.in(List.copyOf(e.getValue())))).toList();
    JsonObject filter = byTenant.size() == 1 ? byTenant.get(0) : Ops.or(byTenant.toArray(JsonObject[]::new));
    // the latest deadline of the units concerned: an earlier one must not cut the check short for the others
    long deadline = checked.stream().mapToLong(op -> op.request().unit().deadline()).max().orElseThrow();
    return reads.find(deadline, collection, filter,
        Ops.only(Fields.VERSION, CompareAndSet.WRITTEN_BY, CompareAndSet.FENCE, CompareAndSet.RECENT, UndoStep.PENDING))
      .map(found -> {
        Map<Object, JsonObject> byId = new HashMap<>();
        found.forEach(doc -> byId.put(doc.getValue(Fields.ID), doc));
        // The server counted the statements that matched: when the documents show that many applied, none other did.
        long seenApplied = checked.stream().filter(op -> seenApplied(op, byId.get(op.write().documentId()))).count();
        boolean allSeen = result != null && seenApplied == result.getMatchedCount() + result.getUpserts().size();
        for (Op op : checked) {
          JsonObject now = byId.get(op.write().documentId());
          if (op.write().kind() == QueuedWrite.Kind.COMPARE_AND_SET) {
            if (!compareAndSetApplied(op, now)) {
              failed.putIfAbsent(op.request(), CompareAndSet.changed(collection, new JsonObject()));
              if (allSeen || certainlyNotApplied(op, now)) op.request().unit().refused(op.write());
            }
          } else if (!op.write().upsert() && (now == null || !now.getJsonObject(UndoStep.PENDING, new JsonObject())
              .containsKey(UndoStep.markerKey(op.write().undo().id())))) {
            failed.putIfAbsent(op.request(), op.write().unmatched());
            op.request().unit().refused(op.write());
          }
        }
        return (Void) null;
      })
      .otherwise(err -> {
        checked.forEach(op -> failed.putIfAbsent(op.request(), err));
        return null;
      });
  }

  /** Whether the document shows that the write applied (a compare-and-set later written over included). */
  private static boolean seenApplied(Op op, JsonObject now) {
    return switch (op.write().kind()) {
      case COMPARE_AND_SET -> compareAndSetApplied(op, now)
        || now != null && now.getJsonArray(CompareAndSet.RECENT, new JsonArray()).contains(op.write().undo().id());
      case SHARED -> op.write().upsert()
        || now != null && now.getJsonObject(UndoStep.PENDING, new JsonObject()).containsKey(UndoStep.markerKey(op.write().undo().id()));
      case INSERT -> false;
    };
  }

  private static boolean compareAndSetApplied(Op op, JsonObject now) {
    return now != null && CompareAndSet.stepOf(now.getString(CompareAndSet.WRITTEN_BY), op.request().unit().id()) >= op.write().step();
  }

  /**
   * The write is not among the document's recent writes, and those name every write since the version it was pinned
   * to: it never applied, and its undo is dropped. Otherwise another unit may have written over it after it applied,
   * and the undo stays (it then tells, or leaves the unit to a repair).
   */
  private static boolean certainlyNotApplied(Op op, JsonObject now) {
    if (now == null) return true;
    return !now.getJsonArray(CompareAndSet.RECENT, new JsonArray()).contains(op.write().undo().id())
      && CompareAndSet.coversSince(now, op.write().undo().version());
  }

  private Future<Void> commit(List<Request> batch, Map<Request, Throwable> failed) {
    long now = System.currentTimeMillis();
    batch.stream().filter(request -> request.commit() && !failed.containsKey(request) && request.unit().opened()
        && now >= request.unit().deadline())
      .forEach(request -> failed.put(request, new ServiceError(ErrorCode.UNAVAILABLE,
        "The operation ran out of time and was rolled back; nothing changed. Retry.")));
    batch.stream().filter(request -> request.commit() && !failed.containsKey(request) && request.unit().opened()
        && Boolean.FALSE.equals(request.unit().commitInDoubt()))
      .forEach(request -> failed.put(request, new CommitUnknown(new Failpoints.InjectedFailure("commit point lost"))));
    List<Request> committing = batch.stream()
      .filter(request -> request.commit() && !failed.containsKey(request) && request.unit().opened()).toList();
    if (committing.isEmpty()) return Future.succeededFuture();
    List<Request> marking = committing.stream().filter(request -> request.unit().settlesShared()).toList();
    List<Request> closing = committing.stream().filter(request -> !request.unit().settlesShared()).toList();
    return Future.join(commitPoints(marking, true, failed), commitPoints(closing, false, failed)).<Void>mapEmpty()
      .onComplete(done -> committing.stream().filter(request -> Boolean.TRUE.equals(request.unit().commitInDoubt()))
        .forEach(request -> failed.putIfAbsent(request, new CommitUnknown(new Failpoints.InjectedFailure("commit answer lost")))));
  }

  /**
   * One command with the commit points of {@code units}: COMMITTED marks ({@code mark}), or deletes of their entries.
   * When fewer matched than were sent, the entries are read to tell each unit's outcome ({@link #outcome}). Always
   * succeeds.
   */
  private Future<Void> commitPoints(List<Request> units, boolean mark, Map<Request, Throwable> failed) {
    if (units.isEmpty()) return Future.succeededFuture();
    List<String> ids = units.stream().map(request -> request.unit().id()).toList();
    List<BulkOperation> points = ids.stream().map(id -> mark
      ? BulkOperation.createUpdate(UnitJournal.running(id), UnitJournal.commit(), false, false)
      : BulkOperation.createDelete(UnitJournal.running(id))).toList();
    return UnitJournal.bulkWriteUnordered(mongo, points)
      .compose(result -> (mark ? result.getMatchedCount() : result.getDeletedCount()) == ids.size() ? Future.<Void>succeededFuture()
        : UnitJournal.entries(mongo, ids, UnitJournal.COMMIT_FIELDS)
          .map(byId -> {
            units.forEach(request -> {
              Throwable outcome = outcome(request.unit(), byId.get(request.unit().id()), mark);
              if (outcome != null) failed.putIfAbsent(request, outcome);
            });
            return (Void) null;
          }))
      .otherwise(err -> {
        units.forEach(request -> failed.putIfAbsent(request, new CommitUnknown(err)));
        return null;
      });
  }

  /**
   * A unit's outcome when its batch's commit points matched fewer entries than were sent: null when it committed. An
   * entry COMMITTED was marked by this unit (nobody else sets it); one taken over and not COMMITTED was not, and the
   * unit rolls back. An entry that is gone was deleted by the unit's own commit, provided no recovery can have taken
   * it over meanwhile (the unit's lease still holds); otherwise the outcome is unknown, as it is for an entry that is
   * still RUNNING and this instance's.
   */
  private static Throwable outcome(Member unit, JournalEntry entry, boolean mark) {
    if (entry == null) {
      return !mark && unit.leaseHolds() ? null
        : new CommitUnknown(new IllegalStateException("journal entry " + unit.id() + " is gone"));
    }
    if (entry.committed()) return null;
    if (!UnitJournal.ownedHere(entry)) return UnitJournal.takenOver(unit.id());
    return new CommitUnknown(new IllegalStateException("the commit point of " + unit.id() + " matched nothing"));
  }
}
