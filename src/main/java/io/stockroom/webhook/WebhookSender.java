package io.stockroom.webhook;

import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.webhook.Delivery.AfterAttempt;
import io.stockroom.webhook.Delivery.Attempt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends due deliveries, each under its lease, signed per Standard Webhooks, with a timeout and never following a
 * redirect. A 2xx answer delivers; 410 Gone disables the endpoint; anything else (another status, a timeout, a refused
 * connection, a target that is no longer allowed) is retried on {@link #SCHEDULE} with ±20 % jitter, about 3 days in
 * all, after which the delivery fails and the endpoint is disabled, saying why. Each attempt checks the target again and
 * connects to the very address it checked, so a name that resolves elsewhere later (DNS rebinding) cannot move it;
 * TLS still names the URL's host (SNI) and verifies the certificate against it.
 *
 * <p>Only an attempt at the endpoint spends a retry. A delivery of a disabled endpoint is paused until the endpoint is
 * turned on again; one whose endpoint could not be read (a storage timeout) is tried again after
 * {@link #LOOKUP_RETRY}; only an endpoint that no longer exists fails it.
 */
final class WebhookSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  /** Waits after the 1st, 2nd, ... failed attempt; the first retry comes within 10 s. */
  static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
    Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
    Duration.ofHours(8), Duration.ofHours(12), Duration.ofHours(24), Duration.ofHours(24));
  /** Wait after the endpoint could not be read, before the delivery is tried again (±20 %); no retry is spent. */
  static final Duration LOOKUP_RETRY = Duration.ofSeconds(10);
  static final int BATCH = 50;
  static final int MAX_IN_FLIGHT = 200;

  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  private final WebClient client;
  private final Webhooks webhooks;
  private final WebhookDeliveries deliveries;
  private final TargetPolicy targets;
  private final int timeoutMs;

  WebhookSender(Vertx vertx, MongoClient mongo, TargetPolicy targets, int timeoutMs) {
    this(vertx, mongo, targets, timeoutMs, null);
  }

  /** {@code trust}: the certificates https endpoints are verified with; null for the JVM's default (tests trust their own). */
  WebhookSender(Vertx vertx, MongoClient mongo, TargetPolicy targets, int timeoutMs, TrustOptions trust) {
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setConnectTimeout(timeoutMs)
      .setUserAgent("Stockroom-Webhooks/1").setKeepAlive(true).setVerifyHost(true).setTrustOptions(trust));
    this.webhooks = new Webhooks(mongo);
    this.deliveries = new WebhookDeliveries(mongo);
    this.targets = targets;
    this.timeoutMs = timeoutMs;
  }

  /**
   * One batch of due deliveries, sent concurrently: at most {@link #BATCH} per call and {@link #MAX_IN_FLIGHT} on this
   * instance at once (a slow endpoint holds its attempts until they time out; the others go on).
   */
  Future<Void> sendDue() {
    int room = Math.min(BATCH, MAX_IN_FLIGHT - inFlight.get());
    if (room <= 0) return Future.succeededFuture();
    return deliveries.due(room).compose(due -> {
      List<Future<Void>> sent = new ArrayList<>();
      for (Delivery delivery : due) {
        inFlight.incrementAndGet();
        sent.add(deliveries.lease(delivery, UnitJournal.INSTANCE, leaseMs()).compose(leased -> leased == null
            ? Future.<Void>succeededFuture()
            : send(leased))
          .recover(err -> {
            LOG.warn("Webhook delivery {} not attempted: {}", delivery.id(), err.toString());
            return Future.succeededFuture();
          })
          .onComplete(done -> inFlight.decrementAndGet()));
      }
      return Future.join(sent).mapEmpty();
    });
  }

  /** Longer than an attempt can take (its timeout, the target check, recording the outcome), shorter than a retry wait. */
  long leaseMs() {
    return 2L * timeoutMs + 5_000;
  }

  /** {@link #send(Delivery)} of a delivery document as stored. */
  Future<Void> send(JsonObject delivery) {
    return send(Delivery.fromDocument(delivery));
  }

  /** One delivery this instance holds the lease of: attempted, paused, postponed or failed, and the lease released. */
  Future<Void> send(Delivery delivery) {
    return webhooks.find(delivery.tenantId(), delivery.webhookId()).compose(webhook -> {
      if (webhook == null) return finish(delivery, attempt(Instant.now(), null, 0, "the endpoint was deleted"), AfterAttempt.failed());
      return webhook.active() ? attemptOnce(delivery, webhook) : pause(delivery);
    }, unread -> {
      LOG.warn("Webhook delivery {} postponed: its endpoint could not be read: {}", delivery.id(), unread.toString());
      return deliveries.postponed(delivery, UnitJournal.INSTANCE, Instant.now().plusMillis(jittered(LOOKUP_RETRY)));
    });
  }

  /**
   * The endpoint is disabled: the delivery waits, spending no retry. The endpoint is read again once the delivery is
   * paused, because turning it on resumes only the deliveries already paused then.
   */
  private Future<Void> pause(Delivery delivery) {
    String tenantId = delivery.tenantId();
    String webhookId = delivery.webhookId();
    return deliveries.paused(delivery, UnitJournal.INSTANCE)
      .compose(v -> activeNow(tenantId, webhookId))
      .compose(active -> active ? deliveries.resume(tenantId, webhookId) : Future.succeededFuture());
  }

  /** Whether the endpoint is on; true when it could not be read, as resuming is safe (a delivery is paused again). */
  private Future<Boolean> activeNow(String tenantId, String webhookId) {
    return webhooks.find(tenantId, webhookId).map(webhook -> webhook != null && webhook.active()).otherwise(true);
  }

  private Future<Void> attemptOnce(Delivery delivery, Webhook webhook) {
    Instant started = Instant.now();
    String body = delivery.payload();
    long timestamp = started.getEpochSecond();
    String id = delivery.messageId();
    return targets.target(webhook.url())
      .compose(target -> client.requestAbs(HttpMethod.POST, SocketAddress.inetSocketAddress(target.address()), target.uri().toString())
        .timeout(timeoutMs)
        .putHeader("content-type", "application/json")
        .putHeader("webhook-id", id)
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", Signatures.header(webhook.signingSecrets(Instant.now()), id, timestamp, body))
        .sendBuffer(Buffer.buffer(body)))
      .transform(answered -> {
        long took = Duration.between(started, Instant.now()).toMillis();
        if (answered.failed()) return failed(delivery, webhook, attempt(started, null, took, reason(answered.cause())));
        HttpResponse<Buffer> response = answered.result();
        int status = response.statusCode();
        Attempt attempt = attempt(started, status, took, null);
        if (status >= 200 && status < 300) {
          return finish(delivery, attempt, AfterAttempt.delivered(Instant.now()));
        }
        if (status == 410) {
          return finish(delivery, attempt, AfterAttempt.failed())
            .compose(v -> webhooks.disable(delivery.tenantId(), webhook.id(), "The endpoint answered 410 Gone; it was disabled"));
        }
        return failed(delivery, webhook, attempt.withError("HTTP " + status));
      });
  }

  /** Why an attempt got no answer, with the cause a TLS failure hides ("Failed to create SSL connection": which name, which certificate). */
  private static String reason(Throwable failure) {
    Throwable cause = failure.getCause();
    return cause == null || cause.getMessage() == null ? String.valueOf(failure.getMessage()) : failure.getMessage() + ": " + cause.getMessage();
  }

  /** A failed attempt: the next one on the schedule, or, past its end, the delivery fails and the endpoint is disabled. */
  private Future<Void> failed(Delivery delivery, Webhook webhook, Attempt attempt) {
    Duration wait = delivery.retryWait(SCHEDULE);
    if (wait == null) {
      return finish(delivery, attempt, AfterAttempt.failed())
        .compose(v -> webhooks.disable(delivery.tenantId(), webhook.id(),
          "Deliveries failed for 3 days (last: " + attempt.error() + "); it was disabled"));
    }
    return finish(delivery, attempt, AfterAttempt.retryAt(Instant.now().plusMillis(jittered(wait))));
  }

  private static long jittered(Duration wait) {
    return (long) (wait.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
  }

  private Future<Void> finish(Delivery delivery, Attempt attempt, AfterAttempt after) {
    return deliveries.attempted(delivery, UnitJournal.INSTANCE, attempt, after);
  }

  private static Attempt attempt(Instant at, Integer statusCode, long durationMs, String error) {
    return new Attempt(at, statusCode, durationMs, error);
  }

  void close() {
    client.close();
  }
}
