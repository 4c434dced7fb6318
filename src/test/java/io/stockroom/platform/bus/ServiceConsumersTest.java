package io.stockroom.platform.bus;

import io.stockroom.platform.security.Caller;
import io.stockroom.platform.security.Role;
import io.stockroom.support.SilentMongo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a service operation's failure crosses the bus: a data store that did not answer is a 503, a bug a bare 500. */
class ServiceConsumersTest {
  private static final ServiceOperation STORE_DOWN = ServiceOperation.named("test.store-down");
  private static final ServiceOperation BUG = ServiceOperation.named("test.bug");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("a MongoDB that takes connections and never answers: 503 with retryAfterSeconds, not 500; a bug stays a bare 500")
  void storeOutageIsUnavailable() throws Exception {
    try (SilentMongo silent = new SilentMongo()) {
      MongoClient hanging = silent.client(vertx, "outage");
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return new ServiceConsumers(vertx)
            .bind(STORE_DOWN, request -> hanging.findOne("variants", new JsonObject().put("_id", "x"), null).map(found -> Reply.noContent()))
            .bind(BUG, request -> Future.failedFuture(new IllegalStateException("a bug, with internals")))
            .ready();
        }
      }).await();

      ServiceError outage = failure(STORE_DOWN);
      assertEquals(ErrorCode.UNAVAILABLE, outage.code(), outage::toWire);
      assertEquals(1, outage.extensions().getInteger("retryAfterSeconds"), outage::toWire);

      ServiceError bug = failure(BUG);
      assertEquals(ErrorCode.INTERNAL, bug.code(), bug::toWire);
      assertTrue(!bug.toWire().contains("internals"), bug::toWire);
    }
  }

  @Test
  @DisplayName("timeouts, lost connections and failovers count as outages, also as the cause of another failure")
  void whatCountsAsAnOutage() {
    assertTrue(StoreOutages.isOutage(new com.mongodb.MongoTimeoutException("no server")));
    assertTrue(StoreOutages.isOutage(new RuntimeException("wrapped", new java.util.concurrent.TimeoutException("late"))));
    assertTrue(StoreOutages.isOutage(new java.net.ConnectException("refused")));
    assertTrue(!StoreOutages.isOutage(new IllegalStateException("a bug")));
    assertTrue(!StoreOutages.isOutage(new com.mongodb.MongoCommandException(new org.bson.BsonDocument(), null)));
  }

  private ServiceError failure(ServiceOperation operation) {
    JsonObject request = BusRequest.of(new Caller("tenant-1", "user-1", Role.OWNER), new JsonObject(), new JsonObject(), null, null).toJson();
    ReplyException failed = assertThrows(ReplyException.class, () -> vertx.eventBus()
      .request(operation.address(), request, new DeliveryOptions().setSendTimeout(5_000)).await());
    return ServiceError.fromReply(failed);
  }
}
