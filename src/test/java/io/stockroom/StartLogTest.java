package io.stockroom;

import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.support.LogCapture;
import io.stockroom.support.TestStack;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartLogTest {

  @Test
  @DisplayName("a start with metrics on writes no Micrometer warning about gauges Vert.x registers more than once by design")
  void noGaugeWarningsAtStart() {
    TestStack stack = TestStack.get();
    assertEquals(200, stack.management.get("/metrics", null).status(), "metrics are on and served");
    assertTrue(LogCapture.size() > 0, "the capture sees the start");
    assertEquals(List.of(), LogCapture.linesContaining("has been already registered"));
  }

  @Test
  @DisplayName("a start on a port already in use stops, naming the address and the setting that changes it")
  void portInUse() {
    TestStack stack = TestStack.get();
    Vertx second = Vertx.vertx();
    try {
      JsonObject config = TestStack.overrides(stack.port)
        .put(ConfigKey.MONGO_URI.key(), stack.settings.string(ConfigKey.MONGO_URI))
        .put(ConfigKey.REDIS_URI.key(), stack.settings.string(ConfigKey.REDIS_URI));
      Throwable refused = second.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config))
        .<Throwable>transform(done -> Future.succeededFuture(done.cause())).await();
      assertInstanceOf(ConfigException.class, refused, String.valueOf(refused));
      assertTrue(refused.getMessage().contains("127.0.0.1:" + stack.port), refused.getMessage());
      assertTrue(refused.getMessage().contains("STOCKROOM_HTTP_PORT"), refused.getMessage());
      assertEquals(200, stack.api.get("/health/ready", null).status(), "the running service is unaffected");
    } finally {
      second.close().await();
    }
  }
}
