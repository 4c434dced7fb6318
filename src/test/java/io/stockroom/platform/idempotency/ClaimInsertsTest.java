package io.stockroom.platform.idempotency;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RoundTrips;
import io.stockroom.support.SilentMongo;
import io.stockroom.support.TestStack;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claim inserts on the real stand-in: concurrent claims share commands, and each still meets its own duplicate. */
class ClaimInsertsTest {
  private final TestStack stack = TestStack.get();
  private final MongoClient mongo = stack.mongo;

  private <T> T onOneContext(Context context, Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(result));
    return result.future().await();
  }

  private static JsonObject record(String id) {
    return new JsonObject().put("_id", id).put("tenantId", "claims-test").put("state", "RUNNING")
      .put("claimedAt", Mongo.now()).put("expiresAt", Mongo.date(Instant.now().plusSeconds(3_600)));
  }

  @Test
  @DisplayName("200 concurrent claims, a tenth of them repeating an earlier key: each gets its own outcome, in a few inserts")
  void concurrentClaimsShareInserts() {
    String collection = "claim_inserts_test_" + Mongo.newId();
    Context context = stack.vertx.getOrCreateContext();
    ClaimInserts claims = onOneContext(context, () -> Future.succeededFuture(new ClaimInserts(mongo, collection)));
    String taken = "taken-" + Mongo.newId();
    mongo.insert(collection, record(taken)).await();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) ids.add(i % 10 == 9 ? (i == 9 ? taken : ids.get(i - 5)) : "k" + i + "-" + Mongo.newId());

    long commandsBefore = RoundTrips.count();
    List<ClaimInserts.Outcome> outcomes = onOneContext(context, () -> {
      List<Future<ClaimInserts.Outcome>> all = new ArrayList<>();
      ids.forEach(id -> all.add(claims.insert(record(id))));
      return Future.all(all).map(done -> done.<ClaimInserts.Outcome>list());
    });
    long commands = RoundTrips.count() - commandsBefore;

    for (int i = 0; i < 200; i++) {
      ClaimInserts.Outcome expected = i % 10 == 9 ? ClaimInserts.Outcome.DUPLICATE : ClaimInserts.Outcome.INSERTED;
      assertEquals(expected, outcomes.get(i), "claim " + i + " (" + ids.get(i) + ")");
    }
    assertEquals(181L, mongo.count(collection, new JsonObject()).await(), "180 new claims and the one taken before");
    assertEquals(181L, mongo.count(collection, new JsonObject().put("expiresAt", new JsonObject().put("$type", "date"))
      .put("claimedAt", new JsonObject().put("$type", "date"))).await(), "dates stored as dates (the expiry index needs them)");
    assertTrue(commands <= 10, "200 claims took " + commands + " commands");
    mongo.dropCollection(collection).await();
  }

  @Test
  @DisplayName("a claim alone is one insert; a failing store fails each claim of the batch")
  void aloneAndFailing() {
    String collection = "claim_inserts_test_" + Mongo.newId();
    Context context = stack.vertx.getOrCreateContext();
    ClaimInserts claims = onOneContext(context, () -> Future.succeededFuture(new ClaimInserts(mongo, collection)));
    assertEquals(ClaimInserts.Outcome.INSERTED, onOneContext(context, () -> claims.insert(record("one"))));
    assertEquals(ClaimInserts.Outcome.DUPLICATE, onOneContext(context, () -> claims.insert(record("one"))));

    // a store that cannot be reached: every claim of the batch fails, none is taken as inserted
    MongoClient closed = MongoClient.create(stack.vertx, new JsonObject()
      .put("connection_string", stack.settings.string(ConfigKey.MONGO_URI)).put("db_name", stack.settings.string(ConfigKey.MONGO_DATABASE)));
    closed.close().await();
    ClaimInserts unreachable = onOneContext(context, () -> Future.succeededFuture(new ClaimInserts(closed, collection)));
    List<Future<ClaimInserts.Outcome>> refused = onOneContext(context, () -> {
      List<Future<ClaimInserts.Outcome>> all = new ArrayList<>();
      for (int i = 0; i < 5; i++) all.add(unreachable.insert(record("lost" + i)));
      return Future.join(new ArrayList<>(all)).transform(done -> Future.succeededFuture(all));
    });
    refused.forEach(outcome -> assertTrue(outcome.failed(), "a claim the store did not take fails"));
    assertEquals(0L, mongo.count(collection, new JsonObject().put("_id", new JsonObject().put("$regex", "^lost"))).await());
    assertEquals(ClaimInserts.Outcome.INSERTED, onOneContext(context, () -> claims.insert(record("after"))));
    mongo.dropCollection(collection).await();
  }

  @Test
  @DisplayName("a store that does not answer: the claims waiting behind the first insert fail with it, within one timeout")
  void storeThatHangs() throws Exception {
    try (SilentMongo silent = new SilentMongo()) {
      MongoClient hanging = silent.client(stack.vertx, "claims_hang");
      Context context = stack.vertx.getOrCreateContext();
      ClaimInserts claims = onOneContext(context, () -> Future.succeededFuture(new ClaimInserts(hanging, "claims")));
      long started = System.nanoTime();
      List<Future<ClaimInserts.Outcome>> outcomes = onOneContext(context, () -> {
        List<Future<ClaimInserts.Outcome>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) all.add(claims.insert(record("hung" + i)));
        return Future.join(new ArrayList<>(all)).transform(done -> Future.succeededFuture(all));
      });
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      outcomes.forEach(outcome -> assertTrue(outcome.failed(), "no claim is taken as inserted by a store that never answered"));
      // one timeout, not a second one for the claims that waited (2 x 400 ms)
      assertTrue(tookMs < 700, "20 claims behind an unanswering store failed after " + tookMs + " ms (timeout 400 ms)");
      hanging.close().await();
    }
  }
}
