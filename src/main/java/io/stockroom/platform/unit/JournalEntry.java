package io.stockroom.platform.unit;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * A unit's entry in the write-ahead {@link UnitJournal}: {_id: unitId, unitId, tenantId, unit, variantIds, claimId,
 * lockKeys, lockToken, locksUntil, owner, takeovers, leaseUntil, state, steps: [{seq, step}]}. An entry written before
 * take-overs were counted has no {@code takeovers}: it counts as 0.
 */
public record JournalEntry(@Key("_id") String id, String unitId, String tenantId, String unit, List<String> variantIds,
                           String claimId, List<String> lockKeys, String lockToken, Instant locksUntil, String owner,
                           long takeovers, Instant leaseUntil, UnitJournal.State state, List<InlineStep> steps) {
  public static final String UNIT_ID = "unitId";
  public static final String OWNER = "owner";
  public static final String TAKEOVERS = "takeovers";
  public static final String LEASE_UNTIL = "leaseUntil";
  public static final String STATE = "state";
  public static final String STEPS = "steps";
  /** The step number of an undo, inline or in a step document. */
  public static final String SEQ = "seq";

  /** The undo of step {@code seq} inline in an entry. */
  public record InlineStep(int seq, UndoStep.Stored step) {
    static InlineStep of(UnitJournal.Undo undo) {
      return new InlineStep(undo.seq(), undo.step().stored());
    }

    UnitJournal.Undo undo() {
      return new UnitJournal.Undo(seq, step.step());
    }
  }

  /** A step past the inline bound, a document beside its entry: {_id: unitId:seq, unitId, tenantId, seq, step}. */
  record StepDocument(@Key("_id") String id, String unitId, String tenantId, int seq, UndoStep.Stored step) {
    static StepDocument of(String unitId, String tenantId, int seq, UndoStep step) {
      return new StepDocument(unitId + ":" + seq, unitId, tenantId, seq, step.stored());
    }

    UnitJournal.Undo undo() {
      return new UnitJournal.Undo(seq, step.step());
    }
  }

  public static JournalEntry of(JsonObject document) {
    return document == null ? null : RecordCodec.fromDocument(JournalEntry.class, document);
  }

  public JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** Whether instance {@code instance} runs the entry's unit: it wrote the entry, and no recovery took it over. */
  public boolean ownedBy(String instance) {
    return instance.equals(owner) && takeovers == 0;
  }

  public boolean committed() {
    return state == UnitJournal.State.COMMITTED;
  }

  /** The undo steps the entry carries inline (none for a step document or a projection without them). */
  List<UnitJournal.Undo> inlineUndos() {
    return steps == null ? List.of() : steps.stream().map(InlineStep::undo).toList();
  }

  /** Whether the entry carries the undo of step {@code seq} inline. */
  boolean carries(int seq) {
    return steps != null && steps.stream().anyMatch(step -> step.seq() == seq);
  }
}
