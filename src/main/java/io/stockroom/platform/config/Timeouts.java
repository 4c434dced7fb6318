package io.stockroom.platform.config;

import java.util.List;

/**
 * The timeouts must nest, or a caller gives up while the work it asked for goes on (and may still commit): a MongoDB
 * operation, a Redis command and the wait for a busy variant each end before the event-bus request that runs them,
 * which ends before the HTTP request. Checked once, when the configuration is read.
 */
final class Timeouts {
  private record Rule(ConfigKey inner, ConfigKey outer, String why) {
  }

  private static final List<Rule> RULES = List.of(
    new Rule(ConfigKey.MONGO_TIMEOUT_MS, ConfigKey.BUS_TIMEOUT_MS, "MongoDB must stop working on a query before its caller gives up"),
    new Rule(ConfigKey.REDIS_COMMAND_TIMEOUT_MS, ConfigKey.BUS_TIMEOUT_MS, "a Redis command must end before its caller gives up"),
    new Rule(ConfigKey.LOCKS_WAIT_MS, ConfigKey.BUS_TIMEOUT_MS, "a request waiting for a busy variant must still have time to run"),
    new Rule(ConfigKey.BUS_TIMEOUT_MS, ConfigKey.HTTP_REQUEST_TIMEOUT_MS, "the service's own answer must reach the client first"));

  private Timeouts() {
  }

  static void check(Settings settings) {
    for (Rule rule : RULES) {
      int inner = settings.integer(rule.inner());
      int outer = settings.integer(rule.outer());
      if (inner >= outer) {
        throw new ConfigException("Timeouts do not nest: " + rule.inner().key() + " (env " + rule.inner().envName() + ") = "
          + inner + " must be below " + rule.outer().key() + " (env " + rule.outer().envName() + ") = " + outer + ": " + rule.why());
      }
    }
  }
}
