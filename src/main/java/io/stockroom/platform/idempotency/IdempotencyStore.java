package io.stockroom.platform.idempotency;

import io.stockroom.platform.security.Digests;
import io.stockroom.platform.metrics.Meters;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.IdempotencyClaim;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.idempotency.IdempotencyRecord.Answer;
import io.stockroom.platform.idempotency.IdempotencyRecord.Reclaim;
import io.stockroom.platform.idempotency.IdempotencyRecord.State;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.stockroom.platform.unit.Unit;
import io.stockroom.platform.unit.UnitInDoubt;
import io.stockroom.platform.unit.UnitRunner;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code Idempotency-Key} semantics, per tenant and operation. The first request with a key claims it (an insert on
 * the record's {@code _id}, so two racing requests cannot both claim it; concurrent claims share bulk inserts, see
 * {@link ClaimInserts}) and stores its final status and body:
 * <ul>
 *   <li>same key, same payload, first one finished → the stored status and body are replayed, nothing is written;</li>
 *   <li>same key, different payload → 422;</li>
 *   <li>same key while the first is still running → 409;</li>
 *   <li>a first attempt that failed with 5xx and was rolled back (nothing changed) releases the key;</li>
 *   <li>a first attempt whose outcome is unknown leaves the key UNKNOWN: the record is completed inside the unit of
 *       work, so it is DONE exactly when the unit committed; a retry finds the stored answer, or takes the key over
 *       and runs the unit (never twice: the take-over and the completion are compare-and-sets on the record).</li>
 * </ul>
 * Records expire after {@code idempotency.retentionHours} (TTL index on {@code expiresAt}).
 */
public final class IdempotencyStore {
  public static final String COLLECTION = "idempotency_keys";
  private static final String STATE = IdempotencyRecord.STATE;
  /** Set while the unit of the request holding the key is left to recovery (see {@code UnitInDoubt}). */
  private static final String IN_DOUBT = IdempotencyRecord.IN_DOUBT;

  private final MongoClient mongo;
  /** Tells whether the unit that completed a record has finished (a completion is visible before its commit). */
  private final WritersFinished units;
  private final Duration retention;

  private final Duration staleAfter;
  private final ClaimInserts claims;

  /**
   * @param staleAfter a RUNNING record older than this belongs to a request whose instance died before its unit
   *                   started (a unit that started is recovered from its journal well before): a retry takes it over
   */
  public IdempotencyStore(MongoClient mongo, UnitRunner units, Duration retention, Duration staleAfter) {
    this(mongo, units::writersFinished, retention, staleAfter);
  }

  private IdempotencyStore(MongoClient mongo, WritersFinished units, Duration retention, Duration staleAfter) {
    this.mongo = mongo;
    this.units = units;
    this.retention = retention;
    this.staleAfter = staleAfter;
    this.claims = new ClaimInserts(mongo, COLLECTION);
  }

  /**
   * The store of a service whose operations run no unit of work (creating a supplier or a location): each answer is
   * recorded once its operation finished, so a stored answer is always final.
   */
  public static IdempotencyStore outsideUnits(MongoClient mongo, Settings settings) {
    WritersFinished noUnits = (tenantId, ids) -> Future.succeededFuture(true);
    return new IdempotencyStore(mongo, noUnits, retention(settings), staleAfter(settings));
  }

  public static Duration retention(Settings settings) {
    return Duration.ofHours(settings.integer(ConfigKey.IDEMPOTENCY_RETENTION_HOURS));
  }

  /** Longer than any live attempt holding a claim can run: two lock lifetimes and a request's time. */
  public static Duration staleAfter(Settings settings) {
    return Duration.ofMillis(2L * settings.integer(ConfigKey.LOCKS_TTL_MS) + settings.integer(ConfigKey.BUS_TIMEOUT_MS));
  }

  @FunctionalInterface
  private interface WritersFinished {
    Future<Boolean> of(String tenantId, Map<String, List<String>> idsByCollection);
  }

  /** Records the unit's answer in the claim as one more write of the unit (no-op without a claim). */
  public static Future<Void> completeInUnit(Unit unit, IdempotencyClaim claim, Reply reply) {
    if (claim == null) return Future.succeededFuture();
    return unit.queueCompareAndSet(COLLECTION, claim.record(), Answer.of(reply).toDocument(), null).compose(after -> {
      claim.markCompletedInUnit();
      return Future.succeededFuture();
    });
  }

  /** Wraps an operation: keyed requests get the semantics above; requests without a key just run. */
  public Function<BusRequest, Future<Reply>> wrap(Function<BusRequest, Future<Reply>> work) {
    return request -> {
      String key = request.idempotencyKey();
      if (key == null) return work.apply(request);
      String operation = request.operation().idempotencyScope();
      String id = request.tenantId() + ":" + operation + ":" + key;
      String fingerprint = fingerprint(operation, request);
      JsonObject claim = IdempotencyRecord.claim(id, request.tenantId(), fingerprint, Instant.now().truncatedTo(ChronoUnit.MILLIS),
        Instant.now().plus(retention)).toDocument();
      return claims.insert(claim).compose(outcome -> outcome == ClaimInserts.Outcome.INSERTED
        ? runAndRecord(new IdempotencyClaim(id, claim), request, work)
        : replay(id, fingerprint, request, work));
    };
  }

  private Future<Reply> runAndRecord(IdempotencyClaim claim, BusRequest request, Function<BusRequest, Future<Reply>> work) {
    Future<Reply> result;
    try {
      result = work.apply(request.withClaim(claim));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    IdempotencyRecord record = IdempotencyRecord.of(claim.record());
    JsonObject running = Mongo.byId(record.tenantId(), record.id()).put(STATE, State.RUNNING.name());
    return result.transform(outcome -> {
      if (outcome.succeeded()) {
        if (claim.completedInUnit()) return Future.succeededFuture(outcome.result());
        Reply reply = outcome.result();
        return mongo.updateCollection(COLLECTION, running, Ops.set(Answer.of(reply).toDocument())).map(reply);
      }
      Throwable err = outcome.cause();
      ServiceError se = err instanceof ServiceError known ? known : null;
      if (err instanceof UnitInDoubt) {
        // Left to recovery, which may still undo it (the record may already say DONE): retries wait until it decided.
        return mongo.updateCollection(COLLECTION, Mongo.byId(record.tenantId(), record.id()), Ops.set(IN_DOUBT, true))
          .transform(ignored -> Future.failedFuture(err));
      }
      if (se != null && se.code() == ErrorCode.OUTCOME_UNKNOWN) {
        // A committed unit already turned the record DONE; otherwise a retry with this key must find out again.
        return mongo.updateCollection(COLLECTION, running, Ops.set(STATE, State.UNKNOWN.name()))
          .transform(ignored -> Future.failedFuture(err));
      }
      if (se != null && (se.code().status() < 500 || se.code() == ErrorCode.INTERNAL)) {
        return mongo.updateCollection(COLLECTION, running, Ops.set(Answer.of(se).toDocument()))
          .transform(ignored -> Future.failedFuture(err));
      }
      return mongo.removeDocument(COLLECTION, running).transform(ignored -> Future.failedFuture(err));
    });
  }

  private Future<Reply> replay(String id, String fingerprint, BusRequest request, Function<BusRequest, Future<Reply>> work) {
    return mongo.findOne(COLLECTION, Mongo.byId(request.tenantId(), id), null).compose(found -> {
      if (found == null) {
        return ServiceError.fail(ErrorCode.CONFLICT, "A request with this Idempotency-Key just finished failing; retry");
      }
      IdempotencyRecord record = IdempotencyRecord.of(found);
      if (!fingerprint.equals(record.fingerprint())) {
        return ServiceError.fail(ErrorCode.UNPROCESSABLE, "This Idempotency-Key was already used for another request (other ids in the path, or another body); send a new key with a new request");
      }
      State state = record.state();
      // A DONE record's writer is checked below like any other (its unit may have committed by deleting its journal
      // entry, and then no recovery ever clears the flag); any other record waits for recovery to decide.
      if (record.isInDoubt() && state != State.DONE) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "The first request with this Idempotency-Key is "
          + "being recovered; retry shortly to learn its outcome", ServiceError.retryAfter(2)));
      }
      if (state == State.UNKNOWN || state == State.RUNNING && stale(record)) return takeOver(record, request, work);
      if (state == State.RUNNING) {
        return ServiceError.fail(ErrorCode.CONFLICT, "A request with this Idempotency-Key is still being processed");
      }
      // an answer stored by a unit that has not finished yet may still be undone with it; and once its writer has
      // finished, the answer is the one read only if nothing rewrote the record in between (an undone try, a rerun)
      return units.of(request.tenantId(), Map.of(COLLECTION, List.of(id)))
        .compose(finished -> finished ? mongo.findOne(COLLECTION, Mongo.byId(request.tenantId(), id), null) : Future.<JsonObject>succeededFuture())
        .map(current -> current == null ? null : IdempotencyRecord.of(current))
        .compose(current -> current != null && Objects.equals(current.writtenBy(), record.writtenBy())
            && Objects.equals(current.version(), record.version())
          ? replayDone(record)
          : ServiceError.fail(ErrorCode.CONFLICT, "A request with this Idempotency-Key is still being processed"));
    });
  }

  /** The stored answer of a finished request: its body, or the problem it failed with. */
  private static Future<Reply> replayDone(IdempotencyRecord record) {
    if (record.error() != null) return Future.failedFuture(record.error().toError(record.status()));
    Meters.idempotentReplay();
    return Future.succeededFuture(new Reply(record.status(), record.body()));
  }

  /** The attempt holding the claim started longer ago than any live attempt can run (counted from the last claim). */
  private boolean stale(IdempotencyRecord record) {
    Instant claimed = record.lastClaimed();
    return claimed != null && claimed.isBefore(Instant.now().minus(staleAfter));
  }

  /**
   * An earlier attempt's outcome was unknown and it did not commit (a committed one would have turned the record
   * DONE): claim the record again, by compare-and-set so two retries cannot both run, and run the work.
   */
  private Future<Reply> takeOver(IdempotencyRecord record, BusRequest request, Function<BusRequest, Future<Reply>> work) {
    long version = record.versionOrZero();
    JsonObject filter = Mongo.byId(record.tenantId(), record.id()).put(STATE, record.state().name()).put(Fields.VERSION, version);
    // a new write identity: the earlier attempt's completion, pinned to the identity it read, can no longer match
    JsonObject update = Ops.set(new Reclaim(State.RUNNING, version + 1, "takeover:" + Mongo.newId(),
      Instant.now().truncatedTo(ChronoUnit.MILLIS)).toDocument());
    return mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
      .compose(claimed -> claimed == null
        ? ServiceError.fail(ErrorCode.CONFLICT, "A request with this Idempotency-Key is still being processed")
        : runAndRecord(new IdempotencyClaim(record.id(), claimed), request, work));
  }

  /**
   * The request behind {@code claimId} died with its instance and its unit was rolled back: the key is released (a
   * retry runs the operation). A record that is no longer RUNNING is left alone. No-op for null.
   */
  public Future<Void> releaseAbandoned(String tenantId, String claimId) {
    if (claimId == null) return Future.succeededFuture();
    return mongo.removeDocument(COLLECTION, Mongo.byId(tenantId, claimId).put(STATE, State.RUNNING.name()))
      .compose(removed -> settled(tenantId, claimId));
  }

  /**
   * The unit behind {@code claimId} was recovered (committed and settled, or undone): a record its request left in
   * doubt answers again, its stored answer or, when it is released, nothing. No-op for null.
   */
  public Future<Void> settled(String tenantId, String claimId) {
    if (claimId == null) return Future.succeededFuture();
    return mongo.updateCollection(COLLECTION, Mongo.byId(tenantId, claimId).put(IN_DOUBT, true), Ops.unset(IN_DOUBT)).mapEmpty();
  }

  /**
   * The request behind {@code claimId} left a unit whose undo could not finish (recorded for repair): its key is not
   * released, since a retry would run on top of the half-undone unit, but answers 500 like the unit did. A record
   * that is already DONE is left alone. No-op for null.
   */
  public Future<Void> markForRepair(String tenantId, String claimId) {
    if (claimId == null) return Future.succeededFuture();
    JsonObject open = Mongo.byId(tenantId, claimId).put(STATE, Ops.in(List.of(State.RUNNING.name(), State.UNKNOWN.name())));
    return mongo.updateCollection(COLLECTION, open, Ops.set(Answer.of(new ServiceError(ErrorCode.INTERNAL,
        "The operation failed and could not be fully rolled back; it was recorded for repair and the audit lists it")).toDocument()))
      .compose(marked -> settled(tenantId, claimId));
  }

  /** SHA-256 of the operation, path parameters and body, with object keys sorted (key order does not matter). */
  static String fingerprint(String operation, BusRequest request) {
    String canonical = canonical(new JsonObject().put("op", operation).put("path", request.path()).put("body", request.body()));
    return Digests.sha256Hex(canonical);
  }

  private static String canonical(Object value) {
    if (value instanceof JsonObject obj) {
      TreeMap<String, Object> sorted = new TreeMap<>(obj.getMap());
      StringBuilder out = new StringBuilder("{");
      sorted.forEach((k, v) -> out.append(new JsonArray().add(k).encode()).append(':').append(canonical(obj.getValue(k))).append(','));
      return out.append('}').toString();
    }
    if (value instanceof JsonArray arr) {
      StringBuilder out = new StringBuilder("[");
      arr.forEach(v -> out.append(canonical(v)).append(','));
      return out.append(']').toString();
    }
    return new JsonArray().add(value).encode();
  }
}
