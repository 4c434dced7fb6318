package io.stockroom.webhook;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** One secret an endpoint's messages are signed with; after a rotation an older one signs until {@code expiresAt}. */
record SigningSecret(String value, Instant createdAt, Instant expiresAt) {

  boolean signsAt(Instant now) {
    return expiresAt == null || expiresAt.isAfter(now);
  }

  /** The same secret, signing at most until {@code end}. */
  SigningSecret endingBy(Instant end) {
    return expiresAt != null ? this : new SigningSecret(value, createdAt, end);
  }

  static SigningSecret fromDocument(JsonObject doc) {
    return new SigningSecret(doc.getString("value"), Mongo.instant(doc.getValue("createdAt")), Mongo.instant(doc.getValue("expiresAt")));
  }

  JsonObject toDocument() {
    JsonObject doc = new JsonObject().put("value", value).put("createdAt", Mongo.date(createdAt));
    if (expiresAt != null) doc.put("expiresAt", Mongo.date(expiresAt));
    return doc;
  }
}
