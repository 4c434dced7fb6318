package io.stockroom.platform.bus;

import io.stockroom.platform.security.Caller;
import io.stockroom.platform.security.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Requests and replies cross the bus uncopied on one node and as JSON between nodes, unchanged either way. */
class BusCodecsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static BusRequest request() {
    return BusRequest.of(new Caller("65f000000000000000000001", "65f000000000000000000002", Role.MANAGER),
        new JsonObject().put("variantId", "65f000000000000000000003"), new JsonObject().put("limit", 20),
        new JsonObject().put("name", "Ünïcode \"quoted\"").put("lines", new JsonArray().add(1).add(2)), "key-1")
      .from("10.0.0.7");
  }

  @Test
  @DisplayName("on the wire (a clustered send) a request and a reply's bytes decode to what was sent")
  void wireRoundTrip() {
    BusRequest sent = request();
    BusCodecs.RequestCodec requests = new BusCodecs.RequestCodec();
    Buffer wire = Buffer.buffer("prefix");
    requests.encodeToWire(wire, sent);
    BusRequest received = requests.decodeFromWire("prefix".length(), wire);
    assertEquals(sent.toJson(), received.toJson());

    Buffer body = Reply.ok(new JsonArray().add(new JsonObject().put("id", "x"))).encodedBody();
    BusCodecs.ReplyBytesCodec replies = new BusCodecs.ReplyBytesCodec();
    Buffer replyWire = Buffer.buffer("ab");
    replies.encodeToWire(replyWire, body);
    assertEquals(body, replies.decodeFromWire(2, replyWire));
  }

  @Test
  @DisplayName("on one node the consumer gets the sender's request object and the sender the service's bytes, not copies")
  void localDeliveryDoesNotCopy() {
    BusCodecs.register(vertx);
    BusCodecs.register(vertx);  // a second verticle registering again is fine
    Buffer[] answered = new Buffer[1];
    BusRequest[] received = new BusRequest[1];
    vertx.eventBus().<BusRequest>consumer("test.codecs", message -> {
      received[0] = message.body();
      Reply reply = Reply.ok(new JsonObject().put("stock", 7));
      answered[0] = reply.encodedBody();
      message.reply(answered[0], reply.deliveryOptions());
    });
    BusRequest sent = request();
    Buffer reply = vertx.eventBus().<Buffer>request("test.codecs", sent, new DeliveryOptions().setLocalOnly(true))
      .map(message -> message.body()).await();
    assertSame(sent, received[0]);
    assertSame(answered[0], reply);
    assertEquals(new JsonObject().put("stock", 7), new JsonObject(reply));
  }
}
