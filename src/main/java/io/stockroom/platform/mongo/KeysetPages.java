package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.PullStream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;
import java.util.function.Function;

/**
 * A long read (an export) as a series of short queries: each chunk is one query for the rows after the last one sent,
 * in {@code (sortField, _id)} order, so no request outlives the operation timeout however many rows there are, and
 * a failover between chunks costs nothing (a server cursor would die with its primary). Memory holds one chunk.
 */
public final class KeysetPages implements PullStream.Source {
  private final MongoClient mongo;
  private final String collection;
  private final JsonObject filter;
  private final String sortField;
  private final Function<JsonObject, String> line;
  private final int pageRows;
  private String header;
  private Object lastValue;
  private String lastId;
  private boolean ended;

  /**
   * @param sortField the field rows are ordered by before {@code _id} (an index {filter fields..., sortField, _id}
   *                  serves every page), or null for {@code _id} order
   * @param header    the first line (a CSV header), or null
   */
  public KeysetPages(MongoClient mongo, String collection, JsonObject filter, String sortField, String header,
                     Function<JsonObject, String> line, int pageRows) {
    this.mongo = mongo;
    this.collection = collection;
    this.filter = filter;
    this.sortField = sortField;
    this.header = header;
    this.line = line;
    this.pageRows = pageRows;
  }

  @Override
  public Future<PullStream.Chunk> next() {
    if (ended) return Future.succeededFuture(new PullStream.Chunk("", true));
    JsonObject sort = new JsonObject();
    if (sortField != null) sort.put(sortField, 1);
    sort.put("_id", 1);
    return mongo.findWithOptions(collection, pageFilter(), new FindOptions().setSort(sort).setLimit(pageRows)).map(rows -> {
      StringBuilder data = new StringBuilder();
      if (header != null) {
        data.append(header).append('\n');
        header = null;
      }
      for (JsonObject row : rows) data.append(line.apply(row)).append('\n');
      if (!rows.isEmpty()) {
        JsonObject last = rows.get(rows.size() - 1);
        lastId = last.getString("_id");
        if (sortField != null) lastValue = last.getValue(sortField);
      }
      ended = rows.size() < pageRows;
      return new PullStream.Chunk(data.toString(), ended);
    });
  }

  /** The caller's filter, narrowed to the rows after the last one sent. */
  JsonObject pageFilter() {
    if (lastId == null) return filter;
    JsonObject after = new JsonObject().put("$gt", lastId);
    if (sortField == null) return filter.copy().put("_id", after);
    JsonObject keyset = new JsonObject().put("$or", new JsonArray(List.of(
      new JsonObject().put(sortField, new JsonObject().put("$gt", lastValue)),
      new JsonObject().put(sortField, lastValue).put("_id", after))));
    return filter.containsKey("$or") ? new JsonObject().put("$and", new JsonArray().add(filter).add(keyset))
      : filter.copy().mergeIn(keyset);
  }

  @Override
  public void close() {
    ended = true;
  }
}
