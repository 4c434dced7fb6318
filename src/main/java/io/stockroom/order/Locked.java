package io.stockroom.order;

import io.stockroom.platform.lock.LockKeys;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** An order or a reservation and the variants it names, as read under their locks. */
record Locked(JsonObject document, Map<String, JsonObject> variants) {
  List<String> variantKeys() {
    return variants.keySet().stream().map(id -> LockKeys.variant(document.getString("tenantId"), id)).toList();
  }
}
