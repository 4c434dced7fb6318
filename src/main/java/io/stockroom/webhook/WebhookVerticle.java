package io.stockroom.webhook;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;

import java.time.Duration;

/**
 * Owns webhook endpoints and their deliveries: the API, and every {@link #EVERY_MS} (on whichever instance takes the
 * turn) hands committed events on to the endpoints ({@link WebhookDispatcher}) and sends the deliveries that are due.
 */
public class WebhookVerticle extends StockServiceVerticle {
  static final long EVERY_MS = 1_000;

  private WebhookSender sender;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    Settings settings = Settings.of(config());
    TargetPolicy targets = new TargetPolicy(vertx, settings.bool(ConfigKey.WEBHOOKS_ALLOW_PRIVATE_TARGETS));
    WebhookService webhooks = new WebhookService(vertx, kit.mongo(), targets);
    WebhookDispatcher dispatcher = new WebhookDispatcher(vertx, kit.mongo(), Duration.ofMillis(settings.integer(ConfigKey.WEBHOOKS_LEDGER_LAG_MS)));
    sender = new WebhookSender(vertx, kit.mongo(), targets, settings.integer(ConfigKey.WEBHOOKS_TIMEOUT_MS));
    everyTurn("webhook-dispatch", EVERY_MS, dispatcher::dispatch);
    everyTurn("webhook-deliveries", EVERY_MS, sender::sendDue);
    return consumers
      .bind(WebhookContract.CREATE, webhooks::create)
      .bind(WebhookContract.LIST, webhooks::list)
      .bind(WebhookContract.GET, webhooks::get)
      .bind(WebhookContract.UPDATE, webhooks::update)
      .bind(WebhookContract.DELETE, webhooks::delete)
      .bind(WebhookContract.ROTATE_SECRET, webhooks::rotateSecret)
      .bind(WebhookContract.DELIVERIES, webhooks::deliveries)
      .bind(WebhookContract.REDELIVER, webhooks::redeliver);
  }

  @Override
  public io.vertx.core.Future<?> stop() {
    if (sender != null) sender.close();
    return super.stop();
  }
}
