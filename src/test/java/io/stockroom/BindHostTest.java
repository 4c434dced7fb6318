package io.stockroom;

import io.stockroom.management.ManagementVerticle;
import io.stockroom.platform.config.BindHosts;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.support.TestStack;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Embedded trial mode (no mongo.uri: a generated signing key, open sign-up) answers this machine only, unless a host is
 * configured; with a real MongoDB the servers bind every interface, as containers need.
 */
@Timeout(120)
class BindHostTest {

  @Test
  @DisplayName("an empty host means 127.0.0.1 in embedded mode and 0.0.0.0 otherwise; a configured host always wins")
  void resolution() {
    Settings automatic = settings(new JsonObject());
    assertEquals("", automatic.string(ConfigKey.HTTP_HOST), "the default is automatic");
    Settings embedded = BindHosts.resolve(automatic, true);
    assertEquals("127.0.0.1", embedded.string(ConfigKey.HTTP_HOST));
    assertEquals("127.0.0.1", embedded.string(ConfigKey.MANAGEMENT_HOST));
    Settings real = BindHosts.resolve(automatic, false);
    assertEquals("0.0.0.0", real.string(ConfigKey.HTTP_HOST));
    assertEquals("0.0.0.0", real.string(ConfigKey.MANAGEMENT_HOST));

    Settings explicit = settings(new JsonObject().put("STOCKROOM_HTTP_HOST", "0.0.0.0").put("STOCKROOM_MANAGEMENT_HOST", "10.1.2.3"));
    assertEquals("0.0.0.0", BindHosts.resolve(explicit, true).string(ConfigKey.HTTP_HOST));
    assertEquals("10.1.2.3", BindHosts.resolve(explicit, true).string(ConfigKey.MANAGEMENT_HOST));
  }

  @Test
  @DisplayName("an embedded start answers on 127.0.0.1 and refuses connections to the machine's other addresses, API and management port")
  void embeddedBindsLoopback() {
    Vertx vertx = Vertx.vertx();
    try {
      int port = TestStack.freePort();
      MainVerticle main = start(vertx, embeddedConfig(port));
      assertEquals("127.0.0.1", main.settings().string(ConfigKey.HTTP_HOST));
      assertEquals("127.0.0.1", main.settings().string(ConfigKey.MANAGEMENT_HOST));
      int management = ManagementVerticle.boundPort(vertx);
      assertTrue(accepts(InetAddress.getLoopbackAddress(), port), "the API answers on loopback");
      assertTrue(accepts(InetAddress.getLoopbackAddress(), management), "the management port answers on loopback");
      Optional<InetAddress> other = otherAddress();
      other.ifPresent(address -> {
        assertFalse(accepts(address, port), "the API must not answer on " + address);
        assertFalse(accepts(address, management), "the management port must not answer on " + address);
      });
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("an embedded start with STOCKROOM_HTTP_HOST=0.0.0.0 set answers on the machine's other addresses too")
  void explicitHostWins() {
    Optional<InetAddress> other = otherAddress();
    Vertx vertx = Vertx.vertx();
    try {
      int port = TestStack.freePort();
      MainVerticle main = start(vertx, embeddedConfig(port).put("http.host", "0.0.0.0"));
      assertEquals("0.0.0.0", main.settings().string(ConfigKey.HTTP_HOST));
      assertEquals("127.0.0.1", main.settings().string(ConfigKey.MANAGEMENT_HOST), "the management host is resolved on its own");
      assertTrue(accepts(InetAddress.getLoopbackAddress(), port));
      other.ifPresent(address -> assertTrue(accepts(address, port), "the API answers on " + address));
    } finally {
      vertx.close().await();
    }
  }

  /** The suite's settings with no host and no MongoDB or Redis: the embedded trial mode. */
  private static JsonObject embeddedConfig(int port) {
    JsonObject config = TestStack.overrides(port).put("mongo.uri", "").put("redis.uri", "");
    config.remove("http.host");
    config.remove("management.host");
    return config;
  }

  private static MainVerticle start(Vertx vertx, JsonObject config) {
    MainVerticle main = new MainVerticle();
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await();
    return main;
  }

  private static Settings settings(JsonObject env) {
    return Settings.resolve(new JsonObject(), env, new JsonObject(), new JsonObject());
  }

  private static boolean accepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** An IPv4 address of this machine that is not loopback, if it has one. */
  private static Optional<InetAddress> otherAddress() {
    try {
      return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(nic -> {
          try {
            return nic.isUp() && !nic.isLoopback();
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }
}
