package io.stockroom.webhook;

import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Page;
import io.stockroom.webhook.WebhookCommands.ChangeWebhook;
import io.stockroom.webhook.WebhookCommands.CreateWebhook;

import java.time.Duration;

/**
 * Owns webhook endpoints and their deliveries: the API, and every {@link #EVERY_MS} (on whichever instance takes the
 * turn) hands committed events on to the endpoints ({@link WebhookDispatcher}) and sends the deliveries that are due.
 */
public class WebhookVerticle extends StockServiceVerticle {
  private static final String WEBHOOK_ID = "webhookId";
  static final long EVERY_MS = 1_000;

  private WebhookSender sender;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    Settings settings = Settings.of(config());
    TargetPolicy targets = new TargetPolicy(vertx, settings.bool(ConfigKey.WEBHOOKS_ALLOW_PRIVATE_TARGETS));
    WebhookService webhooks = new WebhookService(vertx, kit.mongo(), targets);
    WebhookDispatcher dispatcher = new WebhookDispatcher(vertx, kit.mongo(), Duration.ofMillis(settings.integer(ConfigKey.WEBHOOKS_LEDGER_LAG_MS)));
    sender = new WebhookSender(vertx, kit.mongo(), targets, settings.integer(ConfigKey.WEBHOOKS_TIMEOUT_MS));
    everyTurn(WebhookContract.DISPATCH, EVERY_MS, dispatcher::dispatch);
    everyTurn(WebhookContract.SEND_DUE, EVERY_MS, sender::sendDue);
    return consumers
      .bind(WebhookContract.CREATE, CreateWebhook::from, command -> webhooks.create(command).map(created -> Reply.created(created.toApi())))
      .bind(WebhookContract.LIST, request -> webhooks.list(request.tenantId(), Page.from(request.query())).map(Reply::ok))
      .bind(WebhookContract.GET, request -> webhooks.get(request.tenantId(), request.pathParam(WEBHOOK_ID)).map(w -> Reply.ok(w.toApi())))
      .bind(WebhookContract.UPDATE, ChangeWebhook::from, command -> webhooks.change(command).map(w -> Reply.ok(w.toApi())))
      .bind(WebhookContract.DELETE, request -> webhooks.delete(request.invocation(), request.pathParam(WEBHOOK_ID))
        .map(v -> Reply.noContent()))
      .bind(WebhookContract.ROTATE_SECRET, request -> webhooks.rotateSecret(request.invocation(), request.pathParam(WEBHOOK_ID))
        .map(rotated -> Reply.ok(rotated.toApi())))
      .bind(WebhookContract.DELIVERIES, request -> webhooks.deliveries(request.tenantId(), request.pathParam(WEBHOOK_ID), request.query())
        .map(Reply::ok))
      .bind(WebhookContract.REDELIVER, kit.idempotency().wrap(request -> webhooks.redeliver(request.tenantId(),
        request.pathParam(WEBHOOK_ID), request.pathParam("deliveryId")).map(delivery -> new Reply(202, delivery))));
  }

  @Override
  public io.vertx.core.Future<?> stop() {
    if (sender != null) sender.close();
    return super.stop();
  }
}
