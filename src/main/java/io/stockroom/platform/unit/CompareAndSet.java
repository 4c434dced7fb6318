package io.stockroom.platform.unit;

import io.vertx.core.json.JsonObject;

/**
 * The one compare-and-set shape both runners write: the filter pins the document to the {@code version} it was read
 * with (plus optional guards), the update sets the new fields and moves the version on by one. Documents without a
 * version field count as version 0.
 */
final class CompareAndSet {
  private CompareAndSet() {
  }

  static JsonObject filter(JsonObject before, JsonObject guard) {
    JsonObject filter = new JsonObject().put("_id", before.getValue("_id"));
    if (before.containsKey("tenantId")) filter.put("tenantId", before.getValue("tenantId"));
    filter.put("version", before.containsKey("version") ? before.getValue("version") : new JsonObject().put("$exists", false));
    if (guard != null) filter.mergeIn(guard);
    return filter;
  }

  static JsonObject update(JsonObject before, JsonObject set, JsonObject unset) {
    JsonObject update = new JsonObject().put("$set", set.copy().put("version", before.getLong("version", 0L) + 1));
    if (unset != null && !unset.isEmpty()) update.put("$unset", unset);
    return update;
  }
}
