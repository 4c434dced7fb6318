package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;

/**
 * A unit whose commit mark may or may not have landed, and the database did not answer long enough to find out. The
 * unit is neither undone nor settled here: its journal entry is left to {@code UnitRecovery}, which decides once the
 * entry's lease expired. Until then its locks must stay held (they expire by themselves), so that no other unit
 * builds on writes that may still be undone.
 */
public final class UnitInDoubt extends ServiceError {
  UnitInDoubt(String name, Throwable cause) {
    super(ErrorCode.OUTCOME_UNKNOWN, "It is unknown whether the operation took effect; retry with the same "
      + "Idempotency-Key to find out");
    Outcomes.unknown(name, cause);
  }
}
