package io.stockroom.tools;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Verifies that the soak reads {@code jstat -gc} by column name, and refuses output it cannot read. */
class HeapGaugeTest {
  private static final String HEADER = " S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT    CGC    CGCT     GCT   ";

  @Test
  @DisplayName("heap used is survivors + eden + old generation, read by name; the full collections are counted")
  void readsColumnsByName() {
    HeapGauge.Sample sample = HeapGauge.parse(HEADER + "\n"
      + "2048.0 2048.0  0.0   1024.0  16384.0   8192.0   174784.0   102400.0  71808.0 69000.5 9856.0 8900.1    120    0.812   3      0.400   -          -    1.212\n");
    assertEquals(109.0, sample.usedMb(), 0.001);  // (0 + 1,024 + 8,192 + 102,400) kB
    assertEquals(100.0, sample.oldMb(), 0.001);
    assertEquals(3, sample.fullCollections());
  }

  @Test
  @DisplayName("a decimal comma (some locales) is read as a point")
  void readsDecimalCommas() {
    HeapGauge.Sample sample = HeapGauge.parse(HEADER + "\n"
      + "2048,0 2048,0  0,0   512,0  16384,0   512,0   174784,0   1024,0  71808,0 69000,5 9856,0 8900,1    120    0,812   0      0,000   -          -    0,812\n");
    assertEquals(2.0, sample.usedMb(), 0.001);
    assertEquals(0, sample.fullCollections());
  }

  @Test
  @DisplayName("jstat's error output (the process is gone) is no sample")
  void refusesAnError() {
    assertNull(HeapGauge.parse("12345 not found\n"));
    assertNull(HeapGauge.parse("sun.jvmstat.monitor.MonitorException: 12345 not found\n\tat jdk.internal.jvmstat/sun.jvmstat.perfdata\n"));
  }
}
