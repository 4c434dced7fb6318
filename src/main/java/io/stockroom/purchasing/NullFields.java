package io.stockroom.purchasing;

import io.vertx.core.json.JsonObject;

/**
 * Fields a document stores, and the contract shows, as null when they have no value (a purchase order's note and
 * expected date, a receipt's note): RecordCodec leaves nulls out, so these are put back.
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
