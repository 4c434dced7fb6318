package io.stockroom.webhook;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An endpoint of one tenant that receives the events it names, signed with its secrets. The service turns it off
 * (saying why) after a 410 Gone or days of failures. Stored in {@code webhooks} by {@link Webhooks}; the secrets
 * never leave the service except once, in the answer that created them.
 */
record Webhook(@Key("_id") String id, String tenantId, String url, List<String> events, Boolean active,
               List<SigningSecret> secrets, long secretsVersion, String disabledReason, Instant disabledAt, Instant createdAt,
               Instant updatedAt) {
  static final String URL = "url";
  static final String EVENTS = "events";
  static final String ACTIVE = "active";
  static final String SECRETS_VERSION = "secretsVersion";
  static final String DISABLED_REASON = "disabledReason";
  static final String DISABLED_AT = "disabledAt";

  /** A document without {@code active} (an older release's) is an active endpoint; without events or secrets, it has none. */
  Webhook {
    events = events == null ? List.of() : List.copyOf(new LinkedHashSet<>(events));
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    active = active == null || active;
  }

  /** A new endpoint with one secret, signing from now. */
  static Webhook create(String tenantId, String url, List<String> events, boolean active, String secret) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new Webhook(Mongo.newId(), tenantId, url, events, active, List.of(new SigningSecret(secret, now, null)), 0, null, null,
      now, null);
  }

  /** The secrets that sign now: the newest, and older ones inside their overlap. */
  List<String> signingSecrets(Instant now) {
    return secrets.stream().filter(secret -> secret.signsAt(now)).map(SigningSecret::value).toList();
  }

  /**
   * The secrets after a rotation at {@code now}: the new one signs from now on, the ones still signing keep signing
   * until {@code now + overlap}, and the ones that stopped are dropped.
   */
  List<SigningSecret> rotatedSecrets(String secret, Instant now, Duration overlap) {
    List<SigningSecret> rotated = new ArrayList<>();
    for (SigningSecret old : secrets) {
      SigningSecret ending = old.endingBy(now.plus(overlap));
      if (ending.signsAt(now)) rotated.add(ending);
    }
    rotated.add(new SigningSecret(secret, now, null));
    return rotated;
  }

  static Webhook fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Webhook.class, doc);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code Webhook}): never a secret. */
  JsonObject toApi() {
    return RecordCodec.toApi(view());
  }

  View view() {
    return new View(id, url, events, active, disabledReason, disabledAt, createdAt, updatedAt);
  }

  record View(String id, String url, List<String> events, boolean active, String disabledReason, Instant disabledAt,
              Instant createdAt, Instant updatedAt) {
  }

  /** What {@link Webhooks#replaceSecrets} sets: the rotated secrets, under the next version. */
  record SecretsReplaced(List<SigningSecret> secrets, long secretsVersion, Instant updatedAt) {
  }

  /** What {@link Webhooks#disable} sets: off, why and since when. */
  record Disabled(boolean active, String disabledReason, Instant disabledAt, Instant updatedAt) {
  }

  /** An active endpoint as an event is fanned out to it: which events it wants, since when it exists (null: since ever). */
  record Subscriber(@Key("_id") String id, List<String> events, Instant createdAt) {
    static final String[] FIELDS = {EVENTS, Fields.CREATED_AT};

    Subscriber {
      events = events == null ? List.of() : events;
    }

    boolean existedAt(Instant recordedAt) {
      return createdAt == null || !createdAt.isAfter(recordedAt);
    }
  }
}
