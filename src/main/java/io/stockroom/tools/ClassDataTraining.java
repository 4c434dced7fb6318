package io.stockroom.tools;

import io.stockroom.MainVerticle;
import io.stockroom.platform.cluster.Clustering;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.ConfigLoader;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.embedded.EmbeddedServers;
import io.stockroom.platform.metrics.Meters;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.UUID;

/**
 * The training run of the class-data archive ({@code target/stockroom.jsa}, see {@code conf/jvm.options}): the build
 * runs it with {@code -XX:ArchiveClassesAtExit} on the packaged jar. It starts Stockroom the way {@code Main} does
 * (embedded stores, on a free port), sends one request of the usual kinds and exits, so the archive holds the classes
 * a start and a first order load. A failure only makes the archive smaller: it always exits 0.
 */
public final class ClassDataTraining {
  private ClassDataTraining() {
  }

  public static void main(String[] args) {
    Vertx vertx = null;
    try {
      JsonObject overrides = new JsonObject().put("http.port", EmbeddedServers.freePort()).put("http.host", "127.0.0.1")
        .put("management.port", 0).put("management.host", "127.0.0.1");
      Vertx reader = Vertx.vertx();
      Settings settings = ConfigLoader.load(reader, overrides).eventually(reader::close).await();
      vertx = Clustering.vertx(settings, Meters.vertxOptions(settings.bool(ConfigKey.METRICS_ENABLED))).await();
      vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(overrides)).await();
      exercise(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(overrides.getInteger("http.port"))));
      System.out.println("Class-data training run done");
    } catch (Exception e) {
      System.out.println("Class-data training run incomplete (the archive covers less): " + e);
    } finally {
      if (vertx != null) vertx.close().otherwiseEmpty().await();
      System.exit(0);
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
      .sendJsonObject(new JsonObject().put("sku", "TRAIN-1").put("price", 100).put("openingStock", 10)).await()
      .bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("id");
    http.post("/api/v1/orders").putHeader("Authorization", bearer).putHeader("Idempotency-Key", UUID.randomUUID().toString())
      .sendJsonObject(new JsonObject().put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", 1))))
      .await();
    http.get("/api/v1/variants/" + variant).putHeader("Authorization", bearer).send().await();
    http.get("/api/v1/dashboard").putHeader("Authorization", bearer).send().await();
  }
}
