package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor pagination in {@code _id} order (ids are ObjectIds, so this is creation order and stable under inserts),
 * oldest first, or newest first when {@code newestFirst}. The cursor is opaque to clients: the base64url of the last id
 * of the previous page.
 */
public record Page(int limit, String afterId, boolean newestFirst) {
  public Page(int limit, String afterId) {
    this(limit, afterId, false);
  }

  /** The same page, newest first (the cursor then points at the next older id). */
  public Page newestFirst(boolean newest) {
    return new Page(limit, afterId, newest);
  }

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  /** The envelope of a page: its items, and the cursor of the next page (null on the last). */
  static final String ITEMS = "items";
  static final String NEXT_CURSOR = "nextCursor";

  static final String QUERY = "query";

  /** The query parameters of a page: {@code limit} (default {@link #DEFAULT_LIMIT}) and {@code cursor}. */
  private record Asked(Integer limit, String cursor) {
  }

  /** Reads {@code limit} and {@code cursor} from validated query parameters; a malformed cursor is a 400. */
  public static Page from(JsonObject query) {
    Asked asked = RecordCodec.api(Asked.class).decode(query);
    int limit = asked.limit() == null ? DEFAULT_LIMIT : asked.limit();
    if (limit < 1 || limit > MAX_LIMIT) {
      String message = "limit must be between 1 and " + MAX_LIMIT;
      throw ServiceError.invalidParameter(QUERY, "limit", message, "The query parameter limit is invalid: " + message);
    }
    String cursor = asked.cursor();
    if (cursor == null || cursor.isEmpty()) return new Page(limit, null);
    String afterId;
    try {
      afterId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      afterId = null;
    }
    if (!Mongo.isId(afterId)) throw badCursor("send the nextCursor of the previous page unchanged, or leave cursor out for the first page");
    return new Page(limit, afterId);
  }

  /** The 400 for a {@code cursor} this API did not return, saying {@code what} to send instead. */
  static ServiceError badCursor(String what) {
    return ServiceError.invalidParameter(QUERY, "cursor", "Not a cursor this API returned: " + what,
      "The query parameter cursor is not a cursor this API returned: " + what);
  }

  /** Adds the cursor condition to a tenant-scoped filter (beside any {@code _id} bounds it has, see {@link Mongo#createdBetween}). */
  public JsonObject filter(JsonObject filter) {
    if (afterId == null) return filter;
    Object ids = filter.getValue(Fields.ID);
    JsonObject after = newestFirst ? Ops.lt(afterId) : Ops.gt(afterId);
    if (ids instanceof JsonObject bounds && !bounds.isEmpty() && bounds.fieldNames().iterator().next().startsWith("$")) {
      // a newest-first cursor below an upper bound of the range: the tighter of the two
      if (newestFirst) bounds.remove("$lte");
      bounds.mergeIn(after);
    } else {
      filter.put(Fields.ID, after);
    }
    return filter;
  }

  /** Adds the cursor condition for a page in newest-first order ({@link #newestFirstOptions}): the ids before the cursor's. */
  public JsonObject filterNewestFirst(JsonObject filter) {
    return afterId == null ? filter : filter.put(Fields.ID, Ops.lt(afterId));
  }

  /** {@link #findOptions} in descending {@code _id} order: newest first. */
  public FindOptions newestFirstOptions() {
    return new FindOptions().setSort(Ops.sort("-" + Fields.ID)).setLimit(limit + 1);
  }

  /** Fetches one more than asked, to know whether a next page exists without a count. */
  public FindOptions findOptions() {
    return new FindOptions().setSort(Ops.sort(newestFirst ? "-" + Fields.ID : Fields.ID)).setLimit(limit + 1);
  }

  /** {@code {items: [...], nextCursor: "..." | null}}. */
  public JsonObject result(List<JsonObject> docs, Function<JsonObject, JsonObject> toApi) {
    boolean more = docs.size() > limit;
    List<JsonObject> pageDocs = more ? docs.subList(0, limit) : docs;
    JsonArray items = new JsonArray();
    pageDocs.forEach(d -> items.add(toApi.apply(d)));
    String next = more
      ? Base64.getUrlEncoder().withoutPadding().encodeToString(
          pageDocs.get(pageDocs.size() - 1).getString(Fields.ID).getBytes(StandardCharsets.UTF_8))
      : null;
    // the envelope always names nextCursor, null on the last page
    return new JsonObject().put(ITEMS, items).put(NEXT_CURSOR, next);
  }
}
