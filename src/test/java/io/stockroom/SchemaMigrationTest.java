package io.stockroom;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.schema.CollectionSpec;
import io.stockroom.platform.schema.IndexSpec;
import io.stockroom.support.Eventually;
import io.stockroom.support.LogCapture;
import io.stockroom.support.SecondInstance;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema manifest and the migrate command: the manifest is pinned by a committed snapshot, migrate is repeatable
 * and refuses conflicting indexes, and an instance on a database that does not match stays not ready until migrate ran.
 */
class SchemaMigrationTest {
  private static final Path SNAPSHOT = Path.of("src/test/resources/schema-manifest.json");
  /** Tenant collections whose indexes may start without tenantId: each serves a sweep over every tenant. */
  private static final Set<String> CROSS_TENANT_INDEXES = Set.of("users.email", "refresh_tokens.familyId_1",
    "refresh_tokens.expired_tokens_ttl", "refresh_families.expired_families_ttl", "reservations.status_expires", "webhook_deliveries.due", "webhook_deliveries.expiry",
    "import_jobs.status_lease", "idempotency_keys.expires", "variants.lastDay_salesCap", "variants.figuresPending_tenant",
    // per-tenant caps: the slot's value starts with the tenantId ("<tenantId>/<n>"), and it is only written, never queried
    "locations.slot_unique", "webhooks.slot_unique", "import_jobs.slot_unique");

  private final TestStack stack = TestStack.get();

  @Test
  @DisplayName("the manifest equals the committed snapshot (update it with -Dschema.snapshot.update=true and review the diff)")
  void manifestMatchesSnapshot() throws IOException {
    String rendered = new JsonArray(SchemaManifest.collections().stream().map(CollectionSpec::describe).toList()).encodePrettily() + "\n";
    if (Boolean.getBoolean("schema.snapshot.update")) Files.writeString(SNAPSHOT, rendered);
    assertEquals(Files.readString(SNAPSHOT), rendered, "the schema manifest changed: every index change must be a visible diff of "
      + SNAPSHOT + " (regenerate with -Dschema.snapshot.update=true)");
  }

  @Test
  @DisplayName("manifest rules: unique names, tenant data indexed by tenantId first, unique indexes of sharded collections start with the shard key")
  void manifestRules() {
    List<String> problems = new ArrayList<>();
    Set<String> collections = new HashSet<>();
    for (CollectionSpec collection : SchemaManifest.collections()) {
      if (!collections.add(collection.name())) problems.add("collection declared twice: " + collection.name());
      Set<String> names = new HashSet<>();
      for (IndexSpec index : collection.indexes()) {
        String where = collection.name() + "." + index.name();
        if (!names.add(index.name())) problems.add("index name used twice: " + where);
        String first = index.keys().fieldNames().iterator().next();
        if (!first.equals("tenantId") && !CROSS_TENANT_INDEXES.contains(where) && !collection.name().startsWith("unit_")
            && !collection.name().equals("outbox")) {
          problems.add(where + " does not start with tenantId");
        }
        if (collection.shardKey() != null && index.unique()
            && !List.copyOf(index.keys().fieldNames()).subList(0, collection.shardKey().size()).equals(List.copyOf(collection.shardKey().fieldNames()))) {
          problems.add(where + " is unique but does not start with the shard key " + collection.shardKey().encode());
        }
      }
      if (collection.retired().stream().anyMatch(names::contains)) problems.add(collection.name() + " retires an index it declares");
    }
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("migrate creates every collection and index, then finds nothing to do; it leaves stand-in-only indexes to the stand-in")
  void migrateIsRepeatable() {
    String database = freshDatabase();
    Outcome first = migrate(database);
    assertEquals(Migrate.OK, first.exitCode(), first.output());
    assertTrue(first.output().contains("created collection variants"), first.output());
    assertTrue(first.output().contains("built index variants.tenant_sku_unique"), first.output());

    MongoClient mongo = clientOn(database);
    List<String> collections = mongo.getCollections().await();
    for (CollectionSpec spec : SchemaManifest.collections()) {
      assertTrue(collections.contains(spec.name()), spec.name() + " was created");
      Set<String> indexNames = new HashSet<>();
      mongo.listIndexes(spec.name()).await().forEach(index -> indexNames.add(((JsonObject) index).getString("name")));
      // the test stand-in counts as the stand-in: its planner-only indexes are there too
      for (IndexSpec index : spec.indexes()) assertTrue(indexNames.contains(index.name()), spec.name() + "." + index.name());
    }

    Outcome second = migrate(database);
    assertEquals(Migrate.OK, second.exitCode(), second.output());
    assertTrue(second.output().contains("already matches"), second.output());
  }

  @Test
  @DisplayName("migrate brings an older release's data up to date once: variants get their figures (low-stock state, worth, day buckets from the ledger and the old rollups) and search keys, products their name's search keys, tenants with webhooks their ledger cursor")
  void migrateUpgradesOlderData() {
    String database = freshDatabase();
    MongoClient mongo = clientOn(database);
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    mongo.insert("variants", new JsonObject().put("_id", "v-low").put("tenantId", "t1").put("sku", "OLD-1").put("stock", 1L)
      .put("price", 100L).put("reorderLevel", 5L).put("incoming", 0L)
      .put("sales30", new JsonObject().put("u", 2L).put("r", 200L))).await();
    mongo.insert("variants", new JsonObject().put("_id", "v-fine").put("tenantId", "t1").put("sku", "OLD-2").put("stock", 50L)
      .put("price", 100L).put("lastUnitCost", 40L).put("reorderLevel", 5L).put("incoming", 0L)).await();
    mongo.insert("stock_movements", new JsonObject().put("_id", new org.bson.types.ObjectId().toHexString()).put("tenantId", "t1")
      .put("variantId", "v-low").put("type", "SALE").put("quantity", -2L).put("day", today).put("sourceKey", "order:o1:v-low")
      .put("createdAt", new JsonObject().put("$date", java.time.Instant.now().toString()))).await();
    mongo.insert("products", new JsonObject().put("_id", "p-old").put("tenantId", "t1").put("name", "Old Enamel Mug")
      .put("variantCount", 2L)).await();
    mongo.insert("webhooks", new JsonObject().put("_id", "w-on").put("tenantId", "t1").put("active", true)).await();
    mongo.insert("webhooks", new JsonObject().put("_id", "w-off").put("tenantId", "t2").put("active", false)).await();
    int shard = Math.floorMod("v-low".hashCode(), 8);
    mongo.insert("daily_stock", new JsonObject().put("_id", "t1:" + today + ":" + shard).put("tenantId", "t1").put("day", today)
      .put("out", new JsonObject().put("SALE", 2L)).put("sales", new JsonObject().put("v-low", new JsonObject().put("u", 2L).put("r", 200L)))).await();

    Outcome first = migrate(database);
    assertEquals(Migrate.OK, first.exitCode(), first.output());
    assertTrue(first.output().contains("stored the dashboard figures of 2 variant(s)"), first.output());
    assertTrue(first.output().contains("followed the ledger of 1 tenant(s) with webhooks"), first.output());
    assertTrue(mongo.findOne("webhook_cursors", new JsonObject().put("_id", "t1"), null).await() != null, "the tenant with an active endpoint");
    assertEquals(null, mongo.findOne("webhook_cursors", new JsonObject().put("_id", "t2"), null).await(), "not one whose endpoints are off");
    JsonObject low = mongo.findOne("variants", new JsonObject().put("_id", "v-low"), null).await();
    assertEquals(true, low.getBoolean("low"));
    assertEquals(4L, low.getLong("shortfall"));
    assertEquals(100L, ((Number) low.getJsonObject("worth").getValue("p")).longValue());
    JsonObject bucket = low.getJsonArray("days").getJsonObject(0);
    assertEquals(today, bucket.getString("d"));
    assertEquals(2L, bucket.getJsonObject("o").getLong("SALE"), "flows from the ledger");
    assertEquals(2L, bucket.getLong("u"), "units sold from the old rollup");
    assertEquals(200L, ((Number) bucket.getValue("r")).longValue(), "revenue from the old rollup");
    assertEquals(2L, low.getLong("salesCap"));
    assertTrue(!low.containsKey("sales30"), low::encode);
    JsonObject fine = mongo.findOne("variants", new JsonObject().put("_id", "v-fine"), null).await();
    assertEquals(false, fine.getBoolean("low"));
    assertEquals(2000L, ((Number) fine.getJsonObject("worth").getValue("c")).longValue());
    assertEquals(0, fine.getJsonArray("days").size());

    assertTrue(first.output().contains("gave 2 variant(s) the search keys of their SKU"), first.output());
    assertTrue(first.output().contains("gave 1 product(s) the search keys of their name"), first.output());
    assertEquals(new JsonArray().add("o").add("ol").add("old").add("old-").add("old-1"), low.getJsonArray("skuKeys"));
    JsonObject product = mongo.findOne("products", new JsonObject().put("_id", "p-old"), null).await();
    assertTrue(product.getJsonArray("nameKeys").contains("enam"), product::encode);
    assertTrue(product.getJsonArray("nameKeys").contains("old enamel m"), product::encode);

    Outcome second = migrate(database);
    assertEquals(Migrate.OK, second.exitCode(), second.output());
    assertTrue(!second.output().contains("stored") && !second.output().contains("followed") && !second.output().contains("search keys"),
      second.output());

    // an older instance, still serving during a rolling upgrade, renames the product and the SKU without their keys
    mongo.updateCollection("products", new JsonObject().put("_id", "p-old"), new JsonObject().put("$set", new JsonObject().put("name", "Blue Cup"))).await();
    mongo.updateCollection("variants", new JsonObject().put("_id", "v-low"), new JsonObject().put("$set", new JsonObject().put("sku", "NEW-1"))).await();
    Outcome afterRollout = migrate(database);
    assertTrue(afterRollout.output().contains("gave 1 variant(s) the search keys of their SKU"), afterRollout.output());
    assertTrue(afterRollout.output().contains("gave 1 product(s) the search keys of their name"), afterRollout.output());
    JsonObject renamed = mongo.findOne("products", new JsonObject().put("_id", "p-old"), null).await();
    assertTrue(renamed.getJsonArray("nameKeys").contains("cup") && !renamed.getJsonArray("nameKeys").contains("enam"), renamed::encode);
    assertEquals(new JsonArray().add("n").add("ne").add("new").add("new-").add("new-1"),
      mongo.findOne("variants", new JsonObject().put("_id", "v-low"), null).await().getJsonArray("skuKeys"));
  }

  @Test
  @DisplayName("an index whose keys changed under its name, or whose keys exist under another name, stops migrate with a clear message")
  void conflictingIndexesStopMigrate() {
    String database = freshDatabase();
    MongoClient mongo = clientOn(database);
    mongo.createIndexWithOptions("variants", new JsonObject().put("tenantId", 1).put("sku", 1).put("productId", 1),
      new IndexOptions().name("tenant_sku_unique").unique(true)).await();
    mongo.createIndexWithOptions("orders", new JsonObject().put("tenantId", 1).put("createdAt", 1),
      new IndexOptions().name("orders_by_date")).await();

    Outcome outcome = migrate(database);
    assertEquals(Migrate.CONFLICT, outcome.exitCode(), outcome.output());
    assertTrue(outcome.output().contains("CONFLICT variants.tenant_sku_unique"), outcome.output());
    assertTrue(outcome.output().contains("dropIndex(\"tenant_sku_unique\")"), outcome.output());
    assertTrue(outcome.output().contains("CONFLICT orders.tenant_created"), outcome.output());
    assertTrue(outcome.output().contains("\"orders_by_date\""), outcome.output());
    Set<String> orderIndexes = new HashSet<>();
    mongo.listIndexes("orders").await().forEach(index -> orderIndexes.add(((JsonObject) index).getString("name")));
    assertTrue(!orderIndexes.contains("tenant_created"), "nothing was built next to the conflicting index");
  }

  @Test
  @DisplayName("an instance whose database lacks the schema stays not ready, names migrate in its log, and gets ready once migrate ran")
  void unmigratedDatabaseKeepsReadinessDown() throws InterruptedException {
    LogCapture.install();
    String database = freshDatabase();
    try (SecondInstance instance = SecondInstance.start(stack, new JsonObject().put("mongo.database", database)
        .put("schema.migrateOnStart", "never"))) {
      assertEquals(503, instance.api.get("/health/ready", null).status());
      assertTrue(LogCapture.linesContaining("Run `java -jar stockroom.jar migrate`").stream().anyMatch(line -> line.contains("variants")),
        "the log names the migrate command and what is missing");
      assertEquals(200, instance.api.get("/health/live", null).status());

      Outcome migrated = migrate(database);
      assertEquals(Migrate.OK, migrated.exitCode(), migrated.output());
      int status = Eventually.value(Duration.ofMillis(3 * StorageVerticle.RECHECK_MS), Duration.ofMillis(250), () -> instance.api.get("/health/ready", null).status(),
        ready -> ready == 200);
      assertEquals(200, status, "ready once the database matches the manifest");
    }
  }

  private record Outcome(int exitCode, String output) {
  }

  private Outcome migrate(String database) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exitCode = Migrate.run(new JsonObject().put("mongo.uri", stack.settings.string(ConfigKey.MONGO_URI))
      .put("mongo.database", database), out);
    return new Outcome(exitCode, bytes.toString(StandardCharsets.UTF_8));
  }

  private MongoClient clientOn(String database) {
    return MongoClient.createShared(stack.vertx, new JsonObject().put("connection_string", stack.settings.string(ConfigKey.MONGO_URI))
      .put("db_name", database), "schema-test-" + database);
  }

  private static String freshDatabase() {
    return "schema_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
