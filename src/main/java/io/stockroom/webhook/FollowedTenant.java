package io.stockroom.webhook;

import io.vertx.core.eventbus.MessageConsumer;

import java.time.Duration;
import java.time.Instant;

/**
 * What one instance knows of a followed tenant between turns: where its prompt pass got to, when it was last visited
 * and last had its final pass, and whether it is worth a visit now: a stock event was published for it (a hint,
 * best effort), or its last visit left work behind. Confined to the dispatcher's event loop.
 */
final class FollowedTenant {
  String seen;
  Instant lastVisit = Instant.EPOCH;
  Instant lastFinal = Instant.EPOCH;
  /** New tenants, and visits that left work behind (a unit not settled yet, a failed delivery, more pages). */
  boolean pending = true;
  boolean hinted;
  MessageConsumer<Object> hints;

  /** Worth a visit: hinted, work pending, or not visited for {@code idle} (in case a hint was lost). */
  boolean due(Instant now, Duration idle) {
    return hinted || pending || !lastVisit.plus(idle).isAfter(now);
  }

  /** Whether this visit should also run the final pass (it rereads, so not every turn). */
  boolean finalDue(Instant now, Duration every) {
    return !lastFinal.plus(every).isAfter(now);
  }
}
