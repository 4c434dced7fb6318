package io.stockroom.webhook;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.audit.AuditAction;
import io.stockroom.platform.audit.AuditEntry;
import io.stockroom.platform.audit.AuditTrail;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Duration;
import java.time.Instant;

/** Webhook endpoints of the caller's tenant, their secrets and their delivery log. */
public class WebhookService {
  /** After a rotation the previous secret keeps signing this long, so receivers can switch without missing a message. */
  static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

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
   * {url, events, active?}: 201 with the signing secret, shown this once. The endpoint receives the events of changes
   * made from its creation on: its tenant's ledger is followed from then (if it is not yet) before the endpoint is
   * written, so no endpoint ever exists whose tenant is not followed.
   */
  public Future<Reply> create(BusRequest request) {
    String tenantId = request.tenantId();
    JsonObject body = request.body();
    String secret = Signatures.newSecret();
    JsonObject createdAt = Mongo.now();
    JsonObject webhook = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("url", body.getString("url"))
      .put("events", distinct(body.getJsonArray("events"))).put("active", body.getBoolean("active", true))
      .put("secrets", new JsonArray().add(new JsonObject().put("value", secret).put("createdAt", createdAt)))
      .put("secretsVersion", 0L).put("createdAt", createdAt);
    return targets.check(body.getString("url"))
      .compose(url -> followedIfActive(tenantId, webhook))
      .compose(v -> webhooks.insertCapped(webhook))
      .compose(created -> audited(request, AuditAction.WEBHOOK_CREATED, created.getString("_id"),
        new JsonObject().put("url", created.getString("url")).put("events", created.getJsonArray("events"))).map(created))
      .map(created -> Reply.created(Webhooks.toApi(created).put("secret", secret)));
  }

  public Future<Reply> list(BusRequest request) {
    Page page = Page.from(request.query());
    return mongo.findWithOptions(Webhooks.COLLECTION, page.filter(new JsonObject().put("tenantId", request.tenantId())), page.findOptions())
      .map(docs -> Reply.ok(page.result(docs, Webhooks::toApi)));
  }

  public Future<Reply> get(BusRequest request) {
    return webhooks.get(request.tenantId(), request.pathParam("webhookId")).map(doc -> Reply.ok(Webhooks.toApi(doc)));
  }

  /**
   * url, events, active; turning an endpoint back on clears why it was disabled. An endpoint active after the change
   * has its paused deliveries resumed, with the retries they had left, and its tenant's ledger followed.
   */
  public Future<Reply> update(BusRequest request) {
    JsonObject changes = request.body().copy();
    if (changes.containsKey("events")) changes.put("events", distinct(changes.getJsonArray("events")));
    if (Boolean.TRUE.equals(changes.getBoolean("active"))) changes.putNull("disabledReason").putNull("disabledAt");
    Future<?> checked = changes.getString("url") == null ? Future.succeededFuture() : targets.check(changes.getString("url"));
    boolean turnedOn = Boolean.TRUE.equals(changes.getBoolean("active"));
    return checked.compose(ok -> turnedOn ? followed(request.tenantId(), Instant.now()) : Future.succeededFuture())
      .compose(ok -> webhooks.patch(request.tenantId(), request.pathParam("webhookId"), changes))
      .compose(doc -> resumedIfActive(request.tenantId(), doc))
      .compose(doc -> audited(request, AuditAction.WEBHOOK_UPDATED, doc.getString("_id"), request.body().copy()).map(doc))
      .map(doc -> Reply.ok(Webhooks.toApi(doc)));
  }

  private Future<Void> followedIfActive(String tenantId, JsonObject webhook) {
    if (!Webhooks.isActive(webhook)) return Future.succeededFuture();
    return followed(tenantId, Instant.parse(webhook.getJsonObject("createdAt").getString("$date")));
  }

  /** Follows the tenant's ledger from {@code since}, and tells the followers to visit it at their next turn. */
  private Future<Void> followed(String tenantId, Instant since) {
    return cursors.follow(tenantId, since).onSuccess(v -> vertx.eventBus().publish(LedgerFollower.FOLLOWED, tenantId));
  }

  private Future<JsonObject> resumedIfActive(String tenantId, JsonObject webhook) {
    if (!Webhooks.isActive(webhook)) return Future.succeededFuture(webhook);
    return deliveries.resume(tenantId, webhook.getString("_id")).map(webhook);
  }

  public Future<Reply> delete(BusRequest request) {
    String id = request.pathParam("webhookId");
    return webhooks.delete(request.tenantId(), id)
      .compose(v -> audited(request, AuditAction.WEBHOOK_DELETED, id, new JsonObject()))
      .map(v -> Reply.noContent());
  }

  /** Records the change in the audit log: what changed, never a secret. */
  private Future<Void> audited(BusRequest request, AuditAction action, String webhookId, JsonObject details) {
    AuditEntry entry = AuditEntry.of(request, action, "webhook", webhookId);
    details.forEach(field -> entry.with(field.getKey(), field.getValue()));
    return audit.record(entry);
  }

  /**
   * A new secret signs from now on and is answered this once; the previous ones keep signing for
   * {@link #ROTATION_OVERLAP} (each message then carries one signature per secret).
   */
  public Future<Reply> rotateSecret(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("webhookId");
    String secret = Signatures.newSecret();
    return webhooks.get(tenantId, id).compose(webhook -> {
      JsonObject overlapEnd = Mongo.date(Instant.now().plus(ROTATION_OVERLAP));
      JsonArray secrets = new JsonArray();
      for (Object o : webhook.getJsonArray("secrets", new JsonArray())) {
        JsonObject old = ((JsonObject) o).copy();
        if (old.getValue("expiresAt") == null) old.put("expiresAt", overlapEnd);
        if (Webhooks.signingSecrets(new JsonObject().put("secrets", new JsonArray().add(old))).isEmpty()) continue;
        secrets.add(old);
      }
      secrets.add(new JsonObject().put("value", secret).put("createdAt", Mongo.now()));
      long version = webhook.getLong("secretsVersion", 0L);
      JsonObject filter = Mongo.byId(tenantId, id).put("secretsVersion", version);
      return mongo.findOneAndUpdateWithOptions(Webhooks.COLLECTION, filter,
          new JsonObject().put("$set", new JsonObject().put("secrets", secrets).put("secretsVersion", version + 1).put("updatedAt", Mongo.now())),
          new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .compose(after -> after == null
          ? ServiceError.<Reply>fail(ErrorCode.CONFLICT, "The secret was rotated concurrently; nothing was changed, retry")
          : audited(request, AuditAction.WEBHOOK_SECRET_ROTATED, id, new JsonObject()).map(v -> Reply.ok(Webhooks.toApi(after).put("secret", secret)
              .put("previousSecretsSignUntil", overlapEnd.getString("$date")))));
    });
  }

  /** The endpoint's deliveries, oldest first: status, every attempt (code, duration, error) and the next one. */
  public Future<Reply> deliveries(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("webhookId");
    return webhooks.get(tenantId, id).compose(webhook -> deliveries.page(tenantId, id, request.query(), Page.from(request.query())))
      .map(Reply::ok);
  }

  /** Sends a delivery again (same message id and body) from now, on a fresh retry schedule: 202. */
  public Future<Reply> redeliver(BusRequest request) {
    String tenantId = request.tenantId();
    String id = request.pathParam("webhookId");
    return webhooks.get(tenantId, id)
      .compose(webhook -> deliveries.redeliver(tenantId, id, request.pathParam("deliveryId")))
      .compose(delivery -> delivery == null
        ? Future.failedFuture(ServiceError.notFound("Delivery"))
        : Future.succeededFuture(new Reply(202, WebhookDeliveries.toApi(delivery))));
  }

  private static JsonArray distinct(JsonArray events) {
    JsonArray out = new JsonArray();
    events.forEach(e -> { if (!out.contains(e)) out.add(e); });
    return out;
  }
}
