package io.stockroom.tools;

import io.stockroom.Main;
import io.stockroom.platform.config.ConfigKey;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the service in a process of its own as it is deployed, waits until it is ready, measures and stops it. The
 * harness runs from the project directory, and so does the service it starts: {@code conf/jvm.options} names the
 * class-data archive by a path relative to it ({@code target/stockroom.jsa}).
 */
final class ServiceLauncher {
  private static final long READY_TIMEOUT_NS = 60_000_000_000L;
  private static final long EXIT_TIMEOUT_S = 15;
  static final String RAISED_RATE_LIMIT = "1000000";

  private ServiceLauncher() {
  }

  /**
   * README's command, {@code java @conf/jvm.options -jar target/stockroom.jar}, with the jar this run's service classes
   * came from; run from classes (the tests), the same JVM options with this run's class path.
   */
  static List<String> command() throws Exception {
    Path jvmOptions = Path.of("conf/jvm.options");
    if (!Files.exists(jvmOptions)) throw new IllegalStateException("Run the harness from the project directory: conf/jvm.options is missing");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + jvmOptions));
    Path service = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(service)) {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    } else {
      // the archive is used only with the class path it was written with: target/stockroom.jar, not this run's, which adds the tools
      Path workingDirectory = Path.of("").toAbsolutePath();
      command.addAll(List.of("-jar", service.startsWith(workingDirectory) ? workingDirectory.relativize(service).toString() : service.toString()));
    }
    return command;
  }

  /**
   * The service listens on {@code httpPort} (and any free management port) of the loopback interface, and its rate
   * limits are raised far above what a load generator sends: at the default 200 requests/s per tenant most of a load
   * would be 429s, which hide how fast the service itself is.
   */
  static void listenForLoad(Map<String, String> env, int httpPort) {
    env.put(ConfigKey.HTTP_PORT.envName(), Integer.toString(httpPort));
    env.put(ConfigKey.HTTP_HOST.envName(), "127.0.0.1");
    env.put(ConfigKey.MANAGEMENT_PORT.envName(), "0");
    env.put(ConfigKey.MANAGEMENT_HOST.envName(), "127.0.0.1");
    env.put(ConfigKey.RATE_LIMITS_TENANT_PER_SECOND.envName(), RAISED_RATE_LIMIT);
    env.put(ConfigKey.RATE_LIMITS_USER_PER_SECOND.envName(), RAISED_RATE_LIMIT);
    env.put(ConfigKey.RATE_LIMITS_ADDRESS_PER_MINUTE.envName(), RAISED_RATE_LIMIT);
  }

  /** Milliseconds from {@code launched} (a {@link System#nanoTime()}) until {@code /health/ready} answers 200. */
  static long waitUntilReady(WebClient client, Process process, long launched) throws InterruptedException {
    long deadline = launched + READY_TIMEOUT_NS;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("The service process exited with " + process.exitValue());
      boolean ready;
      try {
        ready = client.get("/health/ready").timeout(1_000).send().await().statusCode() == 200;
      } catch (Exception notYet) {  // not listening yet: await() rethrows the connect failure as it is
        ready = false;
      }
      if (ready) return (System.nanoTime() - launched) / 1_000_000;
      Thread.sleep(10);
    }
    throw new IllegalStateException("The service process was not ready within 60 s");
  }

  /** SIGTERM, as an orchestrator stops it; killed if it has not exited {@link #EXIT_TIMEOUT_S} s later. */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }

  /** The process's resident memory (VmRSS) in MB, or -1 when it cannot be read. */
  static long residentMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
