package io.stockroom.tools;

import io.stockroom.MainVerticle;
import io.stockroom.inventory.Variants;
import io.stockroom.platform.cluster.Clustering;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.RoundTrips;
import io.stockroom.platform.embedded.EmbeddedServers;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.platform.redis.RedisConnections;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * The benchmark harness: boots Stockroom in this process (embedded MongoDB stand-in and redis-server, or the stores
 * of {@code STOCKROOM_MONGO_URI} / {@code STOCKROOM_REDIS_URI}), and for each scenario runs the matching floor (the
 * same data-store clients driven directly: no HTTP, bus or auth) and the service side by side, each a closed loop of
 * {@code --connections} callers for {@code --seconds}. Prints one table: throughput, p50/p99, the ratio to the floor,
 * MongoDB round trips per operation (the driver's command listener), resident memory and start time. Every scenario
 * ends with the invariant check (the service's audit is clean and the stock moved by exactly the orders it accepted).
 *
 * <pre>java -Xmx6g -cp target/stockroom.jar:target/stockroom-tools.jar io.stockroom.tools.Bench --scenario all --seconds 15 --check</pre>
 * Scenarios: {@code orders} (single-line orders over 100 variants), {@code hot} (one variant, 16 and 200 connections),
 * {@code read} (authenticated GET of a variant), {@code tenants} (the order load in 10 tenants against the same in 1). {@code --check} exits 1 when a target of README's table is missed.
 */
public final class Bench {
    private static final String FLOOR_VARIANTS = "bench_floor_variants";
  private static final String FLOOR_MOVEMENTS = "bench_floor_movements";
  private static final String FLOOR_ORDERS = "bench_floor_orders";
  public static final List<String> ALL = List.of("writes", "orders", "hot", "read", "tenants", "mixed", "dashboard", "process");
  private static final long WARMUP_STEP_MS = 2_000;
  private static final int PROCESS_STARTS = 3;
  private static final long QUIET_JIT_MS = 100;
  private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  /** What to run. */
  public record Options(List<String> scenarios, int seconds, int connections, int variants, boolean check,
                        int dashboardVariants, long dashboardMovements, int processSeconds, int warmupSeconds,
                        int maxWarmupSeconds) {
    /** The common options, with the dashboard's data, the separate process's load and the warm-ups at their defaults. */
    public Options(List<String> scenarios, int seconds, int connections, int variants, boolean check) {
      this(scenarios, seconds, connections, variants, check, 10_000, 1_000_000, 60, 20, 60);
    }

    static Options parse(String[] args) {
      Map<String, String> flags = Flags.parse(args);
      String scenario = flags.getOrDefault("scenario", "all");
      List<String> scenarios = scenario.equals("all") ? ALL : List.of(scenario.split(","));
      return new Options(scenarios, Integer.parseInt(flags.getOrDefault("seconds", "15")),
        Integer.parseInt(flags.getOrDefault("connections", "16")), Integer.parseInt(flags.getOrDefault("variants", "100")),
        Boolean.parseBoolean(flags.getOrDefault("check", "false")),
        Integer.parseInt(flags.getOrDefault("dashboard-variants", "10000")),
        Long.parseLong(flags.getOrDefault("dashboard-movements", "1000000")),
        Integer.parseInt(flags.getOrDefault("process-seconds", "60")),
        Integer.parseInt(flags.getOrDefault("warmup-seconds", "20")),
        Integer.parseInt(flags.getOrDefault("max-warmup-seconds", "60")));
    }
  }

  /**
   * One line of the table: a scenario's floor and service results, whether its targets were met, and the service's
   * MongoDB commands per operation by command and collection.
   */
  public record Row(String scenario, ClosedLoop.Result floor, ClosedLoop.Result service, double floorRoundTrips,
                    double serviceRoundTrips, String target, boolean met, Map<String, Double> serviceCommands) {
    public double ratio() {
      return service.perSecond() / floor.perSecond();
    }
  }

  /** The whole run; {@code process} is null unless that scenario ran. */
  public record Report(List<Row> rows, long startMs, long residentMb, ServiceProcess process) {
    public boolean allMet() {
      return (process == null || process.met()) && rows.stream().allMatch(Row::met);
    }
  }

  /**
   * The service alone in its own JVM, started as deployed ({@code java @conf/jvm.options}): from launch to ready, for
   * each of {@link #PROCESS_STARTS} starts, and its resident memory after {@code seconds} of order load.
   */
  public record ServiceProcess(List<Long> startsMs, long residentMb, int seconds, ClosedLoop.Result load) {
    /** The median start: one start on a shared 2-core machine varies by several tenths of a second. */
    public long readyMs() {
      return startsMs.stream().sorted().toList().get(startsMs.size() / 2);
    }

    public boolean met() {
      return readyMs() <= 2_000 && residentMb <= 400;
    }
  }

  private final Options options;
  /** The orders scenario's service rate, which the hot variant's is held to (NaN until it ran). */
  private double spreadOrdersPerSecond = Double.NaN;
  private Vertx vertx;
  private WebClient http;
  private MongoClient mongo;
  private RedisAPI redis;

  private Bench(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Report report = run(options);
    print(report);
    System.exit(options.check() && !report.allMet() ? 1 : 0);
  }

  public static Report run(Options options) throws Exception {
    return new Bench(options).runAll();
  }

  private Report runAll() throws Exception {
    // the service deployed here runs on this Vert.x: its event loops as -Dstockroom.vertx.eventLoops says, as in production
    int eventLoops = Clustering.eventLoops(Integer.getInteger("stockroom.vertx.eventLoops", 0));
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      int port = EmbeddedServers.freePort();
      MainVerticle main = new MainVerticle();
      long booting = System.nanoTime();
      vertx.deployVerticle(main, new DeploymentOptions().setConfig(new JsonObject()
        .put("http.port", port).put("http.host", "127.0.0.1").put("management.port", 0).put("management.host", "127.0.0.1")
        .put("mongo.database", "stockroom_bench_" + UUID.randomUUID().toString().substring(0, 8))
        .put("rateLimits.tenantPerSecond", 1_000_000).put("rateLimits.userPerSecond", 1_000_000)
        .put("rateLimits.addressPerMinute", 1_000_000).put("rateLimits.loginPerMinute", 1_000))).await();
      long startMs = (System.nanoTime() - booting) / 1_000_000;
      Settings settings = main.settings();
      http = ClosedLoop.httpClient(vertx, port, options.connections());
      mongo = Storage.mongo(vertx, settings, "bench-floor");
      redis = RedisAPI.api(Redis.createClient(vertx, RedisConnections.options(settings).setMaxPoolSize(16).setMaxPoolWaiting(4096)));

      warmUp();
      List<Row> rows = new ArrayList<>();
      ServiceProcess process = null;
      for (String scenario : options.scenarios()) {
        switch (scenario) {
          case "writes" -> rows.add(writes());
          case "orders" -> rows.add(orders());
          case "hot" -> rows.addAll(hot());
          case "read" -> rows.add(read());
          case "tenants" -> rows.add(tenants());
          case "mixed" -> rows.add(mixed());
          case "dashboard" -> rows.add(dashboard());
          case "process" -> process = serviceProcess(settings);
          default -> throw new IllegalArgumentException("Unknown scenario " + scenario + " (" + String.join(", ", ALL) + ", all)");
        }
      }
      return new Report(rows, startMs, ServiceLauncher.residentMb(ProcessHandle.current().pid()), process);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Before the first scenario: {@code --warmup-seconds} (default 20, at most the run's own length) of orders and reads
   * on a scratch tenant and of the floor's operations, so that the first scenario is not measured while the JIT still
   * compiles the request path (a service in production runs warm).
   */
  private void warmUp() {
    long ms = Math.min(options.warmupSeconds(), options.seconds() * 2L) * 1_000L;
    if (ms <= 0) return;
    Tenant tenant = tenant("Bench Warm-up", 10);
    List<String> floorIds = floorVariants(10);
    ClosedLoop.run(vertx, options.connections(), ms / 2, worker -> worker % 2 == 0 ? tenant.order(tenant.randomVariant())
      : tenant.get("/api/v1/variants/" + tenant.randomVariant())).await();
    ClosedLoop.run(vertx, options.connections(), ms / 2, worker -> floorOrder(pick(floorIds), 0)).await();
  }

  // --- scenarios ---

  /**
   * What an order costs the database, counted on the wire: 300 single-line orders, 16 at a time, two per variant over
   * 150 variants of one tenant. Commands and documents written per order (undo, journal and settlement included), the
   * most written document's share of the orders, then the dashboard checked against the variants right after.
   */
  private Row writes() {
    int variants = 150;
    int orders = 2 * variants;
    Tenant tenant = tenant("Bench Writes", variants);
    List<String> queue = new ArrayList<>();
    for (String variant : tenant.variants()) queue.addAll(List.of(variant, variant));
    java.util.Collections.shuffle(queue);
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    Map<String, Long> answers = new java.util.concurrent.ConcurrentHashMap<>();
    long started = System.nanoTime();
    WriteTally tally = new WriteTally();
    try (tally) {
      List<Future<Void>> workers = new ArrayList<>();
      for (int w = 0; w < 16; w++) workers.add(drain(tenant, queue, next, answers));
      Future.all(workers).await();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double commands = (double) tally.commands() / orders;
    double documents = (double) tally.documents() / orders;
    Map.Entry<String, Long> hottest = tally.hottest();
    double hottestShare = (double) hottest.getValue() / orders;
    tenant.assertInvariants(answers.getOrDefault("201", 0L));
    String dashboard = checkDashboard(tenant);
    boolean met = answers.getOrDefault("201", 0L) == orders && documents <= 8 && commands <= 3 && hottestShare <= 0.10 && dashboard == null;
    ClosedLoop.Result result = ClosedLoop.Result.of(orders, seconds, answers);
    System.out.printf("  writes: %.2f commands and %.2f documents written per order (%s); most written: %s, %d times (%.0f%% of the orders)%s%n",
      commands, documents, tally.byCollection().entrySet().stream().map(e -> String.format("%s %.2f", e.getKey(), (double) e.getValue() / orders))
        .collect(java.util.stream.Collectors.joining(", ")),
      hottest.getKey(), hottest.getValue(), 100 * hottestShare, dashboard == null ? "" : "; " + dashboard);
    System.out.println("  writes: commands per order by kind: " + tally.byCommand().entrySet().stream()
      .map(e -> String.format("%s %.2f", e.getKey(), (double) e.getValue() / orders)).collect(java.util.stream.Collectors.joining(", ")));
    return new Row(String.format("writes (300 orders, 150 variants): %.1f cmd, %.1f docs, hottest %.0f%%", commands, documents,
      100 * hottestShare), result, result, commands, commands,
      "300/300 accepted, <= 3 commands and <= 8 documents per order, no document written by > 10% of orders, dashboard exact", met, Map.of());
  }

  private Future<Void> drain(Tenant tenant, List<String> queue, java.util.concurrent.atomic.AtomicInteger next, Map<String, Long> answers) {
    int at = next.getAndIncrement();
    if (at >= queue.size()) return Future.succeededFuture();
    return tenant.order(queue.get(at)).map(status -> answers.merge(status, 1L, Long::sum))
      .compose(counted -> drain(tenant, queue, next, answers));
  }

  /**
   * Null when the dashboard's value is Σ stock × price, its low-stock total the variants at or below their reorder
   * level, and its top sellers five variants of two units each; else what differs.
   */
  private static String checkDashboard(Tenant tenant) {
    JsonObject dashboard = tenant.getJson("/api/v1/dashboard");
    java.math.BigInteger value = java.math.BigInteger.ZERO;
    long low = 0;
    for (String id : tenant.variants()) {
      JsonObject variant = tenant.getJson("/api/v1/variants/" + id);
      value = value.add(java.math.BigInteger.valueOf(variant.getLong("stock")).multiply(java.math.BigInteger.valueOf(variant.getLong("price"))));
      if (variant.getLong("available") + variant.getLong("incoming") <= variant.getLong("reorderLevel")) low++;
    }
    String shown = dashboard.getJsonObject("inventoryValue").getString("atPrice");
    if (!value.toString().equals(shown)) return "dashboard value " + shown + ", variants add up to " + value;
    if (dashboard.getLong("lowStockTotal") != low) return "dashboard low-stock total " + dashboard.getLong("lowStockTotal") + ", variants " + low;
    JsonArray top = dashboard.getJsonArray("topSellers");
    if (top.size() != 5 || top.stream().anyMatch(row -> ((JsonObject) row).getLong("unitsSold") != 2)) return "top sellers " + top.encode();
    return null;
  }

  private Row orders() {
    Tenant tenant = tenant("Bench Orders", options.variants());
    List<String> floorIds = floorVariants(options.variants());
    Measured floor = measure(options.connections(), worker -> floorOrder(pick(floorIds), 0));
    Measured service = measure(options.connections(), worker -> tenant.order(tenant.randomVariant()));
    tenant.assertInvariants(service.succeeded());
    spreadOrdersPerSecond = service.result().perSecond();
    boolean met = service.result().perSecond() >= 0.35 * floor.result().perSecond() && service.roundTrips() <= 3;
    return new Row("orders (" + options.variants() + " variants, " + options.connections() + " conn)", floor.result(), service.result(),
      floor.roundTrips(), service.roundTrips(), ">= 35% of floor, <= 3 commands", met, service.commands());
  }

  private List<Row> hot() {
    List<Row> rows = new ArrayList<>();
    for (int connections : List.of(options.connections(), Math.max(options.connections(), 200))) {
      Tenant tenant = tenant("Bench Hot " + connections, 1);
      List<String> floorIds = floorVariants(1);
      Measured floor = measure(connections, worker -> floorOrder(floorIds.get(0), 1));
      Measured service = measure(connections, worker -> tenant.order(tenant.variants().get(0)));
      tenant.assertInvariants(service.succeeded());
      boolean allSold = service.result().count("201") == service.result().operations();
      // a hot variant's orders group-commit: one variant should sell at least as fast as orders spread over many
      boolean met = allSold && (Double.isNaN(spreadOrdersPerSecond) || service.result().perSecond() >= spreadOrdersPerSecond);
      rows.add(new Row("hot variant (" + connections + " conn)", floor.result(), service.result(), floor.roundTrips(), service.roundTrips(),
        String.format(">= the orders scenario's rate (%.0f/s), every order sold", spreadOrdersPerSecond), met, service.commands()));
    }
    return rows;
  }

  private Row read() {
    Tenant tenant = tenant("Bench Read", 1);
    List<String> floorIds = floorVariants(1);
    int floorPort = EmbeddedServers.freePort();
    HttpServer floorServer = vertx.createHttpServer().requestHandler(request -> mongo
        .findOne(FLOOR_VARIANTS, new JsonObject().put("_id", request.path().substring(1)), null)
        .onSuccess(doc -> request.response().putHeader("Content-Type", "application/json").end(doc.encode()))
        .onFailure(err -> request.response().setStatusCode(500).end()))
      .listen(floorPort, "127.0.0.1").await();
    try {
      Measured floor = measure(options.connections(), worker -> http.get(floorPort, "127.0.0.1", "/" + floorIds.get(0)).send()
        .map(ClosedLoop::status));
      Measured service = measure(options.connections(), worker -> http.get("/api/v1/variants/" + tenant.variants().get(0))
        .putHeader("Authorization", "Bearer " + tenant.token()).send().map(ClosedLoop::status));
      tenant.assertInvariants(0);
      boolean met = service.result().perSecond() >= 0.7 * floor.result().perSecond();
      return new Row("authenticated GET (" + options.connections() + " conn)", floor.result(), service.result(), floor.roundTrips(),
        service.roundTrips(), ">= 70% of floor", met, service.commands());
    } finally {
      floorServer.close().await();
    }
  }

  /**
   * The same order load in one tenant and spread over ten (the same number of variants in all): no document may be
   * written by every unit of a tenant, so the two must be within 20 % of each other. The one-tenant run stands in the
   * floor column.
   */
  private Row tenants() {
    int perTenant = Math.max(1, options.variants() / 10);
    Tenant single = tenant("Bench One Tenant", perTenant * 10);
    List<Tenant> spread = new ArrayList<>();
    for (int i = 0; i < 10; i++) spread.add(tenant("Bench Tenant " + i, perTenant));
    Map<Tenant, java.util.concurrent.atomic.AtomicLong> sold = new java.util.concurrent.ConcurrentHashMap<>();
    IntFunction<Future<String>> oneTenant = worker -> counted(sold, single, single.order(single.randomVariant()));
    IntFunction<Future<String>> tenTenants = worker -> {
      Tenant tenant = spread.get(worker % spread.size());
      return counted(sold, tenant, tenant.order(tenant.randomVariant()));
    };
    Measured one = measure(options.connections(), oneTenant);
    Measured ten = measure(options.connections(), tenTenants);
    single.assertInvariants(sold.getOrDefault(single, new java.util.concurrent.atomic.AtomicLong()).get());
    for (Tenant tenant : spread) tenant.assertInvariants(sold.getOrDefault(tenant, new java.util.concurrent.atomic.AtomicLong()).get());
    double faster = Math.max(one.result().perSecond(), ten.result().perSecond());
    boolean met = Math.abs(one.result().perSecond() - ten.result().perSecond()) <= 0.2 * faster;
    return new Row("10 tenants vs 1 (orders, " + options.connections() + " conn)", one.result(), ten.result(), one.roundTrips(),
      ten.roundTrips(), "10 tenants within 20% of 1 tenant", met, ten.commands());
  }

  private static Future<String> counted(Map<Tenant, java.util.concurrent.atomic.AtomicLong> sold, Tenant tenant, Future<String> order) {
    return order.onSuccess(status -> {
      if (status.equals("201")) sold.computeIfAbsent(tenant, t -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    });
  }

  /**
   * A day's traffic in one tenant: 60% reads of a variant, 30% orders, 5% order lists, 5% dashboards; the floor runs
   * the same mix of its own operations. Reported, with no target of its own.
   */
  private Row mixed() {
    Tenant tenant = tenant("Bench Mixed", options.variants());
    List<String> floorIds = floorVariants(options.variants());
    String floorTenant = UUID.randomUUID().toString();
    Measured floor = measure(options.connections(), worker -> {
      int roll = ThreadLocalRandom.current().nextInt(100);
      if (roll < 60) return mongo.findOne(FLOOR_VARIANTS, new JsonObject().put("_id", pick(floorIds)), null).map("200");
      if (roll < 90) return floorOrder(pick(floorIds), 0).map("201");
      if (roll < 95) return mongo.findWithOptions(FLOOR_ORDERS, new JsonObject(), new FindOptions().setLimit(20)).map("200");
      return floorDashboard(floorTenant);
    });
    Measured service = measure(options.connections(), worker -> {
      int roll = ThreadLocalRandom.current().nextInt(100);
      if (roll < 60) return tenant.get("/api/v1/variants/" + tenant.randomVariant());
      if (roll < 90) return tenant.order(tenant.randomVariant());
      if (roll < 95) return tenant.get("/api/v1/orders?limit=20");
      return tenant.get("/api/v1/dashboard");
    });
    tenant.assertInvariants(service.succeeded());
    return new Row("mixed (60% read, 30% order, " + options.connections() + " conn)", floor.result(), service.result(),
      floor.roundTrips(), service.roundTrips(), "reported only", true, service.commands());
  }

  /**
   * The dashboard of a tenant with a long history ({@link Seed}: {@code --dashboard-variants}, default 10,000, and
   * {@code --dashboard-movements}, default 1,000,000) while orders arrive in the same tenant at 100/s; 4 connections
   * read it. The floor reads the documents the dashboard is made of (the totals' shards and 30 days of rollups).
   * Afterwards the dashboard's inventory value must equal the variants' stock times price, summed.
   */
  private Row dashboard() {
    Seed.Result seeded = new Seed(mongo, new Seed.Options(options.dashboardVariants(), options.dashboardMovements(), 365, 42)).run();
    String token = http.post("/api/v1/auth/login").sendJsonObject(new JsonObject().put("email", seeded.email())
      .put("password", seeded.password())).await().bodyAsJsonObject().getString("accessToken");
    List<String> sample = mongo.findWithOptions("variants", new JsonObject().put("tenantId", seeded.tenantId()),
        new FindOptions().setFields(new JsonObject().put("_id", 1)).setLimit(1000)).await()
      .stream().map(v -> v.getString("_id")).toList();
    Tenant tenant = new Tenant(http, token, sample);
    Map<String, Long> ordered = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    long ticker = vertx.setPeriodic(10, id -> {
      sent.incrementAndGet();
      tenant.order(pick(sample)).onComplete(done -> ordered.merge(ClosedLoop.label(done), 1L, Long::sum));
    });
    Measured floor;
    Measured service;
    try {
      floor = measure(4, worker -> floorDashboard(seeded.tenantId()));
      service = measure(4, worker -> tenant.get("/api/v1/dashboard"));
    } finally {
      vertx.cancelTimer(ticker);
    }
    // every order sent has answered: one still in flight has moved its variant's stock and not yet its figures
    long answered = poll(30_000, 50, () -> ordered.values().stream().mapToLong(Long::longValue).sum(), sum -> sum >= sent.get());
    if (answered < sent.get()) {
      throw new IllegalStateException("orders of the dashboard run still unanswered after 30 s: " + ordered + " of " + sent.get());
    }
    // an order whose answer timed out here may still commit: the two are compared again for a few seconds
    String difference = poll(5_000, 200, () -> dashboardDifference(tenant, seeded.tenantId()), java.util.Objects::isNull);
    if (difference != null) throw new IllegalStateException("Invariant check failed: " + difference);
    if (ordered.getOrDefault("201", 0L) == 0) throw new IllegalStateException("no order was placed during the dashboard run: " + ordered);
    boolean met = service.result().p95Ms() <= 50;
    return new Row(String.format("dashboard (%,d variants, %,d movements, +100 orders/s)", options.dashboardVariants(),
        seeded.movements()), floor.result(), service.result(), floor.roundTrips(), service.roundTrips(),
      String.format("p95 <= 50 ms (p95 %.1f ms) while orders arrive: %s", service.result().p95Ms(), ordered), met, service.commands());
  }

  /**
   * What a dashboard reads, sent directly: the tenant's projection (its totals twice, its last 7 days) and the figures
   * still pending on its variants.
   */
  private Future<String> floorDashboard(String tenantId) {
    JsonArray days = new JsonArray();
    for (int i = 0; i < 7; i++) days.add(tenantId + ":" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(i));
    JsonObject totals = new JsonObject().put("_id", tenantId).put("tenantId", tenantId);
    return mongo.findOne(io.stockroom.dashboard.DashboardTotals.TOTALS, totals, null)
      .compose(first -> Future.all(
        mongo.find(io.stockroom.dashboard.DashboardTotals.DAYS, new JsonObject().put("tenantId", tenantId).put("_id", new JsonObject().put("$in", days))),
        mongo.find(Variants.COLLECTION, new JsonObject().put("tenantId", tenantId).put("figuresPending", true))))
      .compose(both -> mongo.findOne(io.stockroom.dashboard.DashboardTotals.TOTALS, totals, null))
      .map("200");
  }

  /** Null when the dashboard's inventory value is the variants' stock × price, summed; else both. */
  private String dashboardDifference(Tenant tenant, String tenantId) {
    JsonObject dashboard = tenant.getJson("/api/v1/dashboard");
    java.math.BigInteger expected = java.math.BigInteger.ZERO;
    for (JsonObject v : mongo.findWithOptions("variants", new JsonObject().put("tenantId", tenantId),
      new FindOptions().setFields(new JsonObject().put("stock", 1).put("price", 1))).await()) {
      expected = expected.add(java.math.BigInteger.valueOf(v.getLong("stock")).multiply(java.math.BigInteger.valueOf(v.getLong("price"))));
    }
    String atPrice = String.valueOf(dashboard.getJsonObject("inventoryValue").getValue("atPrice"));
    return expected.toString().equals(atPrice) ? null : "dashboard inventory value " + atPrice + ", variants add up to " + expected;
  }

  /** The probe's first value that is done, or its last one once {@code withinMs} passed (read every {@code everyMs}). */
  private static <T> T poll(long withinMs, long everyMs, java.util.function.Supplier<T> probe, java.util.function.Predicate<? super T> done) {
    long giveUpAt = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(withinMs);
    T value = probe.get();
    while (!done.test(value) && System.nanoTime() - giveUpAt < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(everyMs));
      value = probe.get();
    }
    return value;
  }

  /**
   * The service alone in a JVM of its own, launched the way it is deployed ({@code java @conf/jvm.options}, run from the
   * project directory) on this run's stores: time from launch to {@code /health/ready}, {@link #PROCESS_STARTS} times
   * on the same database (the later ones are restarts), then {@code --process-seconds} (default 60) of the order load
   * on the last start, then its resident memory. Ends with the invariant check on that process.
   */
  private ServiceProcess serviceProcess(Settings settings) throws Exception {
    int port = EmbeddedServers.freePort();
    ProcessBuilder builder = new ProcessBuilder(ServiceLauncher.command())
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.put(ConfigKey.MONGO_URI.envName(), settings.string(ConfigKey.MONGO_URI));
    env.put(ConfigKey.MONGO_DATABASE.envName(), "stockroom_bench_process_" + UUID.randomUUID().toString().substring(0, 8));
    env.put(ConfigKey.REDIS_URI.envName(), settings.string(ConfigKey.REDIS_URI));
    env.put(ConfigKey.REDIS_TYPE.envName(), settings.string(ConfigKey.REDIS_TYPE));
    env.put(ConfigKey.REDIS_MASTER_NAME.envName(), settings.string(ConfigKey.REDIS_MASTER_NAME));
    env.put(ConfigKey.JWT_HMAC_SECRET.envName(), UUID.randomUUID() + "-" + UUID.randomUUID());
    ServiceLauncher.listenForLoad(env, port);
    WebClient client = ClosedLoop.httpClient(vertx, port, options.connections());
    List<Long> starts = new ArrayList<>();
    for (int start = 1; ; start++) {
      long launched = System.nanoTime();
      Process process = builder.start();
      try {
        starts.add(ServiceLauncher.waitUntilReady(client, process, launched));
        if (start < PROCESS_STARTS) continue;  // timed only; the last start also takes the load
        Tenant tenant = Tenant.signUp(client, "Bench Process", options.variants());
        ClosedLoop.Result load = ClosedLoop.run(vertx, options.connections(), options.processSeconds() * 1_000L,
          worker -> tenant.order(tenant.randomVariant())).await();
        long residentMb = ServiceLauncher.residentMb(process.pid());
        tenant.assertInvariants(load.count("201"));
        return new ServiceProcess(starts, residentMb, options.processSeconds(), load);
      } finally {
        ServiceLauncher.stop(process);
      }
    }
  }

  // --- the service side ---

  private Tenant tenant(String name, int variantCount) {
    return Tenant.signUp(http, name, variantCount);
  }

  // --- the floor: the same stores, driven directly ---

  private List<String> floorVariants(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = new org.bson.types.ObjectId().toHexString();
      mongo.insert(FLOOR_VARIANTS, new JsonObject().put("_id", id).put("stock", Tenant.OPENING_STOCK)).await();
      ids.add(id);
    }
    return ids;
  }

  /** Lock (spinning {@code spinMs} between tries), guarded decrement, movement insert, order insert, release. */
  private Future<String> floorOrder(String variant, long spinMs) {
    String key = "bench:lock:" + variant;
    String token = UUID.randomUUID().toString();
    return lock(key, token, spinMs)
      .compose(locked -> mongo.findOneAndUpdate(FLOOR_VARIANTS, new JsonObject().put("_id", variant).put("stock", new JsonObject().put("$gte", 1)),
        new JsonObject().put("$inc", new JsonObject().put("stock", -1))))
      .compose(before -> mongo.insert(FLOOR_MOVEMENTS, new JsonObject().put("variantId", variant).put("quantity", -1)
        .put("stockAfter", before.getLong("stock") - 1)))
      .compose(movement -> mongo.insert(FLOOR_ORDERS, new JsonObject().put("variantId", variant).put("quantity", 1)))
      .compose(order -> redis.eval(List.of(RELEASE, "1", key, token)))
      .map(released -> "201");
  }

  private Future<Void> lock(String key, String token, long spinMs) {
    return redis.set(List.of(key, token, "NX", "PX", "30000")).compose(reply -> {
      if (reply != null) return Future.succeededFuture();
      io.vertx.core.Promise<Void> retried = io.vertx.core.Promise.promise();
      vertx.setTimer(Math.max(1, spinMs), id -> lock(key, token, spinMs).onComplete(retried));
      return retried.future();
    });
  }

  // --- measuring ---

  /** A measured run; {@code succeeded} counts the successes of its warm-up too (they changed stock as well). */
  private record Measured(ClosedLoop.Result result, double roundTrips, long succeeded, Map<String, Double> commands) {
  }

  private Measured measure(int connections, IntFunction<Future<String>> operation) {
    long warmupStarted = System.nanoTime();
    long warmupSucceeded = warmUp(connections, operation);
    double warmupSeconds = (System.nanoTime() - warmupStarted) / 1e9;
    long before = RoundTrips.count();
    Map<String, Long> kindsBefore = RoundTrips.byKind();
    ClosedLoop.Result result = ClosedLoop.run(vertx, connections, options.seconds() * 1_000L, operation).await();
    long operations = Math.max(1, result.operations());
    double roundTrips = (double) (RoundTrips.count() - before) / operations;
    Map<String, Double> commands = new java.util.TreeMap<>();
    RoundTrips.byKind().forEach((kind, count) -> {
      long during = count - kindsBefore.getOrDefault(kind, 0L);
      if (during * 20 >= operations) commands.put(kind, (double) during / operations);  // at least one per 20 operations
    });
    return new Measured(result.afterWarmup(warmupSeconds), roundTrips, warmupSucceeded + result.count("201"), commands);
  }

  /**
   * Runs the load as long as it will be measured (at most 15 s), then on in 2 s steps until the JIT is quiet (under
   * {@link #QUIET_JIT_MS} of compilation in a step), for at most four times the measured length and at most
   * {@code --max-warmup-seconds} (default 60; 0: none) in all; answers the orders it placed. Floor and service share the drivers and Netty, so each
   * switch between them sends C2 recompiling those paths for the new type profiles; and the service's request path is
   * large: on 2 cores under load C2 was still compiling it for 0.9 s of every second 20 s into a run. Measured before
   * that ends, the service would be measured while its own code is still being compiled, which in production it is not.
   */
  private long warmUp(int connections, IntFunction<Future<String>> operation) {
    if (options.maxWarmupSeconds() == 0) return 0;  // measured at once: a run that proves the harness, not a speed
    long minimumMs = Math.min(15_000, options.seconds() * 1_000L);
    long succeeded = ClosedLoop.run(vertx, connections, minimumMs, operation).await().count("201");
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long maximumMs = Math.min(options.maxWarmupSeconds() * 1_000L, options.seconds() * 4_000L);
    for (long warmedMs = minimumMs; warmedMs < maximumMs && jit != null; warmedMs += WARMUP_STEP_MS) {
      long compiledBefore = jit.getTotalCompilationTime();
      succeeded += ClosedLoop.run(vertx, connections, WARMUP_STEP_MS, operation).await().count("201");
      if (jit.getTotalCompilationTime() - compiledBefore < QUIET_JIT_MS) break;
    }
    return succeeded;
  }

  private static String pick(List<String> ids) {
    return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
  }

  static void print(Report report) {
    System.out.printf("%n%-34s %10s %8s %8s %10s %8s %8s %7s %9s %9s  %s%n", "scenario", "floor/s", "p50 ms", "p99 ms", "service/s",
      "p50 ms", "p99 ms", "ratio", "RT floor", "RT serv.", "target");
    for (Row row : report.rows()) {
      System.out.printf("%-34s %10.0f %8.1f %8.1f %10.0f %8.1f %8.1f %7.2f %9.1f %9.1f  %s %s%n", row.scenario(), row.floor().perSecond(),
        row.floor().p50Ms(), row.floor().p99Ms(), row.service().perSecond(), row.service().p50Ms(), row.service().p99Ms(), row.ratio(),
        row.floorRoundTrips(), row.serviceRoundTrips(), row.met() ? "MET" : "MISSED", row.target());
      if (row.service().outcomes().keySet().stream().anyMatch(outcome -> !outcome.startsWith("2"))
        || row.floor().outcomes().keySet().stream().anyMatch(outcome -> !outcome.startsWith("2"))) {
        System.out.println("    answers: floor " + row.floor().outcomes() + ", service " + row.service().outcomes());
      }
    }
    for (Row row : report.rows()) {
      System.out.printf("  %s, warm-up before measuring (until the JIT was quiet, or at its cap): floor %.0f s, service %.0f s%n", row.scenario(),
        row.floor().warmupSeconds(), row.service().warmupSeconds());
    }
    for (Row row : report.rows()) {
      System.out.println("  " + row.scenario() + ", MongoDB commands per service operation: " + row.serviceCommands().entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .map(e -> e.getKey() + " " + String.format("%.2f", e.getValue())).collect(java.util.stream.Collectors.joining(", ")));
    }
    System.out.printf("this process (service, stand-in store and load generators): resident %d MB; service deployed in %d ms; "
      + "garbage collector: %s%n", report.residentMb(), report.startMs(), java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
      .stream().map(java.lang.management.GarbageCollectorMXBean::getName).collect(java.util.stream.Collectors.joining(", ")));
    ServiceProcess process = report.process();
    if (process != null) {
      System.out.printf("service in its own process (java @conf/jvm.options): ready %d ms after launch (median of the starts %s ms), "
          + "resident %d MB after %d s of order load (%.0f orders/s, p99 %.1f ms): %s%n", process.readyMs(), process.startsMs(),
        process.residentMb(), process.seconds(),
        process.load().perSecond(), process.load().p99Ms(), process.met() ? "MET (ready <= 2 s, <= 400 MB)" : "MISSED (ready <= 2 s, <= 400 MB)");
    }
    System.out.println(report.allMet() ? "ALL TARGETS MET" : "SOME TARGETS MISSED");
  }
}
