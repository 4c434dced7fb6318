package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
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

  /** Whether {@link #after} can tell the result: only top-level fields are set or removed. */
  static boolean predictable(JsonObject set, JsonObject unset) {
    return set.fieldNames().stream().noneMatch(f -> f.indexOf('.') >= 0)
      && (unset == null || unset.fieldNames().stream().noneMatch(f -> f.indexOf('.') >= 0));
  }

  /** The document as the compare-and-set leaves it (for {@link #predictable} changes). */
  static JsonObject after(JsonObject before, JsonObject set, JsonObject unset) {
    JsonObject after = before.copy();
    if (unset != null) unset.fieldNames().forEach(after::remove);
    set.forEach(e -> after.put(e.getKey(), e.getValue() instanceof JsonObject o ? o.copy() : e.getValue()));
    return after.put("version", before.getLong("version", 0L) + 1);
  }

  static ServiceError changed(String collection, JsonObject before) {
    return new ServiceError(ErrorCode.CONFLICT, "A document in " + collection + " changed concurrently; nothing was changed, retry");
  }
}
