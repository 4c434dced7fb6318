package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.PullStream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Function;

/**
 * A long read (an export) as a series of short queries: each chunk is one query for the rows after the last one sent,
 * in {@code _id} order, so no request outlives the operation timeout however many rows there are, and a failover
 * between chunks costs nothing (a server cursor would die with its primary). Memory holds one chunk.
 */
public final class KeysetPages implements PullStream.Source {
  private final MongoClient mongo;
  private final String collection;
  private final JsonObject filter;
  private final Function<JsonObject, String> line;
  private final int pageRows;
  private String header;
  private String lastId;
  private boolean ended;

  /**
   * @param header the first line (a CSV header), or null
   * @param line   a row's line, or null when the row makes none
   */
  public KeysetPages(MongoClient mongo, String collection, JsonObject filter, String header, Function<JsonObject, String> line,
                     int pageRows) {
    this.mongo = mongo;
    this.collection = collection;
    this.filter = filter;
    this.header = header;
    this.line = line;
    this.pageRows = pageRows;
  }

  @Override
  public Future<PullStream.Chunk> next() {
    if (ended) return Future.succeededFuture(new PullStream.Chunk("", true));
    FindOptions options = new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(pageRows);
    return mongo.findWithOptions(collection, pageFilter(), options).map(rows -> {
      StringBuilder data = new StringBuilder();
      if (header != null) {
        data.append(header).append('\n');
        header = null;
      }
      for (JsonObject row : rows) {
        String text = line.apply(row);
        if (text != null) data.append(text).append('\n');
      }
      if (!rows.isEmpty()) lastId = rows.get(rows.size() - 1).getString(Fields.ID);
      ended = rows.size() < pageRows;
      return new PullStream.Chunk(data.toString(), ended);
    });
  }

  /** The caller's filter, narrowed to the rows after the last one sent (an id range of the caller's keeps its end). */
  JsonObject pageFilter() {
    return new Page(pageRows, lastId).filter(filter.copy());
  }

  @Override
  public void close() {
    ended = true;
  }
}
