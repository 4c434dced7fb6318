package io.stockroom.webhook;

import io.stockroom.platform.audit.AuditAction;
import io.stockroom.platform.audit.AuditEntry;
import io.stockroom.platform.audit.AuditTrail;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.mongo.Page;
import io.stockroom.webhook.WebhookCommands.ChangeWebhook;
import io.stockroom.webhook.WebhookCommands.CreateWebhook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Webhook endpoints of the caller's tenant, their secrets and their delivery log. */
public class WebhookService {
  /** After a rotation the previous secret keeps signing this long, so receivers can switch without missing a message. */
  static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

  /** An endpoint as its creator or rotator sees it once: with the secret that signs from now on. */
  public record WithSecret(Webhook webhook, String secret, Instant previousSecretsSignUntil) {
    public JsonObject toApi() {
      Webhook.View endpoint = webhook.view();
      return RecordCodec.toApi(new View(endpoint.id(), endpoint.url(), endpoint.events(), endpoint.active(), endpoint.disabledReason(),
        endpoint.disabledAt(), endpoint.createdAt(), endpoint.updatedAt(), secret, previousSecretsSignUntil));
    }

    /** The endpoint as clients see it ({@link Webhook.View}), and the secret this once. */
    private record View(String id, String url, List<String> events, boolean active, String disabledReason, Instant disabledAt,
                        Instant createdAt, Instant updatedAt, String secret, Instant previousSecretsSignUntil) {
    }
  }

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Webhooks webhooks;
  private final WebhookDeliveries deliveries;
  private final TargetPolicy targets;
  private final AuditTrail audit;
  private final LedgerCursors cursors;

  public WebhookService(Vertx vertx, MongoClient mongo, TargetPolicy targets) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.cursors = new LedgerCursors(mongo);
    this.audit = new AuditTrail(mongo);
    this.webhooks = new Webhooks(mongo);
    this.deliveries = new WebhookDeliveries(mongo);
    this.targets = targets;
  }

  /**
   * A new endpoint, with its signing secret shown this once. It receives the events of changes made from its
   * creation on: its tenant's ledger is followed from then (if it is not yet) before the endpoint is written, so no
   * endpoint ever exists whose tenant is not followed.
   */
  public Future<WithSecret> create(CreateWebhook command) {
    String tenantId = command.by().tenantId();
    String secret = Signatures.newSecret();
    Webhook webhook = Webhook.create(tenantId, command.url(), command.events(), command.active(), secret);
    return targets.check(command.url())
      .compose(url -> webhook.active() ? followed(tenantId, webhook.createdAt()) : Future.succeededFuture())
      .compose(v -> webhooks.insertCapped(webhook))
      .compose(created -> audited(command.by(), WebhookAction.WEBHOOK_CREATED, created.id(),
        RecordCodec.toApi(new Created(created.url(), created.events()))).map(created))
      .map(created -> new WithSecret(created, secret, null));
  }

  /** One page of the tenant's endpoints, as clients see them. */
  public Future<JsonObject> list(String tenantId, Page page) {
    return webhooks.page(tenantId, new JsonObject(), page);
  }

  public Future<Webhook> get(String tenantId, String webhookId) {
    return webhooks.record(tenantId, webhookId);
  }

  /**
   * url, events, active; turning an endpoint back on clears why it was disabled. An endpoint active after the change
   * has its paused deliveries resumed, with the retries they had left, and its tenant's ledger followed.
   */
  public Future<Webhook> change(ChangeWebhook command) {
    String tenantId = command.by().tenantId();
    Future<?> checked = command.url() == null ? Future.succeededFuture() : targets.check(command.url());
    return checked.compose(ok -> command.turnsOn() ? followed(tenantId, Instant.now()) : Future.succeededFuture())
      .compose(ok -> webhooks.changeRecord(tenantId, command.webhookId(), command.changes()))
      .compose(changed -> changed.active() ? deliveries.resume(tenantId, changed.id()).map(changed) : Future.succeededFuture(changed))
      .compose(changed -> audited(command.by(), WebhookAction.WEBHOOK_UPDATED, changed.id(), command.asGiven()).map(changed));
  }

  /** Follows the tenant's ledger from {@code since}, and tells the followers to visit it at their next turn. */
  private Future<Void> followed(String tenantId, Instant since) {
    return cursors.follow(tenantId, since).onSuccess(v -> vertx.eventBus().publish(LedgerFollower.FOLLOWED, tenantId));
  }

  public Future<Void> delete(Invocation by, String webhookId) {
    return webhooks.delete(by.tenantId(), webhookId)
      .compose(v -> audited(by, WebhookAction.WEBHOOK_DELETED, webhookId, new JsonObject()));
  }

  /** What the audit log records of a new endpoint. */
  private record Created(String url, List<String> events) {
  }

  /** Records the change in the audit log: what changed, never a secret. */
  private Future<Void> audited(Invocation by, AuditAction action, String webhookId, JsonObject details) {
    AuditEntry entry = AuditEntry.of(by, action, "webhook", webhookId);
    details.forEach(field -> entry.with(field.getKey(), field.getValue()));
    return audit.record(entry);
  }

  /**
   * A new secret signs from now on and is answered this once; the previous ones keep signing for
   * {@link #ROTATION_OVERLAP} (each message then carries one signature per secret). 409 when another rotation won.
   */
  public Future<WithSecret> rotateSecret(Invocation by, String webhookId) {
    String secret = Signatures.newSecret();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return webhooks.record(by.tenantId(), webhookId)
      .compose(webhook -> webhooks.replaceSecrets(webhook, webhook.rotatedSecrets(secret, now, ROTATION_OVERLAP)))
      .compose(after -> after == null
        ? ServiceError.<WithSecret>fail(ErrorCode.CONFLICT, "The secret was rotated concurrently; nothing was changed, retry")
        : audited(by, WebhookAction.WEBHOOK_SECRET_ROTATED, webhookId, new JsonObject())
          .map(v -> new WithSecret(after, secret, now.plus(ROTATION_OVERLAP))));
  }

  /** The endpoint's deliveries, oldest first: status, every attempt (code, duration, error) and the next one. */
  public Future<JsonObject> deliveries(String tenantId, String webhookId, JsonObject query) {
    return webhooks.record(tenantId, webhookId).compose(webhook -> deliveries.page(tenantId, webhookId, query, Page.from(query)));
  }

  /** Sends a delivery again (same message id and body) from now, on a fresh retry schedule: the delivery, as clients see it. */
  public Future<JsonObject> redeliver(String tenantId, String webhookId, String deliveryId) {
    return webhooks.record(tenantId, webhookId)
      .compose(webhook -> deliveries.redeliver(tenantId, webhookId, deliveryId))
      .compose(delivery -> delivery == null
        ? Future.failedFuture(ServiceError.notFound("Delivery"))
        : Future.succeededFuture(delivery.toApi()));
  }
}
