package io.stockroom.platform.unit;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.support.Api;
import io.stockroom.support.JournalTraffic;
import io.stockroom.support.OnContext;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the write-ahead journal costs an ordinary order, counted on the wire (the driver's command listener): its entry
 * carries the undo steps inline, and a unit that changed no shared document commits by deleting that entry, so the
 * journal writes two documents per unit (one more, the COMMITTED mark, for a unit with shared documents to settle).
 */
class JournalWritesTest {
  private static final TestStack stack = TestStack.get();
  private final Context context = stack.vertx.getOrCreateContext();

  @Test
  @DisplayName("an order placed through the API: one entry inserted and deleted, plus the COMMITTED mark only if it touched shared documents")
  void orderThroughTheApi() {
    Api api = stack.api;
    Session owner = api.signup("Journal Writes Co");
    String variant = api.createVariant(owner, api.createProduct(owner, "Ledger"), "JW-1", 100, 10).getString("id");
    JournalTraffic.Counts counts;
    try (JournalTraffic traffic = JournalTraffic.ofService()) {
      assertEquals(201, api.placeOrderAsync(owner, Api.order(variant, 2), Api.newKey()).await().status());
      awaitJournalEmpty(owner.tenantId());
      counts = traffic.of(owner.tenantId());
    }
    System.out.println("journal traffic of one order: " + counts + ", document writes " + counts.documentWrites());
    // in rerun mode the order's unit runs twice, the first run undone
    assertEquals(Boolean.getBoolean("stockroom.testing.rerunUnits") ? 2 : 1, counts.units(), counts::toString);
    assertEquals(counts.units(), counts.inserted(), () -> "each unit's entry, with its undo steps inline: " + counts);
    assertEquals(counts.commitMarks(), counts.updates(), () -> "no journal update but the commit mark: " + counts);
    assertTrue(counts.documentWrites() <= 2 * counts.units() + counts.commitMarks(), counts::toString);
  }

  @Test
  @DisplayName("an order's writes without shared documents (variant, movement, order, Idempotency-Key record): the journal writes 2 documents")
  void ordinaryOrderUnit() {
    String tenantId = Mongo.newId();
    JsonObject variant = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("stock", 10L).put("version", 0L);
    JsonObject claim = new JsonObject().put("_id", tenantId + ":orders.place:" + Mongo.newId()).put("tenantId", tenantId)
      .put("state", "RUNNING").put("version", 0L);
    stack.mongo.insert("journal_writes_variants", variant).await();
    stack.mongo.insert("journal_writes_claims", claim).await();
    JournalTraffic.Counts counts;
    try (JournalTraffic traffic = JournalTraffic.ofOwnClient(stack.vertx, stack.settings.string(ConfigKey.MONGO_URI),
        stack.settings.string(ConfigKey.MONGO_DATABASE))) {
      CompensatingUnitRunner runner = new CompensatingUnitRunner(stack.vertx, traffic.client(), new Failpoints(stack.vertx, false), 30_000, false);
      OnContext.await(context, () -> runner.run(UnitSpec.of("test.order", tenantId, 10_000), unit ->
        unit.queueCompareAndSet("journal_writes_variants", variant, new JsonObject().put("stock", 8L), null)
          .compose(v -> unit.queueInsert("journal_writes_movements", new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId)))
          .compose(v -> unit.queueInsert("journal_writes_orders", new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId)))
          .compose(v -> unit.queueCompareAndSet("journal_writes_claims", claim, new JsonObject().put("state", "DONE"), null))));
      awaitJournalEmpty(tenantId);
      counts = traffic.of(tenantId);
    }
    System.out.println("journal traffic of an order's unit without shared documents: " + counts + ", document writes " + counts.documentWrites());
    assertEquals(8L, stack.mongo.findOne("journal_writes_variants", new JsonObject().put("_id", variant.getString("_id")), null).await().getLong("stock"));
    assertEquals(0, counts.commitMarks(), counts::toString);
    assertTrue(counts.documentWrites() <= 2, () -> "journal document writes: " + counts);
    assertTrue(counts.commands() <= 2, () -> "journal commands: " + counts);
  }

  private static void awaitJournalEmpty(String tenantId) {
    JsonObject scope = new JsonObject().put("tenantId", tenantId);
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline && stack.mongo.count(UnitJournal.COLLECTION, scope).await() > 0) sleep();
    assertEquals(0L, stack.mongo.count(UnitJournal.COLLECTION, scope).await(), "the unit left the journal");
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
