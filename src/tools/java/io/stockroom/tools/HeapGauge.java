package io.stockroom.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM's heap as the JDK's {@code jstat -gc PID} reports it: a header line of column names and a line of
 * values (kB; counts for the collections). Read by name, so that a column added or moved in another JDK does not
 * shift the figures; a decimal comma (some locales) is read as a point.
 */
public final class HeapGauge {
  private static final long JSTAT_TIMEOUT_S = 10;
  private static final List<String> USED_COLUMNS = List.of("S0U", "S1U", "EU", "OU");

  /** The heap in use (survivors, eden and old generation) and the old generation alone, in MB; full collections so far. */
  public record Sample(double usedMb, double oldMb, long fullCollections) {
  }

  private HeapGauge() {
  }

  /** Null when {@code jstat} is missing, fails or does not answer within {@link #JSTAT_TIMEOUT_S} s. */
  static Sample sample(long pid) {
    String jstat = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
    try {
      Process process = new ProcessBuilder(jstat, "-gc", Long.toString(pid)).redirectErrorStream(true).start();
      if (!process.waitFor(JSTAT_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return process.exitValue() == 0 ? parse(output) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Null unless the output has the header and value lines with every column used. */
  static Sample parse(String jstatOutput) {
    String[] lines = jstatOutput.strip().split("\\R");
    if (lines.length < 2) return null;
    String[] names = lines[0].trim().split("\\s+");
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    if (names.length != values.length) return null;
    Map<String, Double> columns = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      try {
        columns.put(names[i], Double.parseDouble(values[i].replace(',', '.')));
      } catch (NumberFormatException notShown) {  // "-" where this collector has no such figure
        columns.put(names[i], 0.0);
      }
    }
    if (!columns.keySet().containsAll(USED_COLUMNS) || !columns.containsKey("FGC")) return null;
    double usedKb = USED_COLUMNS.stream().mapToDouble(columns::get).sum();
    return new Sample(usedKb / 1024, columns.get("OU") / 1024, columns.get("FGC").longValue());
  }
}
