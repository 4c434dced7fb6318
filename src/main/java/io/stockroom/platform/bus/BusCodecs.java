package io.stockroom.platform.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * How requests and replies cross the event bus between the HTTP and the service verticles without being copied.
 * Vert.x copies a JsonObject for every local delivery (its codec's {@code transform} is a deep copy), to protect a
 * sender that keeps changing what it sent. Neither side here does: the HTTP verticle builds a {@link BusRequest} for
 * one send, and a service encodes its answer into bytes made for one reply ({@link Reply#encodedBody()}). So locally
 * both are handed over as they are; on the wire (a clustered send) they travel as JSON, as before. Every node
 * registers both codecs before it sends or receives, so any member can decode them.
 */
public final class BusCodecs {
  /** The name of the codec that carries a reply's JSON bytes. */
  public static final String REPLY_BYTES = "stockroom.reply-bytes";
  private static final Map<Vertx, Boolean> REGISTERED = Collections.synchronizedMap(new WeakHashMap<>());

  private BusCodecs() {
  }

  /** Registers both codecs on {@code vertx}'s event bus once, whoever asks first. */
  public static void register(Vertx vertx) {
    REGISTERED.computeIfAbsent(vertx, v -> {
      EventBus bus = v.eventBus();
      bus.registerDefaultCodec(BusRequest.class, new RequestCodec());
      bus.registerCodec(new ReplyBytesCodec());
      return Boolean.TRUE;
    });
  }

  /** A {@link BusRequest} as itself locally, as its JSON on the wire. */
  static final class RequestCodec implements MessageCodec<BusRequest, BusRequest> {
    @Override
    public void encodeToWire(Buffer buffer, BusRequest request) {
      Buffer json = request.toJson().toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public BusRequest decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return BusRequest.fromJson(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)));
    }

    @Override
    public BusRequest transform(BusRequest request) {
      return request;
    }

    @Override
    public String name() {
      return "stockroom.bus-request";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  /** A reply's JSON bytes, not copied locally. */
  static final class ReplyBytesCodec implements MessageCodec<Buffer, Buffer> {
    @Override
    public void encodeToWire(Buffer buffer, Buffer bytes) {
      buffer.appendInt(bytes.length()).appendBuffer(bytes);
    }

    @Override
    public Buffer decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return buffer.getBuffer(pos + 4, pos + 4 + length);
    }

    @Override
    public Buffer transform(Buffer bytes) {
      return bytes;
    }

    @Override
    public String name() {
      return REPLY_BYTES;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
