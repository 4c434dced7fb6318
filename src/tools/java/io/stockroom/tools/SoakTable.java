package io.stockroom.tools;

import java.util.Locale;

/** The soak's report as text: a Markdown table of its intervals (as in docs/benchmarks.md) and the verdicts. */
final class SoakTable {
  static final String HEADER = "| interval | 2xx/s | 429 | other 4xx | 5xx | timeouts | failed | p50 ms | p99 ms | RSS MB | heap MB | old gen MB | full GCs |\n"
    + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

  private SoakTable() {
  }

  static String row(Soak.Interval interval) {
    HeapGauge.Sample heap = interval.heap();
    String heapColumns = heap == null ? "? | ? | ?" : String.format(Locale.ROOT, "%.0f | %.0f | %d", heap.usedMb(), heap.oldMb(), heap.fullCollections());
    return String.format(Locale.ROOT, "| %s–%s | %.0f | %d | %d | %d | %d | %d | %.1f | %.1f | %d | %s |",
      clock((interval.number() - 1) * interval.seconds()), clock(interval.number() * interval.seconds()), interval.successesPerSecond(),
      interval.tooManyRequests(), interval.otherClientErrors(), interval.serverErrors(), interval.timeouts(), interval.failures(),
      interval.load().p50Ms(), interval.load().p99Ms(), interval.residentMb(), heapColumns);
  }

  static String of(Soak.Report report) {
    StringBuilder text = new StringBuilder("\n").append(HEADER).append('\n');
    for (Soak.Interval interval : report.intervals()) text.append(row(interval)).append('\n');
    text.append(String.format(Locale.ROOT, "%nservice ready %d ms after launch; %d orders accepted%n", report.readyMs(), report.ordersAccepted()));
    text.append(verdict(String.format(Locale.ROOT, "last/second interval 2xx/s %.2f", report.lastToSecond()), report.lastToSecond() >= Soak.MIN_LAST_TO_SECOND, ">= " + Soak.MIN_LAST_TO_SECOND));
    text.append(verdict("max resident memory " + report.maxResidentMb() + " MB", report.maxResidentMb() <= Soak.MAX_RESIDENT_MB, "<= " + Soak.MAX_RESIDENT_MB + " MB at every sample"));
    text.append(verdict(report.serverErrors() + " 5xx", report.serverErrors() == 0, "none"));
    text.append(verdict("invariants at the end: " + (report.invariantFailure() == null ? "audit clean, stock moved by exactly the accepted orders, all listed"
      : report.invariantFailure()), report.invariantFailure() == null, "hold"));
    Soak.Restart restart = report.restart();
    text.append(verdict(restart.failure() == null
      ? String.format(Locale.ROOT, "restart (SIGTERM, same command and data, ready in %d ms): %d orders before, %d after, audit clean", restart.readyMs(),
        restart.ordersBefore(), restart.ordersAfter())
      : "restart (SIGTERM, same command and data): " + restart.failure() + " (" + restart.ordersBefore() + " orders before)",
      restart.kept(), "every order kept, audit clean"));
    text.append(report.met() ? "SOAK TARGETS MET" : "SOAK TARGETS MISSED");
    return text.toString();
  }

  private static String verdict(String measured, boolean met, String target) {
    return String.format("%s: %s (%s)%n", met ? "MET" : "MISSED", measured, target);
  }

  private static String clock(int seconds) {
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
