package io.stockroom.tools;

import io.stockroom.MainVerticle;
import io.stockroom.platform.embedded.EmbeddedServers;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures {@code GET /api/v1/dashboard} on the embedded stack as history grows: for each movement count it boots a
 * fresh Stockroom (embedded MongoDB stand-in, real redis-server), seeds one tenant with {@link Seed}, then times
 * sequential dashboard requests over HTTP after a warm-up and prints p50/p95/p99/max.
 *
 * <pre>java -Xmx6g -cp target/stockroom.jar:target/stockroom-tools.jar io.stockroom.tools.DashboardBenchmark \
 *   --variants 10000 --movements 10000,1000000 --requests 300 --check true</pre>
 * With {@code --check true} it exits 1 unless every p95 is under 100 ms and the last p95 is within 1.5x of the first.
 */
public final class DashboardBenchmark {
  private DashboardBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = Seed.flags(args);
    int variants = Integer.parseInt(flags.getOrDefault("variants", "10000"));
    long[] movementCounts = Arrays.stream(flags.getOrDefault("movements", "10000,1000000").split(",")).mapToLong(Long::parseLong).toArray();
    int requests = Integer.parseInt(flags.getOrDefault("requests", "300"));
    int warmup = Integer.parseInt(flags.getOrDefault("warmup", "50"));
    int days = Integer.parseInt(flags.getOrDefault("days", "365"));
    List<double[]> results = new ArrayList<>();
    for (long movements : movementCounts) {
      results.add(measure(variants, movements, days, requests, warmup));
    }
    System.out.println();
    System.out.printf("%-12s %-12s %8s %8s %8s %8s%n", "variants", "movements", "p50 ms", "p95 ms", "p99 ms", "max ms");
    for (int i = 0; i < movementCounts.length; i++) {
      double[] r = results.get(i);
      System.out.printf("%-12d %-12d %8.1f %8.1f %8.1f %8.1f%n", variants, movementCounts[i], r[0], r[1], r[2], r[3]);
    }
    double ratio = results.get(results.size() - 1)[1] / results.get(0)[1];
    System.out.printf("p95 ratio last/first: %.2f%n", ratio);
    if (Boolean.parseBoolean(flags.getOrDefault("check", "false"))) {
      boolean ok = results.stream().allMatch(r -> r[1] < 100) && ratio <= 1.5;
      System.out.println(ok ? "CHECK PASSED (p95 < 100 ms, ratio <= 1.5)" : "CHECK FAILED (p95 < 100 ms, ratio <= 1.5)");
      System.exit(ok ? 0 : 1);
    }
    System.exit(0);
  }

  private static double[] measure(int variants, long movements, int days, int requests, int warmup) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      int port = EmbeddedServers.freePort();
      MainVerticle main = new MainVerticle();
      vertx.deployVerticle(main, new DeploymentOptions().setConfig(new JsonObject().put("http.port", port)
        .put("http.host", "127.0.0.1").put("management.port", 0).put("management.host", "127.0.0.1"))).await();
      Settings settings = main.settings();
      MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", settings.string(ConfigKey.MONGO_URI))
        .put("db_name", settings.string(ConfigKey.MONGO_DATABASE)));
      long seedStart = System.currentTimeMillis();
      Seed.Result seeded = new Seed(mongo, new Seed.Options(variants, movements, days, 42)).run();
      System.out.printf("seeded %d variants, %d movements in %.1f s%n", variants, seeded.movements(),
        (System.currentTimeMillis() - seedStart) / 1000.0);
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      HttpResponse<Buffer> login = client.post("/api/v1/auth/login")
        .sendJson(new JsonObject().put("email", seeded.email()).put("password", seeded.password())).await();
      String token = login.bodyAsJsonObject().getString("accessToken");
      for (int i = 0; i < warmup; i++) dashboard(client, token);
      double[] latencies = new double[requests];
      for (int i = 0; i < requests; i++) latencies[i] = dashboard(client, token);
      Arrays.sort(latencies);
      return new double[] {pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), latencies[latencies.length - 1]};
    } finally {
      vertx.close().await();
    }
  }

  private static double dashboard(WebClient client, String token) {
    long start = System.nanoTime();
    HttpResponse<Buffer> res = client.get("/api/v1/dashboard").bearerTokenAuthentication(token).send().await();
    double ms = (System.nanoTime() - start) / 1e6;
    if (res.statusCode() != 200) throw new IllegalStateException("dashboard answered " + res.statusCode() + ": " + res.bodyAsString());
    return ms;
  }

  private static double pct(double[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }
}
