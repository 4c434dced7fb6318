package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClients;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RoundTrips;
import io.stockroom.support.Api;
import io.stockroom.support.OnContext;
import io.stockroom.support.Res;
import io.stockroom.support.SecondInstance;
import io.stockroom.support.Session;
import io.stockroom.support.SessionStandIn;
import io.stockroom.support.TestStack;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the transactional runner sends, read off the driver's command listener against a stand-in dressed as a
 * replica set ({@link SessionStandIn}: it accepts the transaction's commands without giving them any isolation): the
 * queued writes of a unit go as one ordered bulk per collection inside the transaction, before the commit and before
 * any other write to their collection.
 */
class TransactionalBatchingTest {
  private static final TestStack stack = TestStack.get();
  private static final SessionStandIn standIn = new SessionStandIn();
  private static final String DATABASE = "tx_batching_" + Mongo.newId();
  /** Who listens to the runner's own driver client (which the suite's record of the service's queries does not see). */
  private static final List<Consumer<CommandStartedEvent>> LISTENING = new CopyOnWriteArrayList<>();
  private static final com.mongodb.reactivestreams.client.MongoClient driver = MongoClients.create(MongoClientSettings.builder()
    .applyConnectionString(new ConnectionString(standIn.uri())).timeout(10, TimeUnit.SECONDS)
    .writeConcern(io.stockroom.platform.mongo.Storage.DURABLE_WRITES)
    .addCommandListener(new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        LISTENING.forEach(listening -> listening.accept(event));
      }
    }).build());
  private static final TransactionalUnitRunner runner = new TransactionalUnitRunner(stack.vertx, driver, DATABASE,
    new Failpoints(stack.vertx, false));
  /** For the tests' own reads and writes (not recorded). */
  private static final MongoClient mongo = MongoClient.create(stack.vertx, new JsonObject().put("connection_string", standIn.uri())
    .put("db_name", DATABASE));
  private final Context context = stack.vertx.getOrCreateContext();

  @AfterAll
  static void stop() {
    mongo.close().await();
    driver.close();
    standIn.close();
  }

  /** One command of a transaction: its name, the collection, and how many documents or statements it carries. */
  record Sent(String name, String collection, int items) {
    @Override
    public String toString() {
      return name + (collection == null ? "" : " " + collection + " ×" + items);
    }
  }

  /**
   * The commands of every transaction sent while {@code run} ran (by the runner's own client, or by the service's
   * clients), by transaction (session and number), in order.
   */
  static Map<String, List<Sent>> transactions(Runnable run) {
    ConcurrentLinkedQueue<BsonDocument> seen = new ConcurrentLinkedQueue<>();
    Consumer<CommandStartedEvent> listener = event -> {
      if (event.getCommand().containsKey("autocommit")) seen.add(new BsonDocument(event.getCommandName(), event.getCommand().clone()));
    };
    Runnable untap = RoundTrips.tap(listener);
    LISTENING.add(listener);
    try {
      run.run();
    } finally {
      untap.run();
      LISTENING.remove(listener);
    }
    Map<String, List<Sent>> byTransaction = new LinkedHashMap<>();
    for (BsonDocument wrapped : seen) {
      String name = wrapped.getFirstKey();
      BsonDocument command = wrapped.getDocument(name);
      String transaction = command.getDocument("lsid").toJson() + "#" + command.get("txnNumber");
      BsonValue target = command.get(name);
      String collection = target.isString() ? target.asString().getValue() : null;
      int items = command.getArray("documents", command.getArray("updates", command.getArray("deletes", new BsonArray()))).size();
      byTransaction.computeIfAbsent(transaction, t -> new ArrayList<>()).add(new Sent(name, collection, items));
    }
    return byTransaction;
  }

  private <T> List<Sent> onlyTransaction(Function<Unit, Future<T>> work, List<Future<T>> outcome) {
    Map<String, List<Sent>> sent = transactions(() -> outcome.add(
      OnContext.await(context, () -> runner.run(UnitSpec.of("test.tx", "t", 10_000), work).map(Future::succeededFuture)
        .otherwise(Future::failedFuture))));
    assertEquals(1, sent.size(), () -> "one transaction: " + sent);
    return sent.values().iterator().next();
  }

  private static JsonObject stored(String collection, String id) {
    return mongo.findOne(collection, new JsonObject().put("_id", id), null).await();
  }

  private static JsonObject document(String collection) {
    JsonObject doc = new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t").put("stock", 10L).put("version", 0L);
    mongo.insert(collection, doc).await();
    return doc;
  }

  @Test
  @DisplayName("queued inserts, compare-and-sets and upserts on 4 collections: one bulk per collection, then commitTransaction")
  void oneBulkPerCollection() {
    JsonObject first = document("tx_variants");
    JsonObject second = document("tx_variants");
    List<Future<Object>> outcome = new ArrayList<>();
    List<Sent> sent = onlyTransaction(unit -> unit.queueInsert("tx_movements", movement())
      .compose(v -> unit.queueCompareAndSet("tx_variants", first, new JsonObject().put("stock", 9L), null))
      .compose(after -> unit.queueInsert("tx_movements", movement()).map(after))
      .compose(after -> unit.queueCompareAndSet("tx_variants", after, new JsonObject().put("stock", 8L), null))
      .compose(v -> unit.queueCompareAndSet("tx_variants", second, new JsonObject().put("stock", 7L), null))
      .compose(v -> unit.queueInsert("tx_orders", movement()))
      .compose(v -> unit.queueInsert("tx_movements", movement()))
      .compose(v -> unit.queueInsert("tx_orders", movement()))
      .compose(v -> unit.queueUpdateShared("tx_daily", new JsonObject().put("_id", "t:day").put("tenantId", "t"),
        new JsonObject().put("$inc", new JsonObject().put("units", 3L)), new JsonObject(), true, null))
      .map(v -> (Object) "done"), outcome);
    System.out.println("transaction of a unit with queued writes: " + sent);
    assertTrue(outcome.get(0).succeeded(), () -> String.valueOf(outcome.get(0).cause()));
    assertEquals(List.of(new Sent("insert", "tx_movements", 3), new Sent("update", "tx_variants", 3),
      new Sent("insert", "tx_orders", 2), new Sent("update", "tx_daily", 1), new Sent("commitTransaction", null, 0)), sent);
    assertEquals(8L, stored("tx_variants", first.getString("_id")).getLong("stock"), "the second compare-and-set followed the first");
    assertEquals(7L, stored("tx_variants", second.getString("_id")).getLong("stock"));
  }

  @Test
  @DisplayName("an immediate write to a collection sends that collection's held writes first; the others wait for the commit")
  void immediateWriteFlushesItsCollection() {
    JsonObject variant = document("tx_variants");
    List<Future<JsonObject>> outcome = new ArrayList<>();
    List<Sent> sent = onlyTransaction(unit -> unit.queueInsert("tx_movements", movement())
      .compose(v -> unit.queueCompareAndSet("tx_variants", variant, new JsonObject().put("stock", 9L), null))
      .compose(after -> unit.compareAndSet("tx_variants", after, null, new JsonObject().put("stock", 5L), null)), outcome);
    System.out.println("transaction with an immediate write: " + sent);
    assertTrue(outcome.get(0).succeeded(), () -> String.valueOf(outcome.get(0).cause()));
    assertEquals(5L, outcome.get(0).result().getLong("stock"), "the immediate compare-and-set found the queued one applied");
    assertEquals(List.of(new Sent("update", "tx_variants", 1), new Sent("findAndModify", "tx_variants", 0),
      new Sent("insert", "tx_movements", 1), new Sent("commitTransaction", null, 0)), sent);
  }

  @Test
  @DisplayName("a queued compare-and-set that matched nothing fails the unit with 409 and aborts the transaction")
  void unmatchedCompareAndSetAborts() {
    JsonObject variant = document("tx_variants");
    JsonObject stale = variant.copy().put("writtenBy", "another-unit:0");
    List<Future<Object>> outcome = new ArrayList<>();
    List<Sent> sent = onlyTransaction(unit -> unit.queueInsert("tx_movements", movement())
      .compose(v -> unit.queueCompareAndSet("tx_variants", stale, new JsonObject().put("stock", 1L), null))
      .map(v -> (Object) "done"), outcome);
    System.out.println("transaction of a unit whose queued compare-and-set matched nothing: " + sent);
    assertTrue(outcome.get(0).failed());
    ServiceError error = assertInstanceOf(ServiceError.class, outcome.get(0).cause());
    assertEquals(ErrorCode.CONFLICT, error.code());
    assertEquals(List.of(new Sent("insert", "tx_movements", 1), new Sent("update", "tx_variants", 1),
      new Sent("abortTransaction", null, 0)), sent);
    assertEquals(10L, stored("tx_variants", variant.getString("_id")).getLong("stock"));
  }

  @Test
  @DisplayName("a unit's commitTransaction waits for a journaled majority, as every write outside transactions does")
  void commitIsMajorityJournaled() {
    JsonObject variant = document("tx_variants");
    ConcurrentLinkedQueue<BsonDocument> commits = new ConcurrentLinkedQueue<>();
    Consumer<CommandStartedEvent> listener = event -> {
      if (event.getCommandName().equals("commitTransaction")) commits.add(event.getCommand().clone());
    };
    LISTENING.add(listener);
    try {
      OnContext.await(context, () -> runner.run(UnitSpec.of("test.tx", "t", 10_000),
        unit -> unit.compareAndSet("tx_variants", variant, null, new JsonObject().put("stock", 4L), null)));
    } finally {
      LISTENING.remove(listener);
    }
    assertEquals(1, commits.size(), commits::toString);
    BsonDocument concern = commits.peek().getDocument("writeConcern", new BsonDocument());
    assertEquals(new BsonDocument("w", new org.bson.BsonString("majority")).append("j", org.bson.BsonBoolean.TRUE), concern,
      () -> "commitTransaction sent " + commits.peek().toJson());
  }

  @Test
  @DisplayName("orders racing on one hot variant in transactions mode: each group the order service places together is one "
    + "transaction with one write command per collection, then commitTransaction")
  void hotVariantGroupIsOneTransaction() {
    try (SecondInstance instance = SecondInstance.start(stack, new JsonObject().put("mongo.uri", standIn.uri())
        .put("mongo.database", "tx_orders_" + Mongo.newId()).put("mongo.transactions", "required"))) {
      Api api = instance.api;
      Session owner = api.signup("Transactional Group Co");
      String variant = api.createVariant(owner, api.createProduct(owner, "Hot"), "TX-HOT", 100, 1_000).getString("id");
      Map<String, List<Sent>> sent = transactions(() -> {
        List<Future<Res>> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) orders.add(api.placeOrderAsync(owner, Api.order(variant, 1), Api.newKey()));
        Future.join(orders).await();
        orders.forEach(order -> assertEquals(201, order.result().status(), order.result()::toString));
      });
      List<List<Sent>> placing = sent.values().stream()
        .filter(commands -> commands.stream().anyMatch(c -> c.name().equals("insert") && c.collection().equals("orders"))).toList();
      int orders = placing.stream().mapToInt(commands -> ordersIn(commands)).sum();
      assertEquals(40, orders, () -> "every order in one of the transactions: " + placing);
      List<Sent> largest = placing.stream().max(java.util.Comparator.comparingInt(TransactionalBatchingTest::ordersIn)).orElseThrow();
      System.out.println(placing.size() + " transactions placed 40 orders; the largest group (" + ordersIn(largest) + " orders): " + largest);
      assertTrue(ordersIn(largest) > 1, () -> "some orders were placed together: " + placing);
      for (List<Sent> commands : placing) {
        assertEquals("commitTransaction", commands.get(commands.size() - 1).name(), commands::toString);
        Map<String, Long> perCollection = commands.stream().filter(c -> c.collection() != null)
          .collect(java.util.stream.Collectors.groupingBy(Sent::collection, java.util.stream.Collectors.counting()));
        assertTrue(perCollection.values().stream().allMatch(n -> n == 1), () -> "one write command per collection: " + commands);
        assertEquals(perCollection.size() + 1, commands.size(), commands::toString);
      }
    }
  }

  private static int ordersIn(List<Sent> commands) {
    return commands.stream().filter(c -> c.name().equals("insert") && "orders".equals(c.collection())).mapToInt(Sent::items).sum();
  }

  private static JsonObject movement() {
    return new JsonObject().put("_id", Mongo.newId()).put("tenantId", "t");
  }
}
