package io.stockroom.webhook;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonArray;
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
record Webhook(String id, String tenantId, String url, List<String> events, boolean active, List<SigningSecret> secrets,
               long secretsVersion, String disabledReason, Instant disabledAt, Instant createdAt, Instant updatedAt) {

  Webhook {
    events = List.copyOf(new LinkedHashSet<>(events));
    secrets = List.copyOf(secrets);
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
    List<SigningSecret> secrets = new ArrayList<>();
    doc.getJsonArray("secrets", new JsonArray()).forEach(secret -> secrets.add(SigningSecret.fromDocument((JsonObject) secret)));
    List<String> events = doc.getJsonArray("events", new JsonArray()).stream().map(String::valueOf).toList();
    return new Webhook(doc.getString("_id"), doc.getString("tenantId"), doc.getString("url"), events, doc.getBoolean("active", true),
      secrets, doc.getLong("secretsVersion", 0L), doc.getString("disabledReason"), Mongo.instant(doc.getValue("disabledAt")),
      Mongo.instant(doc.getValue("createdAt")), Mongo.instant(doc.getValue("updatedAt")));
  }

  JsonObject toDocument() {
    JsonArray storedSecrets = new JsonArray();
    secrets.forEach(secret -> storedSecrets.add(secret.toDocument()));
    JsonObject doc = new JsonObject().put("_id", id).put("tenantId", tenantId).put("url", url).put("events", new JsonArray(events))
      .put("active", active).put("secrets", storedSecrets).put("secretsVersion", secretsVersion).put("createdAt", Mongo.date(createdAt));
    if (disabledReason != null) doc.put("disabledReason", disabledReason);
    if (disabledAt != null) doc.put("disabledAt", Mongo.date(disabledAt));
    if (updatedAt != null) doc.put("updatedAt", Mongo.date(updatedAt));
    return doc;
  }

  /** What clients see (the contract's {@code Webhook}): never a secret. */
  JsonObject toApi() {
    JsonObject api = new JsonObject().put("id", id).put("url", url).put("events", new JsonArray(events)).put("active", active)
      .put("createdAt", Mongo.apiInstant(createdAt));
    if (disabledReason != null) api.put("disabledReason", disabledReason);
    if (disabledAt != null) api.put("disabledAt", Mongo.apiInstant(disabledAt));
    if (updatedAt != null) api.put("updatedAt", Mongo.apiInstant(updatedAt));
    return api;
  }
}
