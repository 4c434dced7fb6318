package io.stockroom.webhook;

import io.stockroom.SchemaManifest;
import io.stockroom.inventory.StockEvents;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.schema.Migration;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.stockroom.support.OnContext;
import io.stockroom.support.TestStack;
import io.stockroom.support.WebhookLedger;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Followers of the test's own, with a clock of the test's own, over a database of their own on the suite's MongoDB
 * (migrated like any other, so deliveries have their unique key): the ledger is written here directly, movement by
 * movement with chosen ids and times, so that units can be left open, rolled back, or made visible late.
 */
class LedgerFollowerTest {
  private static final Duration LAG = Duration.ofSeconds(90);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final TestStack stack = TestStack.get();
  private final String tenantId = new org.bson.types.ObjectId().toHexString();
  private MongoClient mongo;
  private SettableClock clock;
  private String hookId;

  /** A clock the test moves. */
  static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void ownDatabase() {
    String database = "ledger_follower_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    mongo = MongoClient.createShared(stack.vertx, new JsonObject().put("connection_string", stack.settings.string(ConfigKey.MONGO_URI))
      .put("db_name", database), database);
    new Migration(mongo, SchemaManifest.collections()).run(Migration.Mode.FULL, true).await();
    Instant now = Instant.now();
    clock = new SettableClock(now);
    Instant created = now.minus(Duration.ofMinutes(10));
    hookId = new org.bson.types.ObjectId().toHexString();
    mongo.insert(Webhooks.COLLECTION, new JsonObject().put("_id", hookId).put("tenantId", tenantId).put("url", "http://127.0.0.1:1/h")
      .put("events", new JsonArray().add("stock.changed").add("order.placed").add("low_stock.entered")).put("active", true)
      .put("createdAt", date(created))).await();
    new LedgerCursors(mongo).follow(tenantId, created).await();
  }

  @AfterEach
  void close() {
    mongo.close().await();
  }

  private static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }

  /** An id made at {@code at}, after every other id this test made in that second. */
  private static String idAt(Instant at) {
    return String.format("%08x", at.getEpochSecond()) + String.format("%016x", COUNTER.incrementAndGet());
  }

  /** A SALE movement of an ORDER_PLACED event of {@code unitId}, with an id made at {@code at}. */
  private JsonObject movement(String unitId, String orderId, Instant at) {
    String id = idAt(at);
    return new JsonObject().put("_id", id).put("tenantId", tenantId).put("sourceKey", "order:" + orderId + ":" + id).put("variantId", "v1").put("sku", "SKU-1").put("type", "SALE")
      .put("locationId", tenantId).put("from", "available").putNull("to").put("units", 1L).put("quantity", -1L).put("stockAfter", 5L)
      .put("availableAfter", 5L).put("sequence", 1L).put("createdAt", date(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))
      .put("unitId", unitId).put("event", new JsonObject().put("type", "ORDER_PLACED").put("sourceId", orderId));
  }

  /**
   * A committed unit: one order of {@code lines} movements made at {@code at}, inserted now, and its stock event
   * published as a unit publishes it once committed (a hint for the followers).
   */
  private List<JsonObject> committedOrder(Instant at, int lines) {
    String unitId = new org.bson.types.ObjectId().toHexString();
    String orderId = new org.bson.types.ObjectId().toHexString();
    List<JsonObject> movements = new ArrayList<>();
    for (int i = 0; i < lines; i++) movements.add(movement(unitId, orderId, at));
    movements.forEach(m -> mongo.insert("stock_movements", m).await());
    stack.vertx.eventBus().publish(StockEvents.address(tenantId), new JsonObject().put("type", "ORDER_PLACED"));
    return movements;
  }

  private String position() {
    return new LedgerCursors(mongo).of(tenantId).await().getString("position");
  }

  private List<String> delivered() {
    return WebhookLedger.delivered(mongo, tenantId, hookId);
  }

  private void turn(LedgerFollower follower, Context context) {
    OnContext.await(context, follower::dispatch);
  }

  @Test
  @DisplayName("two followers running at once, while units keep committing, create each delivery exactly once; a crash before the cursor moved repeats nothing")
  void twoFollowersAtOnce() {
    Context first = stack.vertx.getOrCreateContext();
    Context second = stack.vertx.getOrCreateContext();
    LedgerFollower a = new LedgerFollower(stack.vertx, mongo, LAG, clock);
    LedgerFollower b = new LedgerFollower(stack.vertx, mongo, LAG, clock);
    Instant now = clock.instant();
    String lastFinal = null;
    for (int i = 0; i < 150; i++) {
      List<JsonObject> order = committedOrder(now.minusSeconds(300 - i), 1 + i % 3);
      lastFinal = order.get(order.size() - 1).getString("_id");
    }
    for (int round = 0; round < 6; round++) {
      int r = round;
      // the followers race each other while new units commit, within the lag: a round's first orders have older ids
      // than the previous round's last ones, which may have been handed on already
      Future<Void> racing = Future.all(
        Future.future(p -> first.runOnContext(v -> a.dispatch().onComplete(p))),
        Future.future(p -> second.runOnContext(v -> b.dispatch().onComplete(p)))).mapEmpty();
      for (int i = 0; i < 20; i++) committedOrder(now.minusSeconds(60 - r * 10L - i % 10), 2);
      racing.await();
    }
    List<String> expected = WebhookLedger.expected(mongo, tenantId, hookId);
    assertEquals(2 * (150 + 6 * 20), expected.size(), "stock.changed and order.placed for every order");
    List<String> soFar = delivered();
    assertEquals(soFar.stream().distinct().toList(), soFar, "no event twice");
    assertTrue(expected.containsAll(soFar));
    String finalBound = LedgerCursors.firstIdAt(clock.instant().minus(LAG));
    assertTrue(position().compareTo(finalBound) < 0, "the cursor stays below the ids made within the lag");

    // orders that became visible after orders with later ids were handed on are delivered once final
    clock.set(now.plus(LAG).plusSeconds(1));
    Future.all(Future.future(p -> first.runOnContext(v -> a.dispatch().onComplete(p))),
      Future.future(p -> second.runOnContext(v -> b.dispatch().onComplete(p)))).await();
    assertEquals(expected, delivered(), "each event exactly once");
    clock.set(now);

    // crash between the deliveries and the cursor's move: a new instance starts from the old cursor
    new LedgerCursors(mongo).advance(tenantId, position(), LedgerCursors.firstIdAt(now.minus(Duration.ofMinutes(20)))).await();
    LedgerFollower restarted = new LedgerFollower(stack.vertx, mongo, LAG, clock);
    turn(restarted, first);
    turn(restarted, first);
    assertEquals(expected, delivered(), "repeating the work added no delivery");
    assertEquals(lastFinal, position(), "the cursor moved on again, up to the last movement older than the lag");
  }

  @Test
  @DisplayName("a movement that becomes visible after a later one (an earlier transaction committing late) is still delivered: the cursor waits out the lag")
  void lateVisibleOlderIdIsDelivered() {
    Context context = stack.vertx.getOrCreateContext();
    LedgerFollower follower = new LedgerFollower(stack.vertx, mongo, LAG, clock);
    Instant t0 = clock.instant();
    JsonObject later = committedOrder(t0.minusSeconds(10), 1).get(0);
    turn(follower, context);
    assertEquals(WebhookLedger.expected(mongo, tenantId, hookId), delivered(), "the committed order goes out at once");
    String cursorBefore = position();
    assertTrue(cursorBefore.compareTo(later.getString("_id")) < 0, "but the cursor does not pass a movement younger than the lag");

    // a unit that made its id 10 s earlier commits only now: its movement sorts before the one already handed on
    JsonObject earlier = committedOrder(t0.minusSeconds(20), 1).get(0);
    assertTrue(earlier.getString("_id").compareTo(later.getString("_id")) < 0);
    turn(follower, context);
    assertEquals(2, delivered().size(), "the prompt pass reads on after what it handed on: not yet");

    clock.set(t0.plus(LAG));
    turn(follower, context);
    assertEquals(WebhookLedger.expected(mongo, tenantId, hookId), delivered(), "once final, the late one is delivered, and only once");
    assertEquals(4, delivered().size());
    assertEquals(later.getString("_id"), position(), "the cursor passed both once they were final");
  }

  @Test
  @DisplayName("an open unit's movements wait, a rolled-back unit's (undone, or awaiting repair) make no delivery and are passed, a committed one's are delivered")
  void onlySettledCommittedUnits() {
    Context context = stack.vertx.getOrCreateContext();
    LedgerFollower follower = new LedgerFollower(stack.vertx, mongo, LAG, clock);
    Instant t0 = clock.instant();
    clock.set(t0.plus(LAG).plusSeconds(5));  // everything below is old enough to be final, but for its unit
    List<JsonObject> open = committedOrder(t0.minusSeconds(30), 2);
    String openUnit = open.get(0).getString("unitId");
    mongo.insert(UnitJournal.COLLECTION, new JsonObject().put("_id", openUnit).put("tenantId", tenantId).put("state", "RUNNING")).await();
    List<JsonObject> repairing = committedOrder(t0.minusSeconds(20), 1);
    mongo.insert(UnitRepairs.COLLECTION, new JsonObject().put("_id", repairing.get(0).getString("unitId")).put("tenantId", tenantId)
      .put("pending", new JsonArray())).await();
    List<JsonObject> committed = committedOrder(t0.minusSeconds(10), 1);

    turn(follower, context);
    List<String> committedOnly = List.of("msg_" + committed.get(0).getString("_id") + "_order_placed",
      "msg_" + committed.get(0).getString("_id") + "_stock_changed");
    assertEquals(committedOnly, delivered(), "only the committed unit's event");
    String before = position();
    assertTrue(before.compareTo(open.get(0).getString("_id")) < 0, "the cursor waits before the open unit's movements");

    // the open unit rolls back: its movements go, then its journal entry; the final pass comes round again
    open.forEach(m -> mongo.removeDocument("stock_movements", new JsonObject().put("_id", m.getString("_id"))).await());
    mongo.removeDocument(UnitJournal.COLLECTION, new JsonObject().put("_id", openUnit)).await();
    clock.set(clock.instant().plus(LedgerFollower.FINAL_EVERY));
    turn(follower, context);
    assertEquals(committedOnly, delivered(), "the rolled-back units made no delivery");
    assertEquals(committed.get(0).getString("_id"), position(), "and the cursor passed them");
  }

  @Test
  @DisplayName("a tenant without an active endpoint is unfollowed after a while; following it again starts from then")
  void unfollowAndFollowAgain() {
    Context context = stack.vertx.getOrCreateContext();
    LedgerFollower follower = new LedgerFollower(stack.vertx, mongo, LAG, clock);
    mongo.removeDocument(Webhooks.COLLECTION, new JsonObject().put("_id", hookId)).await();
    turn(follower, context);
    assertTrue(new LedgerCursors(mongo).of(tenantId).await() != null, "not at once: an endpoint may be being created");
    clock.set(clock.instant().plus(LedgerFollower.UNFOLLOW_AFTER).plusSeconds(1));
    committedOrder(clock.instant().minusSeconds(5), 1);
    turn(follower, context);
    assertNull(new LedgerCursors(mongo).of(tenantId).await(), "unfollowed");

    Instant again = Instant.now();
    new LedgerCursors(mongo).follow(tenantId, again).await();
    assertEquals(LedgerCursors.firstIdAt(again.minus(LedgerCursors.START_BEFORE)), position());
  }
}
