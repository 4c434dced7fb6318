package io.stockroom.platform.schema;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;

import java.util.concurrent.TimeUnit;

/**
 * One index as the manifest declares it. Its name is its identity: MongoDB refuses to change the keys or options of an
 * index under an existing name, so a changed index gets a new name and the old one is retired.
 *
 * @param keys              field → 1 or -1, in order
 * @param expireAfterSeconds a TTL index's delay, or null
 * @param sparse            leaves out the documents without the (single) field, so any number of them may lack it
 * @param standInOnly       needed only by the embedded stand-in's query planner (it serves a query from an index only
 *                          when the query's fields equal the index's); never created on a real server
 */
public record IndexSpec(String name, JsonObject keys, boolean unique, boolean sparse, Long expireAfterSeconds, boolean standInOnly) {

  /** {@code fields} ascending. */
  public static IndexSpec of(String name, String... fields) {
    return new IndexSpec(name, ascending(fields), false, false, null, false);
  }

  public static IndexSpec unique(String name, String... fields) {
    return new IndexSpec(name, ascending(fields), true, false, null, false);
  }

  /** Unique among the documents that have {@code field}; any number of others may lack it. */
  public static IndexSpec uniqueSparse(String name, String field) {
    return new IndexSpec(name, ascending(field), true, true, null, false);
  }

  /** Removes documents once the date in {@code field} has passed. */
  public static IndexSpec expiring(String name, String field) {
    return new IndexSpec(name, ascending(field), false, false, 0L, false);
  }

  /** The {tenantId, _id} unique index: a tenant's documents in id order (its pages), and the scoped lookup by id. */
  public static IndexSpec scopedId() {
    return unique("tenant_id", Fields.TENANT_ID, Fields.ID);
  }

  /** A list page filtered by {@code fields}: {tenantId, fields..., _id}, one index range per page. */
  public static IndexSpec list(String... fields) {
    String[] keys = new String[fields.length + 2];
    keys[0] = Fields.TENANT_ID;
    System.arraycopy(fields, 0, keys, 1, fields.length);
    keys[keys.length - 1] = Fields.ID;
    return of("tenant_" + (fields.length == 0 ? "" : String.join("_", fields) + "_") + "id", keys);
  }

  /**
   * {tenantId, _id, writtenBy, fence}: lets a guarded write ({@code platform/unit/CompareAndSet}) be an exact index hit
   * on the stand-in. MongoDB serves the same filter from {@code _id}, so it is never built there.
   */
  public static IndexSpec writeIdentity() {
    return new IndexSpec("tenant_id_writer", ascending(Fields.TENANT_ID, Fields.ID, "writtenBy", "fence"), true, false, null, true);
  }

  /** Keys with their directions ({@code {"tenantId": 1, "salesCap": -1}}), for sorts that run backwards. */
  public static IndexSpec of(String name, JsonObject keys) {
    return new IndexSpec(name, keys.copy(), false, false, null, false);
  }

  IndexOptions options() {
    IndexOptions options = new IndexOptions().name(name).unique(unique).sparse(sparse);
    if (expireAfterSeconds != null) options.expireAfter(expireAfterSeconds, TimeUnit.SECONDS);
    return options;
  }

  /** What the manifest snapshot shows of an index: its options only when they are set. */
  record Description(String name, JsonObject keys, Boolean unique, Boolean sparse, Long expireAfterSeconds, Boolean standInOnly) {
  }

  /** An index as MongoDB lists it ({@code listIndexes}); its flags as the server or a shell wrote them (true, or 1). */
  record Listed(String name, JsonObject key, Object unique, Object sparse, Object expireAfterSeconds) {
    static Listed of(JsonObject listed) {
      return RecordCodec.fromDocument(Listed.class, listed);
    }

    /** What a report shows of it: its keys, and whether it is unique or expires. */
    record Description(JsonObject keys, Boolean unique, Object expireAfterSeconds) {
    }

    Description describe() {
      return new Description(key, truthy(unique) ? true : null, expireAfterSeconds);
    }
  }

  /** What the manifest snapshot shows of it. */
  public JsonObject describe() {
    return RecordCodec.toApi(new Description(name, keys, unique ? true : null, sparse ? true : null, expireAfterSeconds,
      standInOnly ? true : null));
  }

  /** Whether an index MongoDB lists ({@code listIndexes}) has exactly these keys and options. */
  boolean matches(JsonObject listed) {
    Listed index = Listed.of(listed);
    return sameKeys(index.key()) && truthy(index.unique()) == unique
      && truthy(index.sparse()) == sparse
      && sameNumber(index.expireAfterSeconds(), expireAfterSeconds);
  }

  /** Same fields in the same order with the same directions (the server may answer 1 as 1.0). */
  boolean sameKeys(JsonObject listedKeys) {
    if (listedKeys == null || listedKeys.size() != keys.size()) return false;
    var declared = keys.fieldNames().iterator();
    for (String field : listedKeys.fieldNames()) {
      String expected = declared.next();
      if (!field.equals(expected) || !sameNumber(listedKeys.getValue(field), keys.getValue(expected))) return false;
    }
    return true;
  }

  /** {@code unique: true} as MongoDB lists it, or {@code unique: 1} as a shell may have created it. */
  static boolean truthy(Object flag) {
    return Boolean.TRUE.equals(flag) || flag instanceof Number number && number.doubleValue() != 0;
  }

  private static boolean sameNumber(Object a, Object b) {
    if (a == null || b == null) return a == b;
    return a instanceof Number x && b instanceof Number y && x.doubleValue() == y.doubleValue();
  }

  private static JsonObject ascending(String... fields) {
    JsonObject keys = new JsonObject();
    for (String field : fields) keys.put(field, 1);
    return keys;
  }
}
