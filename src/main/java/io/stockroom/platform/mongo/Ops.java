package io.stockroom.platform.mongo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;

/**
 * MongoDB's query and update operators as methods, so that filters and updates name fields by their owners' constants
 * and operators by name: {@code Ops.set(new JsonObject().put(STATE, ...))}, {@code where(VERSION, Ops.lt(v))}.
 */
public final class Ops {
  private Ops() {
  }

  /** {@code {field: value}}: an equality filter, or a single-field document. */
  public static JsonObject where(String field, Object value) {
    return new JsonObject().put(field, value);
  }

  public static JsonObject set(JsonObject fields) {
    return new JsonObject().put("$set", fields);
  }

  public static JsonObject set(String field, Object value) {
    return set(where(field, value));
  }

  public static JsonObject setOnInsert(JsonObject fields) {
    return new JsonObject().put("$setOnInsert", fields);
  }

  public static JsonObject inc(JsonObject fields) {
    return new JsonObject().put("$inc", fields);
  }

  public static JsonObject inc(String field, Object by) {
    return inc(where(field, by));
  }

  public static JsonObject unset(String... fields) {
    JsonObject unset = new JsonObject();
    for (String field : fields) unset.put(field, "");
    return new JsonObject().put("$unset", unset);
  }

  public static JsonObject push(String field, Object value) {
    return new JsonObject().put("$push", where(field, value));
  }

  /** {@code {$push: {field: {$each: values}}}}: appends every one of {@code values}. */
  public static JsonObject pushEach(String field, JsonArray values) {
    return new JsonObject().put("$push", where(field, new JsonObject().put("$each", values)));
  }

  /** {@code {$push: {field: {$each: values, $slice: slice}}}}: appends, then keeps what {@code slice} says (-n: the last n). */
  public static JsonObject pushEach(String field, JsonArray values, int slice) {
    return new JsonObject().put("$push", where(field, new JsonObject().put("$each", values).put("$slice", slice)));
  }

  /** {@code {$max: {field: value}}}: raises the field to {@code value}, never lowers it. */
  public static JsonObject max(String field, Object value) {
    return new JsonObject().put("$max", where(field, value));
  }

  public static JsonObject pull(String field, Object condition) {
    return new JsonObject().put("$pull", where(field, condition));
  }

  public static JsonObject addToSet(String field, Object value) {
    return new JsonObject().put("$addToSet", where(field, value));
  }

  /** Several update operators in one update: {@code Ops.merge(set(..), inc(..))}. */
  public static JsonObject merge(JsonObject... updates) {
    JsonObject merged = new JsonObject();
    for (JsonObject update : updates) {
      update.forEach(entry -> {
        Object existing = merged.getValue(entry.getKey());
        if (existing instanceof JsonObject fields && entry.getValue() instanceof JsonObject more) fields.mergeIn(more);
        else merged.put(entry.getKey(), entry.getValue());
      });
    }
    return merged;
  }

  public static JsonObject in(Collection<?> values) {
    return new JsonObject().put("$in", new JsonArray(new java.util.ArrayList<>(values)));
  }

  public static JsonObject in(JsonArray values) {
    return new JsonObject().put("$in", values);
  }

  public static JsonObject nin(Collection<?> values) {
    return new JsonObject().put("$nin", new JsonArray(new java.util.ArrayList<>(values)));
  }

  public static JsonObject ne(Object value) {
    return new JsonObject().put("$ne", value);
  }

  public static JsonObject lt(Object value) {
    return new JsonObject().put("$lt", value);
  }

  public static JsonObject lte(Object value) {
    return new JsonObject().put("$lte", value);
  }

  public static JsonObject gt(Object value) {
    return new JsonObject().put("$gt", value);
  }

  public static JsonObject gte(Object value) {
    return new JsonObject().put("$gte", value);
  }

  public static JsonObject exists(boolean exists) {
    return new JsonObject().put("$exists", exists);
  }

  public static JsonObject and(JsonObject... filters) {
    return new JsonObject().put("$and", new JsonArray(java.util.List.of((Object[]) filters)));
  }

  public static JsonObject or(JsonObject... filters) {
    return new JsonObject().put("$or", new JsonArray(java.util.List.of((Object[]) filters)));
  }

  public static JsonObject elemMatch(JsonObject filter) {
    return new JsonObject().put("$elemMatch", filter);
  }

  /** A sort or projection: {@code fields} in order, each ascending (1) unless given as {@code -field}. */
  public static JsonObject sort(String... fields) {
    JsonObject sort = new JsonObject();
    for (String field : fields) {
      if (field.startsWith("-")) sort.put(field.substring(1), -1);
      else sort.put(field, 1);
    }
    return sort;
  }

  /** A projection keeping only {@code fields}. */
  public static JsonObject only(String... fields) {
    JsonObject projection = new JsonObject();
    for (String field : fields) projection.put(field, 1);
    return projection;
  }
}
