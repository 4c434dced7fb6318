package io.stockroom.webhook;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetPolicyTest {

  @Test
  @DisplayName("webhooks go to public addresses only: loopback, private, link-local, CGNAT, ULA and mapped ones are refused")
  void onlyPublicAddresses() throws Exception {
    for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
      "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::")) {
      assertFalse(TargetPolicy.isPublic(InetAddress.getByName(address)), address);
    }
    for (String address : List.of("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8")) {
      assertTrue(TargetPolicy.isPublic(InetAddress.getByName(address)), address);
    }
  }

  @Test
  @DisplayName("with private targets off, a URL naming or resolving to a loopback or private address is a 400")
  void refusesPrivateTargets() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      TargetPolicy policy = new TargetPolicy(vertx, false);
      for (String url : List.of("http://127.0.0.1:8080/h", "http://localhost/h", "http://[::1]/h", "http://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/h", "http://0.0.0.0/h")) {
        Throwable refused = policy.check(url).toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join();
        assertTrue(refused instanceof io.stockroom.platform.bus.ServiceError se && se.code().status() == 400, url + ": " + refused);
      }
      assertTrue(policy.check("https://93.184.216.34/h").toCompletionStage().toCompletableFuture().handle((ok, err) -> err == null).join());
    } finally {
      vertx.close();
    }
  }
}
