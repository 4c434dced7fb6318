package io.stockroom.platform.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * A response too large for one event-bus message, served in chunks the reader pulls: the service opens a stream on a
 * fresh local address and answers the request with it; the reader sends {@code pull} messages, each answered with
 * the next chunk {@code {data, last}}, and asks for the next one only once it could write the previous (so at most
 * one chunk is in memory on either side). A stream nobody pulls for {@code idleMs} (the reader went away) closes
 * itself and releases its source; {@code cancel} closes it at once.
 */
public final class PullStream {
  private static final String PREFIX = "stockroom.streams.";
  public static final String ACTION_HEADER = "action";

  /** Where a stream's chunks come from. */
  public interface Source {
    /** The next chunk; {@code last} ends the stream. Never called again before the previous chunk completed. */
    Future<Chunk> next();

    /** Releases what the source holds (a database cursor); called once, whether or not it reached its end. */
    void close();
  }

  public record Chunk(String data, boolean last) {
    public JsonObject toJson() {
      return new JsonObject().put("data", data).put("last", last);
    }

    public static Chunk fromJson(JsonObject json) {
      return new Chunk(json.getString("data", ""), json.getBoolean("last", true));
    }
  }

  private PullStream() {
  }

  /** Serves {@code source} on a new local address and answers that address. */
  public static String open(Vertx vertx, Source source, long idleMs) {
    String address = PREFIX + UUID.randomUUID();
    Runnable[] close = new Runnable[1];
    long[] idleTimer = new long[1];
    MessageConsumer<Object> consumer = vertx.eventBus().localConsumer(address);
    close[0] = () -> {
      vertx.cancelTimer(idleTimer[0]);
      consumer.unregister();
      source.close();
    };
    idleTimer[0] = vertx.setTimer(idleMs, id -> close[0].run());
    consumer.handler(message -> {
      vertx.cancelTimer(idleTimer[0]);
      if ("cancel".equals(message.headers().get(ACTION_HEADER))) {
        close[0].run();
        message.reply(null);
        return;
      }
      source.next().onComplete(chunk -> {
        if (chunk.failed()) {
          close[0].run();
          ServiceError error = chunk.cause() instanceof ServiceError se ? se
            : new ServiceError(ErrorCode.UNAVAILABLE, "The export could not be read to its end; retry");
          message.fail(error.code().status(), error.toWire());
          return;
        }
        message.reply(chunk.result().toJson());
        if (chunk.result().last()) {
          close[0].run();
        } else {
          idleTimer[0] = vertx.setTimer(idleMs, id -> close[0].run());
        }
      });
    });
    return address;
  }
}
