package io.stockroom.platform.config;

import java.util.List;

/**
 * The timeouts must nest, or a caller gives up while the work it asked for goes on (and may still commit): a MongoDB
 * operation, a Redis command and the wait for a busy variant each end before the event-bus request that runs them,
 * which ends before the HTTP request; every unit of work ends before the webhook dispatcher counts its movements as
 * final. Checked once, when the configuration is read.
 */
final class Timeouts {
  private record Rule(ConfigKey inner, ConfigKey outer, String why) {
  }

  private static final String LEDGER_LAG_WHY = "a unit of work must have committed or rolled back before the webhook "
    + "dispatcher counts its movements as final";

  private static final List<Rule> RULES = List.of(
    new Rule(ConfigKey.MONGO_TIMEOUT_MS, ConfigKey.BUS_TIMEOUT_MS, "MongoDB must stop working on a query before its caller gives up"),
    new Rule(ConfigKey.REDIS_COMMAND_TIMEOUT_MS, ConfigKey.BUS_TIMEOUT_MS, "a Redis command must end before its caller gives up"),
    new Rule(ConfigKey.LOCKS_WAIT_MS, ConfigKey.BUS_TIMEOUT_MS, "a request waiting for a busy variant must still have time to run"),
    new Rule(ConfigKey.BUS_TIMEOUT_MS, ConfigKey.HTTP_REQUEST_TIMEOUT_MS, "the service's own answer must reach the client first"),
    new Rule(ConfigKey.BUS_TIMEOUT_MS, ConfigKey.WEBHOOKS_LEDGER_LAG_MS, LEDGER_LAG_WHY));

  private Timeouts() {
  }

  static void check(Settings settings) {
    // a background unit's deadline comes from its locks: it may wait for them, then hold them until they expire
    int longestUnit = settings.integer(ConfigKey.LOCKS_WAIT_MS) + settings.integer(ConfigKey.LOCKS_TTL_MS);
    if (longestUnit >= settings.integer(ConfigKey.WEBHOOKS_LEDGER_LAG_MS)) {
      throw new ConfigException("Timeouts do not nest: " + ConfigKey.LOCKS_WAIT_MS.key() + " + " + ConfigKey.LOCKS_TTL_MS.key()
        + " = " + longestUnit + " must be below " + ConfigKey.WEBHOOKS_LEDGER_LAG_MS.key() + " (env "
        + ConfigKey.WEBHOOKS_LEDGER_LAG_MS.envName() + ") = " + settings.integer(ConfigKey.WEBHOOKS_LEDGER_LAG_MS) + ": " + LEDGER_LAG_WHY);
    }
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
