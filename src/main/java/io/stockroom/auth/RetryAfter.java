package io.stockroom.auth;

import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

/** The extension of a refusal that says when to try again ({@code retryAfterSeconds}), as the gateway answers it. */
record RetryAfter(long retryAfterSeconds) {
  static JsonObject seconds(long seconds) {
    return RecordCodec.toApi(new RetryAfter(seconds));
  }
}
