package io.stockroom.order;

import io.vertx.core.json.JsonObject;

/**
 * Fields a document stores, and the contract shows, as null when they have no value (an order's customer and note, a
 * reservation's reference, a return's reason): RecordCodec leaves nulls out, so these are put back.
 */
final class NullFields {
  private NullFields() {
  }

  static JsonObject kept(JsonObject json, String... keys) {
    for (String key : keys) {
      if (!json.containsKey(key)) json.putNull(key);
    }
    return json;
  }
}
