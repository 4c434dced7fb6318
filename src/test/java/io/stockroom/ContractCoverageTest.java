package io.stockroom;

import io.stockroom.api.ContractLoader;
import io.stockroom.api.HttpVerticle;
import io.stockroom.api.Operation;
import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContractCoverageTest {
  /** Operations the HTTP verticle answers itself rather than forwarding to a service. */
  private static final Set<String> LOCAL = Set.of("getLiveness", "getReadiness", "getMetrics", "getOpenApiDocument", "getJwks");

  @Test
  @DisplayName("openapi.yaml and the role matrix list exactly the same operations")
  void everyOperationIsServedAndDocumented() {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = ContractLoader.load(vertx, HttpVerticle.CONTRACT_PATH).await();
      Set<String> documented = contract.operations().stream().map(io.vertx.openapi.contract.Operation::getOperationId)
        .collect(Collectors.toCollection(TreeSet::new));
      Set<String> served = new TreeSet<>(LOCAL);
      served.addAll(Arrays.stream(Operation.values()).map(Operation::operationId).collect(Collectors.toSet()));
      assertEquals(served, documented);
      assertEquals(Operation.values().length, new HashSet<>(Arrays.stream(Operation.values()).map(Operation::address).toList()).size(),
        "each operation has its own event-bus address");
    } finally {
      vertx.close().await();
    }
  }
}
