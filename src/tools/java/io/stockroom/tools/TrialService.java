package io.stockroom.tools;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.embedded.EmbeddedServers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The service on trial, in a process of its own started by README's command ({@link ServiceLauncher#command()}) from
 * the project directory, with its embedded data in a fresh temporary directory and its output in {@code service.log}
 * beside it. It can be stopped with SIGTERM and started again on the same data; each start listens on new free ports.
 */
final class TrialService implements AutoCloseable {
  /** Where embedded mode keeps its data (issue 28); a service that does not know the setting yet keeps it in memory. */
  static final String EMBEDDED_DATA_DIR_ENV = "STOCKROOM_EMBEDDED_DATA_DIR";

  private final Vertx vertx;
  private final Soak.Stores stores;
  private final int connections;
  private final Path directory;
  private final String database = "stockroom_soak_" + UUID.randomUUID().toString().substring(0, 8);
  private final String jwtSecret = UUID.randomUUID() + "-" + UUID.randomUUID();
  private Process process;
  private WebClient http;
  private long readyMs;

  private TrialService(Vertx vertx, Soak.Stores stores, int connections, Path directory) {
    this.vertx = vertx;
    this.stores = stores;
    this.connections = connections;
    this.directory = directory;
  }

  /** Starts the service and waits until it is ready; {@code connections} sizes the client's pool. */
  static TrialService start(Vertx vertx, Soak.Stores stores, int connections) throws Exception {
    if (stores == Soak.Stores.EXTERNAL && (isBlank(System.getenv(ConfigKey.MONGO_URI.envName())) || isBlank(System.getenv(ConfigKey.REDIS_URI.envName())))) {
      throw new IllegalArgumentException("--stores external needs " + ConfigKey.MONGO_URI.envName() + " and " + ConfigKey.REDIS_URI.envName()
        + " (e.g. the URIs java -jar target/stockroom.jar dev-stores prints)");
    }
    TrialService service = new TrialService(vertx, stores, connections, Files.createTempDirectory("stockroom-soak-"));
    service.launch();
    return service;
  }

  /** SIGTERM, then the same command on the same data. */
  void restart() throws Exception {
    ServiceLauncher.stop(process);
    launch();
  }

  private void launch() throws Exception {
    readyMs = -1;
    int port = EmbeddedServers.freePort();
    ProcessBuilder builder = new ProcessBuilder(ServiceLauncher.command()).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    Map<String, String> env = builder.environment();
    if (stores == Soak.Stores.EMBEDDED) {
      env.remove(ConfigKey.MONGO_URI.envName());
      env.remove(ConfigKey.REDIS_URI.envName());
    } else {
      env.put(ConfigKey.MONGO_DATABASE.envName(), database);
      env.putIfAbsent(ConfigKey.JWT_HMAC_SECRET.envName(), jwtSecret);
    }
    env.put(EMBEDDED_DATA_DIR_ENV, dataDirectory().toString());
    ServiceLauncher.listenForLoad(env, port);
    long launched = System.nanoTime();
    process = builder.start();
    http = ClosedLoop.httpClient(vertx, port, connections);
    try {
      readyMs = ServiceLauncher.waitUntilReady(http, process, launched);
    } catch (RuntimeException | InterruptedException notReady) {
      ServiceLauncher.stop(process);
      throw notReady;
    }
  }

  /** Which stores the service uses, and where its data is. */
  String describeStores() {
    return stores == Soak.Stores.EMBEDDED ? "embedded stores, data in " + dataDirectory()
      : "the stores of " + ConfigKey.MONGO_URI.envName() + " / " + ConfigKey.REDIS_URI.envName() + ", database " + database;
  }

  WebClient http() {
    return http;
  }

  long pid() {
    return process.pid();
  }

  /** From launch to ready, for the latest start; -1 when it did not get ready. */
  long readyMs() {
    return readyMs;
  }

  Path dataDirectory() {
    return directory.resolve("data");
  }

  Path log() {
    return directory.resolve("service.log");
  }

  /** Removes the temporary directory (data and log); after {@link #close()}. */
  void deleteFiles() throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) ServiceLauncher.stop(process);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
