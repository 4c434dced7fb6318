package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.bus.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor pagination in {@code _id} order (ids are ObjectIds, so this is creation order and stable under inserts).
 * The cursor is opaque to clients: the base64url of the last id of the previous page.
 */
public record Page(int limit, String afterId) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /** Reads {@code limit} and {@code cursor} from validated query parameters; a malformed cursor is a 400. */
  public static Page from(JsonObject query) {
    int limit = query.getInteger("limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ServiceError(ErrorCode.VALIDATION, "limit must be between 1 and " + MAX_LIMIT);
    }
    String cursor = query.getString("cursor");
    if (cursor == null || cursor.isEmpty()) return new Page(limit, null);
    String afterId;
    try {
      afterId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      afterId = null;
    }
    if (!Mongo.isId(afterId)) throw new ServiceError(ErrorCode.VALIDATION, "cursor is not a cursor returned by this API");
    return new Page(limit, afterId);
  }

  /** Adds the cursor condition to a tenant-scoped filter (beside any {@code _id} bounds it has, see {@link Mongo#createdBetween}). */
  public JsonObject filter(JsonObject filter) {
    if (afterId == null) return filter;
    Object ids = filter.getValue("_id");
    if (ids instanceof JsonObject bounds && !bounds.isEmpty() && bounds.fieldNames().iterator().next().startsWith("$")) {
      bounds.put("$gt", afterId);
    } else {
      filter.put("_id", new JsonObject().put("$gt", afterId));
    }
    return filter;
  }

  /** Fetches one more than asked, to know whether a next page exists without a count. */
  public FindOptions findOptions() {
    return new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(limit + 1);
  }

  /** {@code {items: [...], nextCursor: "..." | null}}. */
  public JsonObject result(List<JsonObject> docs, Function<JsonObject, JsonObject> toApi) {
    boolean more = docs.size() > limit;
    List<JsonObject> pageDocs = more ? docs.subList(0, limit) : docs;
    JsonArray items = new JsonArray();
    pageDocs.forEach(d -> items.add(toApi.apply(d)));
    String next = more
      ? Base64.getUrlEncoder().withoutPadding().encodeToString(
          pageDocs.get(pageDocs.size() - 1).getString("_id").getBytes(StandardCharsets.UTF_8))
      : null;
    return new JsonObject().put("items", items).put("nextCursor", next);
  }
}
