package io.stockroom.platform.embedded;

import io.stockroom.platform.embedded.standin.StandInStore;

import io.stockroom.support.OnContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded stand-in's own guarantees: answers from its indexes equal a full scan's (order, skip and limit
 * included) through inserts, updates and deletes; its data and indexes survive a restart in a directory; TTL
 * indexes remove what expired; a directory serves one process at a time; a file it cannot read is refused.
 */
class StandInStoreTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<StandInStore> stores = new ArrayList<>();
  private final List<MongoClient> clients = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    clients.forEach(MongoClient::close);
    stores.forEach(StandInStore::close);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void indexedAnswersEqualAFullScan() {
    MongoClient mongo = client(open(null));
    mongo.createIndexWithOptions("indexed", keys("tenantId", 1, "_id", 1), new IndexOptions().name("tenant_id").unique(true)).await();
    mongo.createIndexWithOptions("indexed", keys("tenantId", 1, "status", 1, "_id", 1), new IndexOptions().name("tenant_status_id")).await();
    mongo.createIndexWithOptions("indexed", keys("tenantId", 1, "n", -1, "sku", 1), new IndexOptions().name("tenant_n_sku")).await();
    mongo.createIndexWithOptions("indexed", keys("tenantId", 1, "createdAt", 1), new IndexOptions().name("tenant_created")).await();
    mongo.createIndexWithOptions("indexed", keys("tenantId", 1, "tags", 1, "_id", 1), new IndexOptions().name("tenant_tags_id")).await();
    Random random = new Random(7);
    List<JsonObject> documents = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) documents.add(document(random, i));
    for (String collection : List.of("indexed", "scanned")) {
      for (JsonObject document : documents) mongo.insert(collection, document.copy()).await();
    }
    for (int i = 0; i < 300; i++) {  // keys move and documents go, in both collections alike
      String id = id(random.nextInt(1_500));
      JsonObject change = new JsonObject().put("$set", new JsonObject().put("status", "S" + random.nextInt(4)).put("n", random.nextInt(50)))
        .put("$push", new JsonObject().put("tags", "t" + random.nextInt(6)));
      for (String collection : List.of("indexed", "scanned")) {
        if (i % 5 == 0) mongo.removeDocument(collection, new JsonObject().put("_id", id)).await();
        else mongo.updateCollection(collection, new JsonObject().put("_id", id), change).await();
      }
    }
    // every sort ends with _id: documents that tie on the other fields come in an order MongoDB does not promise
    List<Query> queries = List.of(
      new Query(where("tenantId", "a"), keys("_id", -1), 0, 20),
      new Query(where("tenantId", "b").put("_id", new JsonObject().put("$lt", id(900))), keys("_id", -1), 0, 20),
      new Query(where("tenantId", "b").put("_id", new JsonObject().put("$gt", id(100)).put("$lte", id(700))), keys("_id", 1), 5, 50),
      new Query(where("tenantId", "a").put("status", "S2"), keys("_id", 1), 0, 0),
      new Query(where("tenantId", "c").put("status", "S1"), keys("_id", -1), 3, 7),
      new Query(where("tenantId", "a"), keys("n", -1, "sku", 1, "_id", 1), 0, 25),
      new Query(where("tenantId", "a"), keys("n", 1, "sku", -1, "_id", -1), 10, 25),
      new Query(where("tenantId", "b").put("n", new JsonObject().put("$gte", 10).put("$lt", 30)), keys("n", -1, "sku", 1, "_id", 1), 0, 0),
      new Query(where("tenantId", "c").put("createdAt", new JsonObject().put("$gte", new JsonObject().put("$date", "2026-01-01T02:00:00Z"))),
        keys("createdAt", 1, "_id", 1), 0, 40),
      new Query(where("tenantId", "a").put("tags", "t3"), keys("_id", 1), 0, 0),
      new Query(where("tenantId", "a").put("tags", "t3"), keys("n", 1, "_id", 1), 0, 15),
      new Query(where("tenantId", "b").put("status", new JsonObject().put("$in", new JsonArray().add("S0").add("S3"))), keys("_id", -1), 0, 30),
      new Query(where("tenantId", "c").put("$or", new JsonArray().add(where("status", "S0")).add(where("n", 3))), keys("_id", 1), 0, 0),
      new Query(where("status", "S1"), keys("n", -1, "_id", 1), 0, 10),
      new Query(where("tenantId", "a").put("missing", null), keys("_id", 1), 0, 10),
      new Query(where("tenantId", "zzz"), keys("_id", 1), 0, 10),
      new Query(where("tenantId", "a").put("n", 5_000_000_000.5), keys("_id", 1), 0, 0),
      new Query(where("tenantId", "a").put("n", 5_000_000_000L), keys("_id", 1), 0, 0));
    for (Query query : queries) {
      long scansBefore = StandInStore.fullScans();
      List<String> indexed = ids(mongo, "indexed", query);
      boolean servedByIndex = StandInStore.fullScans() == scansBefore;
      List<String> scanned = ids(mongo, "scanned", query);
      assertTrue(StandInStore.fullScans() > scansBefore, "without indexes every query scans");
      if (query.filter().containsKey("tenantId")) assertTrue(servedByIndex, "an index serves " + query);
      assertEquals(scanned, indexed, "query " + query);
      assertEquals(mongo.count("scanned", query.filter()).await(), mongo.count("indexed", query.filter()).await(), "count of " + query);
    }
    assertEquals(20, ids(mongo, "indexed", queries.get(0)).size(), "the first query has a full page");

    // a few documents per tenant walked by an index, most of the collection read in storage order, strings matched by
    // hash (arrays, numbers and missing fields by the engine's matcher): the same groups as a scan of the other copy
    List<JsonObject> matches = List.of(
      where("tenantId", "b").put("status", new JsonObject().put("$in", new JsonArray().add("S0").add("S1"))),
      where("tenantId", new JsonObject().put("$in", new JsonArray().add("a").add("b").add("c"))),
      where("tenantId", "a").put("tags", new JsonObject().put("$in", new JsonArray().add("t1").add("t3"))),
      where("tenantId", "c").put("sku", new JsonObject().put("$in", new JsonArray().add("SKU-1").add("SKU-2").add("SKU-30"))),
      where("tenantId", "b").put("n", 5),
      where("tenantId", "a").put("status", "S2").put("missing", "x"));
    for (JsonObject match : matches) {
      JsonArray pipeline = new JsonArray().add(where("$match", match))
        .add(where("$group", where("_id", "$status").put("count", where("$sum", 1)).put("n", where("$sum", "$n"))))
        .add(where("$sort", where("_id", 1)));
      long scansBefore = StandInStore.fullScans();
      List<JsonObject> grouped = aggregate(mongo, "indexed", pipeline);
      assertEquals(scansBefore, StandInStore.fullScans(), "an aggregation's leading $match is served by an index: " + match);
      assertEquals(aggregate(mongo, "scanned", pipeline), grouped, "groups of " + match);
      // both copies' aggregations share the streamed match; a find is matched by the engine itself
      assertEquals(mongo.count("scanned", match).await().longValue(), grouped.stream().mapToLong(g -> g.getLong("count")).sum(),
        "documents grouped for " + match);
    }
    List<JsonObject> grouped = aggregate(mongo, "indexed", new JsonArray().add(where("$match", matches.get(0)))
      .add(where("$group", where("_id", "$status").put("count", where("$sum", 1)))));
    assertEquals(2, grouped.size());
  }

  @Test
  void dataAndIndexesSurviveARestart(@TempDir Path directory) {
    StandInStore first = open(directory);
    MongoClient mongo = client(first);
    mongo.createIndexWithOptions("orders", keys("tenantId", 1, "sku", 1), new IndexOptions().name("tenant_sku").unique(true)).await();
    mongo.createIndexWithOptions("orders", keys("tenantId", 1, "_id", 1), new IndexOptions().name("tenant_id")).await();
    for (int i = 0; i < 500; i++) {
      mongo.insert("orders", new JsonObject().put("_id", id(i)).put("tenantId", "t").put("sku", "S-" + i).put("n", i)).await();
    }
    mongo.close();
    clients.remove(mongo);
    first.close();
    stores.remove(first);
    assertThrows(IllegalStateException.class, () -> StandInStore.inDirectory(directory.resolve(StandInStore.FILE_NAME)),
      "a file where the directory should be is refused");

    MongoClient again = client(open(directory));
    assertEquals(500L, again.count("orders", new JsonObject()).await());
    List<JsonObject> newest = again.findWithOptions("orders", where("tenantId", "t"),
      new FindOptions().setSort(keys("_id", -1)).setLimit(3)).await();
    assertEquals(List.of(id(499), id(498), id(497)), newest.stream().map(o -> o.getString("_id")).toList());
    Exception duplicate = assertThrows(Exception.class,
      () -> again.insert("orders", new JsonObject().put("_id", id(1_000)).put("tenantId", "t").put("sku", "S-7")).await());
    assertTrue(duplicate.getMessage().contains("E11000"), duplicate.getMessage());
  }

  @Test
  void updatesWhileTheFileIsWrittenKeepEveryChange(@TempDir Path directory) {
    StandInStore store = open(directory);
    MongoClient mongo = client(store);
    int documents = 20;
    JsonArray padding = new JsonArray();  // large documents: the background writer spends long encoding each page
    for (int i = 0; i < 2_000; i++) padding.add("attribute value number " + i);
    for (int i = 0; i < documents; i++) {
      mongo.insert("variants", new JsonObject().put("_id", id(i)).put("stock", 0).put("padding", padding)).await();
    }
    int rounds = 400;
    for (int round = 0; round < rounds; round++) {
      List<io.vertx.core.Future<?>> inFlight = new ArrayList<>();
      for (int i = 0; i < documents; i++) {
        JsonObject change = new JsonObject().put("$inc", new JsonObject().put("stock", 1));
        if (round % 2 == 0) change.put("$set", where("reservedBy", "unit-" + round));  // fields come and go: the
        else change.put("$unset", where("reservedBy", ""));                              // document's map changes shape
        inFlight.add(i % 2 == 0 ? mongo.updateCollection("variants", where("_id", id(i)), change)
          : mongo.findOneAndUpdate("variants", where("_id", id(i)), change));
      }
      io.vertx.core.Future.all(inFlight).await();
    }
    mongo.close();
    clients.remove(mongo);
    store.close();
    stores.remove(store);

    MongoClient again = client(open(directory));
    for (JsonObject variant : again.find("variants", new JsonObject()).await()) {
      assertEquals(rounds, variant.getInteger("stock"), () -> "every change to " + variant.getString("_id") + " was kept");
    }
    assertEquals(documents, again.count("variants", new JsonObject()).await().intValue());
  }

  @Test
  void oneProcessPerDirectory(@TempDir Path directory) {
    open(directory);
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> StandInStore.inDirectory(directory));
    assertTrue(refused.getMessage().contains(directory.toAbsolutePath().toString()), refused.getMessage());
    assertTrue(refused.getMessage().contains("in use by another process"), refused.getMessage());
  }

  @Test
  void aFileOfAnotherFormatIsRefusedNotMisread(@TempDir Path directory) {
    MVStore foreign = MVStore.open(directory.resolve(StandInStore.FILE_NAME).toString());
    foreign.openMap("databases.stockroom.orders").put("o1", "written by another layout");
    foreign.close();
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> StandInStore.inDirectory(directory));
    assertTrue(refused.getMessage().contains("cannot be read") && refused.getMessage().contains("delete it to start empty"),
      refused.getMessage());
  }

  @Test
  void ttlIndexesRemoveWhatExpired() {
    StandInStore store = open(null);
    MongoClient mongo = client(store);
    mongo.createIndexWithOptions("keys", keys("expiresAt", 1), new IndexOptions().name("expires").expireAfter(0L, TimeUnit.SECONDS)).await();
    mongo.createIndexWithOptions("sessions", keys("expiresAt", 1), new IndexOptions().name("expires").expireAfter(3_600L, TimeUnit.SECONDS)).await();
    Instant now = Instant.now();
    for (int i = 0; i < 2_500; i++) {
      Instant at = now.plusSeconds(i % 2 == 0 ? -60 : 60);
      JsonObject date = new JsonObject().put("$date", at.toString());
      mongo.insert("keys", new JsonObject().put("_id", id(i)).put("expiresAt", date)).await();
      mongo.insert("sessions", new JsonObject().put("_id", id(i)).put("expiresAt", date)).await();
    }
    mongo.insert("keys", new JsonObject().put("_id", "no-date")).await();

    assertEquals(1_250L, store.removeExpired());
    assertEquals(1_251L, mongo.count("keys", new JsonObject()).await(), "the unexpired half and the document without a date stay");
    assertEquals(2_500L, mongo.count("sessions", new JsonObject()).await(), "an hour's grace: nothing expired yet");
    assertEquals(0L, store.removeExpired());
  }

  private record Query(JsonObject filter, JsonObject sort, int skip, int limit) {
  }

  private static List<String> ids(MongoClient mongo, String collection, Query query) {
    FindOptions options = new FindOptions().setSort(query.sort()).setSkip(query.skip()).setLimit(query.limit());
    return mongo.findWithOptions(collection, query.filter(), options).await().stream().map(d -> d.getString("_id")).toList();
  }

  /**
   * An aggregation's documents, read on an event loop: the client's stream subscribes as soon as its handler is set, so
   * read from any other thread its end could arrive before {@code collect} sets the end handler, and never be seen.
   */
  @SuppressWarnings("unchecked")
  private List<JsonObject> aggregate(MongoClient mongo, String collection, JsonArray pipeline) {
    return OnContext.await(vertx.getOrCreateContext(), () -> mongo.aggregate(collection, pipeline)
      .collect(java.util.stream.Collectors.toList()).map(rows -> (List<JsonObject>) rows).timeout(60, java.util.concurrent.TimeUnit.SECONDS));
  }

  private static JsonObject document(Random random, int i) {
    JsonArray tags = new JsonArray();
    for (int t = random.nextInt(3); t > 0; t--) tags.add("t" + random.nextInt(6));
    JsonObject document = new JsonObject().put("_id", id(i)).put("tenantId", List.of("a", "b", "c").get(random.nextInt(3)))
      .put("status", "S" + random.nextInt(4)).put("n", random.nextInt(40)).put("sku", "SKU-" + random.nextInt(100))
      .put("createdAt", new JsonObject().put("$date", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(4 * 3600)).toString()))
      .put("tags", tags);
    if (i % 7 == 0) document.remove("n");
    if (i % 11 == 0) document.put("n", "text");
    if (i % 13 == 0) document.put("n", 5_000_000_000L);  // a long: 5000000000.5 must not equal it
    return document;
  }

  private static String id(int n) {
    return String.format("%024x", n);
  }

  private static JsonObject where(String field, Object value) {
    return new JsonObject().put(field, value);
  }

  private static JsonObject keys(Object... fieldsAndDirections) {
    JsonObject keys = new JsonObject();
    for (int i = 0; i < fieldsAndDirections.length; i += 2) keys.put((String) fieldsAndDirections[i], fieldsAndDirections[i + 1]);
    return keys;
  }

  private StandInStore open(Path directory) {
    StandInStore store = directory == null ? StandInStore.inMemory() : StandInStore.inDirectory(directory);
    stores.add(store);
    return store;
  }

  private MongoClient client(StandInStore store) {
    String uri = store.bind("127.0.0.1", 0);
    MongoClient mongo = MongoClient.createShared(vertx, new JsonObject().put("connection_string", uri).put("db_name", "standin")
      .put("serverSelectionTimeoutMS", 5_000), uri);
    assertNotNull(mongo);
    clients.add(mongo);
    return mongo;
  }
}
