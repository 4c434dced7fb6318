package io.stockroom.tools;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.embedded.EmbeddedServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the class-data archive ({@code target/stockroom.jsa}, see {@code conf/jvm.options}). An archive is
 * used only with the class path it was written with, so the service is not started here but in a process of its own
 * with the command given as arguments (the build's: the packaged jar with {@code -XX:ArchiveClassesAtExit}), on free
 * ports and embedded stores. This sends it one request of the usual kinds, then stops it with SIGTERM: its JVM writes
 * the archive as it exits, holding the classes a start and a first order load. A failure only makes the archive
 * smaller: it always exits 0.
 */
public final class ClassDataTraining {
  private static final long READY_TIMEOUT_MS = 120_000;
  /** Writing the archive at exit takes a few seconds; a forced stop would lose it. */
  private static final long EXIT_TIMEOUT_S = 120;

  private ClassDataTraining() {
  }

  public static void main(String[] serviceCommand) {
    Process service = null;
    Vertx vertx = Vertx.vertx();
    try {
      int port = EmbeddedServers.freePort();
      ProcessBuilder builder = new ProcessBuilder(serviceCommand).inheritIO();
      Map<String, String> env = builder.environment();
      env.put(ConfigKey.HTTP_PORT.envName(), Integer.toString(port));
      env.put(ConfigKey.HTTP_HOST.envName(), "127.0.0.1");
      env.put(ConfigKey.MANAGEMENT_PORT.envName(), "0");
      env.put(ConfigKey.MANAGEMENT_HOST.envName(), "127.0.0.1");
      env.put(ConfigKey.EMBEDDED_DATA_DIR.envName(), EmbeddedServers.IN_MEMORY);  // a build never writes a trial's data
      service = builder.start();
      WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      awaitReady(http, service);
      exercise(http);
      System.out.println("Class-data training run done");
    } catch (Exception e) {
      System.out.println("Class-data training run incomplete (the archive covers less): " + e);
    } finally {
      if (service != null) stop(service);
      vertx.close().otherwiseEmpty().await();
      System.exit(0);
    }
  }

  private static void awaitReady(WebClient http, Process service) throws InterruptedException {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!service.isAlive()) throw new IllegalStateException("the service exited with " + service.exitValue());
      try {
        if (http.get("/health/ready").send().await().statusCode() == 200) return;
      } catch (Exception notListeningYet) {
        // retried until the deadline
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the service was not ready within " + READY_TIMEOUT_MS + " ms");
  }

  private static void stop(Process service) {
    try {
      service.destroy();
      if (!service.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS)) {
        System.out.println("Class-data training: the service did not exit within " + EXIT_TIMEOUT_S + " s; killed, no archive");
        service.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      service.destroyForcibly();
    }
  }

  private static void exercise(WebClient http) {
    http.get("/health/ready").send().await();
    JsonObject session = http.post("/api/v1/auth/signup").sendJsonObject(new JsonObject().put("tenantName", "Training")
      .put("name", "Training").put("email", "training-" + UUID.randomUUID() + "@example.test")
      .put("password", "training password")).await().bodyAsJsonObject();
    String bearer = "Bearer " + session.getString("accessToken");
    String product = http.post("/api/v1/products").putHeader("Authorization", bearer)
      .sendJsonObject(new JsonObject().put("name", "Training")).await().bodyAsJsonObject().getString("id");
    String variant = http.post("/api/v1/products/" + product + "/variants").putHeader("Authorization", bearer)
      .putHeader("Idempotency-Key", UUID.randomUUID().toString()).sendJsonObject(new JsonObject().put("sku", "TRAIN-1").put("price", 100).put("openingStock", 10)).await()
      .bodyAsJsonObject().getString("id");
    http.post("/api/v1/orders").putHeader("Authorization", bearer).putHeader("Idempotency-Key", UUID.randomUUID().toString())
      .sendJsonObject(new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", 1))))
      .await();
    http.get("/api/v1/variants/" + variant).putHeader("Authorization", bearer).send().await();
    http.get("/api/v1/dashboard").putHeader("Authorization", bearer).send().await();
  }
}
