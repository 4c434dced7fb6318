package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset pages of the documents changed after an instant, for incremental sync ({@code updatedAfter}): in
 * {@code (updatedAt, _id)} order, so that a page boundary between two documents written in the same millisecond
 * neither repeats nor skips one, and a document written again meanwhile reappears on a later page. Served by an index
 * {tenantId, updatedAt, _id}. The cursor is opaque to clients: base64url of {@code "<updatedAt>|<id>"} of the last
 * document of the previous page.
 */
public record ChangePage(int limit, Instant after, String afterId) {
  private record Asked(Integer limit, String cursor) {
  }

  /** The page {@code query} asks for ({@code limit}, {@code cursor}) of the documents changed after {@code updatedAfter}. */
  public static ChangePage from(String updatedAfter, JsonObject query) {
    Instant after;
    try {
      after = Mongo.parseInstant("updatedAfter", updatedAfter);
    } catch (ServiceError e) {
      throw ServiceError.invalidParameter(Page.QUERY, "updatedAfter", e.getMessage(), "The query parameter " + e.getMessage());
    }
    Asked asked = RecordCodec.api(Asked.class).decode(query);
    int limit = Page.from(new JsonObject().put("limit", asked.limit())).limit();
    if (asked.cursor() == null || asked.cursor().isEmpty()) return new ChangePage(limit, after, null);
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(asked.cursor()), StandardCharsets.UTF_8).split("\\|", -1);
      if (parts.length == 2 && Mongo.isId(parts[1])) return new ChangePage(limit, Mongo.parseInstant("cursor", parts[0]), parts[1]);
    } catch (IllegalArgumentException | ServiceError e) {
      // not base64url, or not an instant this API could have written: the same 400 as any other bad cursor
    }
    throw Page.badCursor("send the nextCursor of the previous updatedAfter page unchanged, or leave cursor out for the first page");
  }

  /** The tenant-scoped filter with the page's lower bound. */
  public JsonObject filter(JsonObject scoped) {
    JsonObject filter = scoped.copy();
    if (afterId == null) return filter.put(Fields.UPDATED_AT, Ops.gt(Mongo.date(after)));
    JsonArray either = new JsonArray()
      .add(Ops.where(Fields.UPDATED_AT, Ops.gt(Mongo.date(after))))
      .add(Ops.where(Fields.UPDATED_AT, Mongo.date(after)).put(Fields.ID, Ops.gt(afterId)));
    return filter.put("$or", either);
  }

  /** One more than asked, to know whether a next page exists without a count. */
  public FindOptions findOptions() {
    return new FindOptions().setSort(Ops.sort(Fields.UPDATED_AT, Fields.ID)).setLimit(limit + 1);
  }

  /** {@code {items: [...], nextCursor: "..." | null}}, as {@link Page#result}. */
  public JsonObject result(List<JsonObject> docs, Function<JsonObject, JsonObject> toApi) {
    boolean more = docs.size() > limit;
    List<JsonObject> pageDocs = more ? docs.subList(0, limit) : docs;
    JsonArray items = new JsonArray();
    pageDocs.forEach(d -> items.add(toApi.apply(d)));
    String next = null;
    if (more) {
      JsonObject last = pageDocs.get(pageDocs.size() - 1);
      String at = Instant.parse(last.getJsonObject(Fields.UPDATED_AT).getString("$date")).toString();
      next = Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + last.getString(Fields.ID)).getBytes(StandardCharsets.UTF_8));
    }
    return new JsonObject().put(Page.ITEMS, items).put(Page.NEXT_CURSOR, next);
  }
}
