package io.stockroom;

import io.stockroom.tools.Bench;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the benchmark harness works, not how fast anything is (targets live in the harness's --check): every
 * scenario runs its floor and the service for a second (measured at once, with no warm-up of its own), each ends
 * with its invariant check, and the table is whole.
 */
class BenchSmokeTest {

  @Test
  @DisplayName("every benchmark scenario runs its floor and the service and ends with the invariant check")
  void everyScenarioRuns() throws Exception {
    Bench.Report report = Bench.run(new Bench.Options(Bench.ALL, 1, 4, 10, false, 200, 5_000, 2, 1, 0));
    assertEquals(8, report.rows().size(), report::toString);
    for (Bench.Row row : report.rows()) {
      assertTrue(row.floor().operations() > 0 && row.service().operations() > 0, row::toString);
      assertTrue(row.service().outcomes().keySet().stream().allMatch(outcome -> outcome.startsWith("2")), row::toString);
      assertTrue(row.serviceRoundTrips() >= 1, "round trips are counted: " + row);
    }
    assertTrue(report.startMs() > 0 && report.residentMb() > 0, report::toString);
    Bench.ServiceProcess process = report.process();
    assertTrue(process != null && process.startsMs().size() == 3 && process.readyMs() > 0 && process.residentMb() > 0
        && process.load().count("201") > 0,
      () -> "the service ran in its own process: " + process);
  }
}
