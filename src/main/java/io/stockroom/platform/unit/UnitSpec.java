package io.stockroom.platform.unit;

import java.util.List;

/**
 * What a unit runner knows of a unit besides its work.
 *
 * @param name      names the unit in logs and failpoints, e.g. {@code orders.place}
 * @param subjects  the variants it may change (named in the repair journal if its undo cannot finish)
 * @param claimId   the Idempotency-Key record it completes, or null (released if the unit is recovered)
 * @param lockKeys  the locks held for it, and {@code lockToken} their token: a unit recovered after its instance
 *                  died is rolled back under those locks, which are then released
 */
public record UnitSpec(String name, String tenantId, List<String> subjects, String claimId, List<String> lockKeys,
                       String lockToken) {

  /** A unit with no request and no locks of its own (tests, tools). */
  public static UnitSpec of(String name, String tenantId) {
    return new UnitSpec(name, tenantId, List.of(), null, List.of(), null);
  }
}
