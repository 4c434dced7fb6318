package io.stockroom.platform.unit;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RoundTrips;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.support.OnContext;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a compensating unit's steps send, read off the driver's command listener of a client made as the service makes
 * its own ({@link Storage#mongo}): each step's {@code maxTimeMS} is what is left of the unit's deadline, never the
 * client's fixed {@code mongo.timeoutMs}, so a step that starts late (after a wait for locks) still ends before its
 * caller gives up; and never more than that fixed limit either.
 */
class UnitDeadlineOnTheWireTest {
  private static final TestStack stack = TestStack.get();
  private static final MongoClient service = Storage.mongo(stack.vertx, stack.settings, "unit-deadline-" + Mongo.newId());
  private final String collection = "unit_deadline_test_" + Mongo.newId();
  private final String shared = "unit_deadline_shared_test_" + Mongo.newId();

  @AfterAll
  static void close() {
    service.close().await();
  }

  private record Sent(String name, BsonDocument command) {
  }

  /**
   * The commands a unit's steps send, and the read checking a bulk. Bulk writes ({@code update}) and the settling of
   * shared documents after the commit keep the fixed limit.
   */
  private static final java.util.Set<String> BOUNDED = java.util.Set.of("findAndModify", "insert", "delete", "find");

  private JsonObject stored(JsonObject doc) {
    stack.mongo.insert(collection, doc).await();
    return doc;
  }

  /** A unit whose steps are each kind of immediate write: compare-and-set, shared update, insert, delete. */
  private Function<Unit, Future<Object>> everyStep() {
    JsonObject variant = stored(new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t").put("stock", 10L).put("version", 0L));
    JsonObject doomed = stored(new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t").put("version", 0L));
    return unit -> unit.compareAndSet(collection, variant, null, new JsonObject().put("stock", 9L), null)
      .compose(after -> unit.updateShared(shared, new JsonObject().put("_id", "t:rollup").put("tenantId", "t"),
        new JsonObject().put("$inc", new JsonObject().put("units", 1L)), new JsonObject().put("$inc", new JsonObject().put("units", -1L)), true))
      .compose(after -> unit.insert(collection, new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t")))
      .compose(v -> unit.delete(collection, doomed))
      .map(deleted -> (Object) deleted);
  }

  /** The maxTimeMS of each command {@code work} sends on the test's collections, by command name (the largest seen). */
  private Map<String, Long> stepLimits(long budgetMs, Function<Unit, Future<Object>> work) {
    ConcurrentLinkedQueue<Sent> seen = new ConcurrentLinkedQueue<>();
    Runnable untap = RoundTrips.tap(event -> seen.add(new Sent(event.getCommandName(), event.getCommand().clone())));
    CompensatingUnitRunner runner = new CompensatingUnitRunner(stack.vertx, service, new Failpoints(stack.vertx, false), 30_000, false);
    try {
      OnContext.await(stack.vertx.getOrCreateContext(), () -> runner.run(UnitSpec.of("test.deadline", "t", budgetMs), work)
        .map(Future::succeededFuture).otherwise(Future::failedFuture));
    } finally {
      untap.run();
      runner.close().await();
    }
    Map<String, Long> limits = new TreeMap<>();
    for (Sent sent : seen) {
      var target = sent.command().get(sent.name());
      if (target == null || !target.isString()) continue;
      String on = target.asString().getValue();
      if (!on.equals(collection) && !on.equals(shared) || !BOUNDED.contains(sent.name())) continue;
      long limit = sent.command().containsKey("maxTimeMS") ? sent.command().getNumber("maxTimeMS").longValue() : Long.MAX_VALUE;
      limits.merge(sent.name(), limit, Math::max);
    }
    return limits;
  }

  @Test
  @DisplayName("a unit with 1.5 s left sends its findAndModify, insert and delete steps with maxTimeMS of at most 1.5 s")
  void nearDeadlineBoundsEveryStep() {
    Map<String, Long> limits = stepLimits(1_500, everyStep());
    System.out.println("maxTimeMS of a unit's steps with 1.5 s left: " + limits);
    assertEquals(List.of("delete", "findAndModify", "insert"), List.copyOf(limits.keySet()), limits::toString);
    limits.forEach((command, limit) -> assertTrue(limit > 0 && limit <= 1_500, command + " sent maxTimeMS " + limit));
  }

  @Test
  @DisplayName("a unit with more time left than mongo.timeoutMs sends at most mongo.timeoutMs")
  void farDeadlineKeepsTheFixedCap() {
    long cap = stack.settings.integer(ConfigKey.MONGO_TIMEOUT_MS);
    Map<String, Long> limits = stepLimits(cap * 4, everyStep());
    System.out.println("maxTimeMS of a unit's steps with " + cap * 4 + " ms left: " + limits);
    assertEquals(3, limits.size(), limits::toString);
    limits.forEach((command, limit) -> assertTrue(limit > 0 && limit <= cap, command + " sent maxTimeMS " + limit));
  }

  @Test
  @DisplayName("when a bulk of queued writes falls short, the read that checks which applied is bounded by the unit's deadline")
  void bulkCheckIsBounded() {
    JsonObject variant = stored(new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t").put("stock", 10L).put("version", 0L));
    JsonObject stale = variant.copy().put("writtenBy", "another-unit:0");
    Map<String, Long> limits = stepLimits(1_500, unit -> unit.queueCompareAndSet(collection, stale, new JsonObject().put("stock", 1L), null)
      .map(after -> (Object) after));
    System.out.println("maxTimeMS of a bulk that fell short and its check, with 1.5 s left: " + limits);
    assertTrue(limits.containsKey("find"), () -> "the bulk's outcome was read back: " + limits);
    assertTrue(limits.get("find") > 0 && limits.get("find") <= 1_500, "find sent maxTimeMS " + limits.get("find"));
  }
}
