package io.stockroom;

import io.stockroom.tools.Soak;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the soak scenario works, not how fast or lean the service is (the targets live in its --check): 12 s of the
 * mixed load on the service in its own process, in four intervals, each with answers, resident memory and heap; no
 * 5xx; the invariant check passes; after a restart (SIGTERM, the same command, the same data directory) every order
 * is still there and the audit is clean.
 */
class SoakSmokeTest {

  @Test
  @DisplayName("a 12 s soak reports four intervals with memory and heap, no 5xx, clean invariants, and keeps every order across a restart")
  void shortSoakRuns() throws Exception {
    Soak.Report report = Soak.run(new Soak.Options(12, 4, 10, false, Soak.Stores.EMBEDDED));

    assertEquals(4, report.intervals().size(), report::toString);
    for (Soak.Interval interval : report.intervals()) {
      assertTrue(interval.load().operations() > 0 && interval.successesPerSecond() > 0, interval::toString);
      assertTrue(interval.residentMb() > 0, () -> "resident memory read from /proc: " + interval);
      assertNotNull(interval.heap(), () -> "heap read by jstat: " + interval);
      assertTrue(interval.heap().usedMb() > 0, interval::toString);
    }
    assertEquals(0, report.serverErrors(), report::toString);
    assertNull(report.invariantFailure(), report::toString);
    assertTrue(report.ordersAccepted() > 0, report::toString);

    Soak.Restart restart = report.restart();
    assertEquals(report.ordersAccepted(), restart.ordersBefore(), () -> "the orders are counted before the restart: " + restart);
    assertTrue(restart.readyMs() > 0, () -> "the service started again: " + restart);
    assertTrue(restart.kept(), restart::toString);
  }
}
