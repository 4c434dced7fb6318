package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How both runners report a unit that did not commit, or whose commit cannot be confirmed. */
final class Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

  private Outcomes() {
  }

  static Throwable rolledBack(String name, Throwable err) {
    if (err instanceof ServiceError) return err;
    LOG.warn("Unit {} aborted and rolled back: {}", name, err.toString());
    return new ServiceError(ErrorCode.UNAVAILABLE, "The operation was interrupted and rolled back; nothing changed. Retry.");
  }

  static Throwable unknown(String name, Throwable err) {
    LOG.warn("Unit {}: commit outcome unknown: {}", name, String.valueOf(err));
    return new ServiceError(ErrorCode.OUTCOME_UNKNOWN,
      "It is unknown whether the operation took effect; retry with the same Idempotency-Key to find out");
  }

  static Throwable needsRepair(String name, String unitId, Throwable err) {
    LOG.error("Unit {} ({}) failed ({}) and its rollback could not finish: " + UnitRepairs.RECORDED_FOR_REPAIR, name, unitId,
      err);
    return new ServiceError(ErrorCode.INTERNAL, "The operation failed and could not be fully rolled back; it was "
      + "recorded for repair and the audit lists it");
  }
}
