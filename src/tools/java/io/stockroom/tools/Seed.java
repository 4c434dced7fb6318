package io.stockroom.tools;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.MovementRepository;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.FigureSums;
import io.stockroom.inventory.VariantFigures;
import io.stockroom.platform.money.Amounts;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Fills a new tenant with {@code variants} variants and {@code movements} historic stock movements spread over the
 * last {@code days} days, written in bulk straight to MongoDB together with everything the service keeps beside them
 * (stock, the daily rollups, 30-day sales, the sales window), so the ledger adds up and the dashboard is exact.
 *
 * <pre>STOCKROOM_MONGO_URI=mongodb://127.0.0.1:PORT java -cp target/stockroom.jar:target/stockroom-tools.jar io.stockroom.tools.Seed \
 *   --variants 10000 --movements 1000000 --days 365</pre>
 * It prints the owner's email and password; log in with them. {@link #run()} blocks: call it from a plain thread
 * (a command's main, a benchmark), never from an event loop.
 */
public final class Seed {
  private static final int BATCH = 5_000;

  public record Options(int variants, long movements, int days, long randomSeed) {
  }

  public record Result(String tenantId, String email, String password, long movements) {
  }

  private final MongoClient mongo;
  private final Options options;
  private final Random random;

  public Seed(MongoClient mongo, Options options) {
    this.mongo = mongo;
    this.options = options;
    this.random = new Random(options.randomSeed());
  }

  public static void main(String[] args) {
    Map<String, String> flags = flags(args);
    String uri = System.getenv().getOrDefault("STOCKROOM_MONGO_URI", flags.get("mongo"));
    if (uri == null || uri.isBlank()) {
      System.err.println("Set STOCKROOM_MONGO_URI (the embedded server's URI is in the service's startup log) or --mongo URI");
      System.exit(2);
    }
    Options options = new Options(Integer.parseInt(flags.getOrDefault("variants", "10000")),
      Long.parseLong(flags.getOrDefault("movements", "1000000")), Integer.parseInt(flags.getOrDefault("days", "365")),
      Long.parseLong(flags.getOrDefault("seed", "42")));
    Vertx vertx = Vertx.vertx();
    MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri)
      .put("db_name", System.getenv().getOrDefault("STOCKROOM_MONGO_DATABASE", flags.getOrDefault("database", "stockroom"))));
    long started = System.currentTimeMillis();
    try {
      Result result = new Seed(mongo, options).run();
      System.out.printf("Seeded tenant %s: %d variants, %d movements over %d days in %.1f s%n", result.tenantId(),
        options.variants(), result.movements(), options.days(), (System.currentTimeMillis() - started) / 1000.0);
      System.out.printf("Log in as %s / %s%n", result.email(), result.password());
    } finally {
      vertx.close().await();
    }
  }

  public Result run() {
    String tenantId = Mongo.newId();
    String email = "seed-" + tenantId.substring(16) + "@example.test";
    String password = "seed-" + UUID.randomUUID().toString().substring(0, 12);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate firstDay = today.minusDays(options.days() - 1L);
    LocalDate windowStart = today.minusDays(VariantFigures.KEPT_DAYS - 1L);
    mongo.insert(io.stockroom.auth.TenantRepository.COLLECTION, new JsonObject().put("_id", tenantId).put("name", "Seeded " + options.variants() + "/" + options.movements())
      .put("currency", "EUR").put("timezone", "UTC").put("createdAt", Mongo.date(firstDay.atStartOfDay().toInstant(ZoneOffset.UTC)))).await();
    mongo.insert("users", new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("email", email)
      .put("name", "Seed owner").put("role", "OWNER").put("active", true)
      .put("passwordHash", BCrypt.withDefaults().hashToString(10, password.toCharArray())).put("createdAt", Mongo.now())).await();

    List<JsonObject> products = new ArrayList<>();
    List<JsonObject> variants = new ArrayList<>();
    List<JsonObject> movements = new ArrayList<>();
    int perProduct = 10;
    SeededProjection projection = new SeededProjection();
    long remaining = options.movements();
    long written = 0;
    for (int i = 0; i < options.variants(); i++) {
      if (i % perProduct == 0) {
        products.add(new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId).put("name", "Product " + (i / perProduct))
          .put("variantCount", 0L).put("createdAt", Mongo.now()));
      }
      long count = Math.max(1, remaining / (options.variants() - i));
      remaining -= count;
      JsonObject variant = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId)
        .put("productId", products.get(products.size() - 1).getString("_id")).put("sku", "SEED-" + i)
        .put("attributes", new JsonObject().put("size", List.of("S", "M", "L").get(i % 3))).put("price", 500L + random.nextInt(20_000))
        .put("reorderLevel", 5 + random.nextInt(15)).put("incoming", 0L).put("openPurchaseOrders", 0L).put("version", 0L)
        .put("createdAt", Mongo.now());
      int from = movements.size();
      history(variant, count, firstDay, movements);
      variant.put("movements", count);
      Map<String, JsonObject> buckets = VariantFigures.bucketsOf(movements.subList(from, movements.size()), windowStart.toString());
      variant.mergeIn(io.stockroom.inventory.StockLevels.lowFields(variant)).mergeIn(VariantFigures.worth(variant))
        .mergeIn(VariantFigures.dayFields(buckets.values()));
      projection.add(variant, buckets.values());
      JsonObject product = products.get(products.size() - 1);
      product.put("variantCount", product.getLong("variantCount") + 1);
      variants.add(variant);
      if (movements.size() >= 50_000) {
        written += movements.size();
        insertAll(MovementRepository.COLLECTION, movements);
        movements.clear();
      }
    }
    written += movements.size();
    insertAll(MovementRepository.COLLECTION, movements);
    insertAll(ProductRepository.COLLECTION, products);
    insertAll(Variants.COLLECTION, variants);
    projection.write(mongo, tenantId);
    return new Result(tenantId, email, password, written);
  }

  /** One variant's movements, oldest first: an opening adjustment, then purchases, sales, returns and adjustments. */
  private void history(JsonObject variant, long count, LocalDate firstDay, List<JsonObject> movements) {
    long stock = 0;
    long price = variant.getLong("price");
    long[] offsets = new long[(int) count];
    long span = LocalDate.now(ZoneOffset.UTC).toEpochDay() - firstDay.toEpochDay() + 1;
    for (int k = 0; k < count; k++) offsets[k] = (long) (random.nextDouble() * span * 86_400);
    java.util.Arrays.sort(offsets);
    for (int k = 0; k < count; k++) {
      MovementType type;
      long quantity;
      int roll = random.nextInt(100);
      if (k == 0) { type = MovementType.ADJUSTMENT; quantity = 20 + random.nextInt(60); }
      else if (roll < 55 && stock >= 3) { type = MovementType.SALE; quantity = -(1 + random.nextInt(3)); }
      else if (roll < 80 || stock < 3) { type = MovementType.PURCHASE; quantity = 5 + random.nextInt(20); }
      else if (roll < 90) { type = MovementType.RETURN; quantity = 1; }
      else { type = MovementType.ADJUSTMENT; quantity = stock > 0 ? -1 : 1; }
      stock += quantity;
      Instant at = firstDay.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(offsets[k]);
      if (at.isAfter(Instant.now())) at = Instant.now();
      LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
      String id = new ObjectId(Date.from(at)).toHexString();
      movements.add(new JsonObject().put("_id", id).put("tenantId", variant.getString("tenantId"))
        .put("variantId", variant.getString("_id")).put("sku", variant.getString("sku")).put("type", type.name())
        .put("quantity", quantity).put("stockAfter", stock).put("source", new JsonObject().put("kind", "IMPORT").put("id", "seed"))
        .put("sourceKey", "seed:" + id).put("actor", "seed").put("reason", "seeded history").put("day", day.toString())
        .put("createdAt", Mongo.date(at)));
      long units = type == MovementType.SALE || type == MovementType.RETURN ? -quantity : 0;
      if (units != 0) movements.get(movements.size() - 1).put("sold", new JsonObject().put("u", units).put("r", Amounts.stored(Amounts.times(price, units))));
    }
    variant.put("stock", stock).put("lastUnitCost", price / 2);
  }

  private void insertAll(String collection, List<JsonObject> docs) {
    for (int from = 0; from < docs.size(); from += BATCH) {
      List<BulkOperation> batch = docs.subList(from, Math.min(docs.size(), from + BATCH)).stream().map(BulkOperation::createInsert).toList();
      mongo.bulkWriteWithOptions(collection, batch, new BulkWriteOptions(false)).await();
    }
  }

  static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    return flags;
  }

  /** The dashboard's projection of the seeded variants, written as its projector would have left it: nothing pending. */
  private static final class SeededProjection {
    private final FigureSums sums = new FigureSums();

    void add(JsonObject variant, java.util.Collection<JsonObject> buckets) {
      JsonObject figures = VariantFigures.worth(variant);
      sums.addWorth(figures.getJsonObject("worth"), 1).addWorthAt(figures.getJsonArray("worthAt"), 1);
      buckets.forEach(bucket -> sums.addFlows(bucket.getString("d"), bucket, 1));
    }

    void write(MongoClient mongo, String tenantId) {
      mongo.insert(io.stockroom.dashboard.DashboardTotals.TOTALS, new JsonObject().put("_id", tenantId).put("tenantId", tenantId)
        .put("w", sums.worth()).put("at", sums.worthAt()).put("epoch", 1L).put("version", 0L)).await();
      sums.flows().forEach((day, flows) -> mongo.insert(io.stockroom.dashboard.DashboardTotals.DAYS, new JsonObject()
        .put("_id", tenantId + ":" + day).put("tenantId", tenantId).put("day", day).put("i", flows.getJsonObject("i"))
        .put("o", flows.getJsonObject("o")).put("version", 0L)).await());
    }
  }
}
