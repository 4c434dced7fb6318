package io.stockroom.webhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Duration;

/**
 * Hands committed events on to the endpoints that want them, one turn at a time per instance: the stock events of the
 * followed tenants' ledgers ({@link LedgerFollower}), then what the outbox holds ({@link OutboxDrain}).
 */
final class WebhookDispatcher {
  private final LedgerFollower ledger;
  private final OutboxDrain outbox;
  private boolean running;

  WebhookDispatcher(Vertx vertx, MongoClient mongo, Duration ledgerLag) {
    this.ledger = new LedgerFollower(vertx, mongo, ledgerLag, Clock.systemUTC());
    this.outbox = new OutboxDrain(mongo);
  }

  /** One turn; skipped while the previous one is still going. Always succeeds. */
  Future<Void> dispatch() {
    if (running) return Future.succeededFuture();
    running = true;
    return ledger.dispatch().compose(v -> outbox.drain()).onComplete(done -> running = false);
  }
}
