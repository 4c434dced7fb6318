package io.stockroom.inventory;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Documents and messages that have always carried some keys even when null (RecordCodec leaves nulls out): those
 * keys go back in, so that what is stored and sent keeps its shape.
 */
final class StoredNulls {
  private StoredNulls() {
  }

  /** {@code json} with each of {@code keys} it lacks present as null. */
  static JsonObject keep(JsonObject json, List<String> keys) {
    for (String key : keys) {
      if (!json.containsKey(key)) json.putNull(key);
    }
    return json;
  }
}
