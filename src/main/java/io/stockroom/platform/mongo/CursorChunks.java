package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.PullStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * A database cursor read in chunks of at most {@code chunkRows} formatted lines: the cursor is paused whenever a
 * chunk's worth of rows is waiting, so memory holds one chunk whatever the size of the result.
 */
public final class CursorChunks implements PullStream.Source {
  private final ReadStream<JsonObject> cursor;
  private final Function<JsonObject, String> line;
  private final int chunkRows;
  private final Deque<String> waiting = new ArrayDeque<>();
  private String header;
  private boolean ended;
  private Throwable failure;
  private Promise<PullStream.Chunk> pending;

  /** @param header the first line (a CSV header), or null; @param line a row's line(s), or null to leave the row out */
  public CursorChunks(ReadStream<JsonObject> cursor, String header, Function<JsonObject, String> line, int chunkRows) {
    this.cursor = cursor;
    this.header = header;
    this.line = line;
    this.chunkRows = chunkRows;
    cursor.pause();
    cursor.handler(row -> {
      String text = line.apply(row);
      if (text == null) return;
      waiting.add(text);
      if (waiting.size() >= chunkRows) {
        cursor.pause();
        deliver();
      }
    });
    cursor.endHandler(v -> {
      ended = true;
      deliver();
    });
    cursor.exceptionHandler(err -> {
      failure = err;
      deliver();
    });
  }

  @Override
  public Future<PullStream.Chunk> next() {
    pending = Promise.promise();
    Future<PullStream.Chunk> next = pending.future();
    if (waiting.size() >= chunkRows || ended || failure != null) {
      deliver();
    } else {
      cursor.fetch(chunkRows - waiting.size());
    }
    return next;
  }

  private void deliver() {
    if (pending == null) return;
    Promise<PullStream.Chunk> promise = pending;
    pending = null;
    if (failure != null) {
      promise.fail(failure);
      return;
    }
    StringBuilder data = new StringBuilder();
    if (header != null) {
      data.append(header).append('\n');
      header = null;
    }
    for (int i = 0; i < chunkRows && !waiting.isEmpty(); i++) data.append(waiting.poll()).append('\n');
    promise.complete(new PullStream.Chunk(data.toString(), ended && waiting.isEmpty()));
  }

  @Override
  public void close() {
    if (!ended) {
      cursor.handler(null);
      ended = true;
    }
  }
}
