package io.stockroom.platform.unit;

import java.util.List;
import java.util.Map;

/**
 * What a unit runner knows of a unit besides its work.
 *
 * @param name       names the unit in logs and failpoints, e.g. {@code orders.place}
 * @param subjects   the variants it may change (named in the repair journal if its undo cannot finish)
 * @param claimId    the Idempotency-Key record it completes, or null (never released while its undo waits for repair)
 * @param lockKeys   the locks held for it, and {@code lockToken} their token: a unit recovered after its instance
 *                   died is rolled back under those locks, which are then released
 * @param fences     by document id, the fencing token of the lock that guards that document: every guarded write of
 *                   the document requires the recorded token to be at most this one, and records it
 * @param locksUntil when the first of its locks expires at the latest (epoch ms; {@code Long.MAX_VALUE} without locks)
 * @param deadline   when the unit gives up (epoch ms): below the lock expiry and the caller's timeout, for every retry
 */
public record UnitSpec(String name, String tenantId, List<String> subjects, String claimId, List<String> lockKeys,
                       String lockToken, Map<String, Long> fences, long locksUntil, long deadline) {

  /** A unit with no request and no locks of its own (tests, tools), with {@code budgetMs} to run. */
  public static UnitSpec of(String name, String tenantId, long budgetMs) {
    return new UnitSpec(name, tenantId, List.of(), null, List.of(), null, Map.of(), Long.MAX_VALUE,
      System.currentTimeMillis() + budgetMs);
  }

  /** The fencing token that guards document {@code id}, or null when no lock of this unit guards it. */
  public Long fenceOf(Object id) {
    return id == null ? null : fences.get(id.toString());
  }
}
