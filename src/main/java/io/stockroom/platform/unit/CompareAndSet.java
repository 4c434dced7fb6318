package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one guarded-write shape both runners use. The filter pins the document to exactly the write it was read after,
 * by that write's identity ({@code writtenBy}: the unit and step that wrote it, absent for a document no unit wrote
 * yet; every other writer of such a document changes it too) and the fencing token recorded on it, which must not be
 * newer than the writer's; plus optional guards. The update records the new identity and the token, adds the identity to the document's last
 * {@link #RECENT_KEPT} write identities ({@code recentWrites}, undos included) and moves the version on by one. Documents
 * without a version count as version 0.
 *
 * <p>Identities never repeat, and an undo hands a document back to the identity its write was pinned to only together
 * with the content that identity wrote: a filter matches exactly the state that was read (no ABA), and a unit rerun on
 * the same reads after its first run was undone (a retried transaction) finds them again. Whether a write applied is
 * told by the identity the document carries, never by version arithmetic; versions only count writes (every write
 * and every undo adds one), which bounds what the recent identities can tell.
 */
final class CompareAndSet {
  static final String WRITTEN_BY = "writtenBy";
  static final String FENCE = "fence";
  static final String RECENT = "recentWrites";
  /**
   * How many write identities a document keeps: whether a write whose answer was lost applied is read from them, as
   * long as fewer writes came after it.
   */
  static final int RECENT_KEPT = 8;

  private CompareAndSet() {
  }

  /** The identity of step {@code step} of unit {@code unitId}; later steps of a unit compare greater. */
  static String writeId(String unitId, int step) {
    return unitId + ":" + step;
  }

  /** The unit that made write {@code writeId} ({@code unitId:step}), or null for an identity of another form. */
  static String unitOf(String writeId) {
    int separator = writeId == null ? -1 : writeId.lastIndexOf(':');
    return separator > 0 ? writeId.substring(0, separator) : null;
  }

  /** The step of {@code writeId} if unit {@code unitId} made it, else -1. */
  static int stepOf(String writeId, String unitId) {
    if (writeId == null || !writeId.startsWith(unitId + ":")) return -1;
    try {
      return Integer.parseInt(writeId.substring(unitId.length() + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The filter pins the identity and the token the document was read with, each by equality (null matches a missing
   * field), so that on the embedded server it is one hit of the {tenantId, _id, writtenBy, fence} index; the writer
   * checks beforehand that the token it read is not newer than its own ({@link #fencedOut}), so a document whose token
   * grew since cannot match. The fence argument is unused here and kept for symmetry with {@link #update}.
   */
  static JsonObject filter(JsonObject before, JsonObject guard, Long fence) {
    JsonObject filter = Ops.where(Fields.ID, before.getValue(Fields.ID));
    if (before.containsKey(Fields.TENANT_ID)) filter.put(Fields.TENANT_ID, before.getValue(Fields.TENANT_ID));
    filter.put(WRITTEN_BY, before.getValue(WRITTEN_BY)).put(FENCE, before.getValue(FENCE));
    if (guard != null) filter.mergeIn(guard);
    return filter;
  }

  /** Whether a newer lock holder than {@code fence} already wrote the document as read: the write must not be sent. */
  static boolean fencedOut(JsonObject before, Long fence) {
    Long recorded = before.getLong(FENCE);
    return fence != null && recorded != null && recorded > fence;
  }

  static JsonObject update(JsonObject before, JsonObject set, JsonObject unset, String writeId, Long fence) {
    JsonObject stamped = set.copy().put(WRITTEN_BY, writeId);
    if (fence != null) stamped.put(FENCE, fence);
    JsonObject update = Ops.merge(Ops.set(stamped), Ops.inc(Fields.VERSION, 1L), recorded(writeId));
    return unset != null && !unset.isEmpty() ? Ops.merge(update, Ops.unset(unset.fieldNames().toArray(String[]::new))) : update;
  }

  /** The {@code $push} that adds {@code writeId} to the recent write identities, keeping the last {@link #RECENT_KEPT}. */
  static JsonObject recorded(String writeId) {
    return Ops.pushEach(RECENT, new JsonArray().add(writeId), -RECENT_KEPT);
  }

  /**
   * Whether the recent write identities of {@code now} name every write made since {@code version} (each write and
   * each undo moves the version by exactly one), so that an identity missing from them never applied. A document
   * that never reached {@code version} never saw a write pinned to it either.
   */
  static boolean coversSince(JsonObject now, Long version) {
    if (version == null) return false;
    long since = now.getLong(Fields.VERSION, 0L) - version;
    return since <= now.getJsonArray(RECENT, new JsonArray()).size();
  }

  /** Whether {@link #after} can tell the result: only top-level fields are set or removed. */
  static boolean predictable(JsonObject set, JsonObject unset) {
    return set.fieldNames().stream().noneMatch(f -> f.indexOf('.') >= 0)
      && (unset == null || unset.fieldNames().stream().noneMatch(f -> f.indexOf('.') >= 0));
  }

  /** The document as the compare-and-set leaves it (for {@link #predictable} changes). */
  static JsonObject after(JsonObject before, JsonObject set, JsonObject unset, String writeId, Long fence) {
    JsonObject after = before.copy();
    if (unset != null) unset.fieldNames().forEach(after::remove);
    set.forEach(e -> after.put(e.getKey(), e.getValue() instanceof JsonObject o ? o.copy() : e.getValue()));
    after.put(Fields.VERSION, before.getLong(Fields.VERSION, 0L) + 1).put(WRITTEN_BY, writeId);
    if (fence != null) after.put(FENCE, fence);
    JsonArray recent = before.getJsonArray(RECENT, new JsonArray()).copy().add(writeId);
    while (recent.size() > RECENT_KEPT) recent.remove(0);
    return after.put(RECENT, recent);
  }

  static ServiceError changed(String collection, JsonObject before) {
    return new ServiceError(ErrorCode.CONFLICT, "A document in " + collection + " changed concurrently; nothing was changed, retry");
  }

}
