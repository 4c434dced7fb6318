package io.stockroom;

import io.stockroom.api.Lifecycle;
import io.stockroom.management.ManagementVerticle;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.support.Res;
import io.stockroom.support.SecondInstance;
import io.stockroom.support.TestStack;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management server: metrics and probes on a port of their own, nothing of the API there. */
class ManagementPortTest {
  private final TestStack stack = TestStack.get();

  @Test
  @DisplayName("the management port serves only metrics and probes: API paths and other methods get problem+json")
  void onlyMetricsAndProbes() {
    assertNotEquals(stack.port, stack.managementPort);
    assertProblem(stack.management.get("/api/v1/products", null), 404);
    assertProblem(stack.management.get("/openapi.yaml", null), 404);
    assertProblem(stack.management.post("/metrics", null, new JsonObject()), 405);
    HttpResponse<Buffer> metrics = stack.management.client().get("/metrics").send().await();
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("# TYPE "), "Prometheus text format");
  }

  @Test
  @DisplayName("a second instance in the JVM gets a management port of its own; draining, readiness turns DOWN on both "
    + "ports while liveness and metrics stay up on the management port")
  void readinessDownWhileDraining() throws Exception {
    try (SecondInstance second = SecondInstance.start(stack, new JsonObject())) {
      assertNotEquals(stack.managementPort, ManagementVerticle.boundPort(second.vertx));
      assertEquals(200, second.management.get("/health/ready", null).status());
      assertEquals(200, second.api.get("/health/ready", null).status());

      // the last probe's end handler may run just after its answer arrived: wait for it, as a drain would
      assertEquals(0, Lifecycle.of(second.vertx).drain(2_000), "nothing in flight");
      for (Res ready : new Res[] {second.management.get("/health/ready", null), second.api.get("/health/ready", null)}) {
        assertEquals(503, ready.status(), ready::toString);
        assertEquals("DOWN", ready.json().getString("status"));
        assertEquals(true, ready.json().getBoolean("draining"));
      }
      assertEquals(200, second.management.get("/health/live", null).status());
      assertEquals(200, second.management.get("/metrics", null).status(), "scrapes go on while the instance drains");
      assertEquals(200, stack.management.get("/health/ready", null).status(), "the other instance is not draining");
    }
  }

  @Test
  @DisplayName("a management port equal to the HTTP port, or already in use, stops the start naming STOCKROOM_MANAGEMENT_PORT")
  void misconfiguredPort() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = TestStack.freePort();
      Throwable same = deploy(vertx, stack.settings.toJson().put("http.port", port).put("management.port", port));
      assertInstanceOf(ConfigException.class, same, String.valueOf(same));
      assertTrue(same.getMessage().contains("STOCKROOM_MANAGEMENT_PORT"), same.getMessage());

      Throwable inUse = deploy(vertx, stack.settings.toJson().put("management.host", "127.0.0.1")
        .put("management.port", taken.getLocalPort()));
      assertInstanceOf(ConfigException.class, inUse, String.valueOf(inUse));
      assertTrue(inUse.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), inUse.getMessage());
      assertTrue(inUse.getMessage().contains("STOCKROOM_MANAGEMENT_PORT"), inUse.getMessage());
    } finally {
      vertx.close().await();
    }
  }

  private static Throwable deploy(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new ManagementVerticle(), new DeploymentOptions().setConfig(config))
      .<Throwable>transform(done -> Future.succeededFuture(done.cause())).await();
  }
}
