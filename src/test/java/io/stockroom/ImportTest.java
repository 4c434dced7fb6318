package io.stockroom;

import io.stockroom.inventory.StockEvents;
import io.stockroom.support.Api;
import io.stockroom.support.Eventually;
import io.stockroom.support.Invariants;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private Res upload(Session s, String contentType, String text) {
    return api.send(HttpMethod.POST, "/api/v1/imports", s.token(), new Api.Upload(contentType, text)).await();
  }

  /** Waits for the job to end: a bound on liveness, not a speed target (that is the benchmark harness's). */
  private JsonObject finished(Session s, String importId) {
    JsonObject job = Eventually.value(Duration.ofSeconds(150), Duration.ofMillis(250), () -> api.get("/api/v1/imports/" + importId, s.token()).json(),
      polled -> !"RUNNING".equals(polled.getString("status")));
    if (!"RUNNING".equals(job.getString("status"))) return job;
    throw new AssertionError("import " + importId + " still running: " + api.get("/api/v1/imports/" + importId, s.token()).json()
      .copy().put("errors", "(left out)").encode());
  }

  @Test
  @DisplayName("10,000 rows with 1% bad ones: the good rows are applied, each bad one reported with its row and field, the ledger holds")
  void largeImportWithBadRows() throws Exception {
    Session owner = api.signup("Import Co");
    List<JsonObject> progress = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> events = stack.vertx.eventBus().consumer(StockEvents.address(owner.tenantId()), m -> {
      if ("IMPORT_PROGRESS".equals(m.body().getString("type"))) progress.add(m.body());
    });
    StringBuilder csv = new StringBuilder("product,sku,price,reorderLevel,stock,attr.size,attr.color\n");
    Map<Integer, String> bad = new HashMap<>();
    long expectedStock = 0;
    for (int row = 1; row <= 10_000; row++) {
      String product = "Product " + (row % 50);
      String sku = "IMP-" + row;
      if (row % 100 == 7) {
        switch ((row / 100) % 5) {
          case 0 -> { csv.append(product).append(',').append(sku).append(",abc,1,2,S,red\n"); bad.put(row, "price"); }
          case 1 -> { csv.append(product).append(",,100,1,2,S,red\n"); bad.put(row, "sku"); }
          case 2 -> { csv.append(product).append(',').append(sku).append(",100,1,-3,S,red\n"); bad.put(row, "stock"); }
          case 3 -> { csv.append(",").append(sku).append(",100,1,2,S,red\n"); bad.put(row, "product"); }
          default -> { csv.append(product).append(',').append(sku).append(",100,1\n"); bad.put(row, null); }
        }
        continue;
      }
      long stock = 1 + row % 4;
      expectedStock += stock;
      csv.append('"').append(product).append("\",").append(sku).append(',').append(100 + row % 900).append(",0,").append(stock)
        .append(",").append(row % 2 == 0 ? "M" : "L").append(",\"blue, light\"\n");
    }
    try {
      Res started = upload(owner, "text/csv; charset=utf-8", csv.toString());
      assertEquals(202, started.status(), started::toString);
      assertEquals("RUNNING", started.json().getString("status"));
      assertEquals(10_000, started.json().getInteger("total"));
      long began = System.currentTimeMillis();
      JsonObject job = finished(owner, started.id());
      System.out.println("Imported 10,000 rows in " + (System.currentTimeMillis() - began) + " ms");
      assertEquals("COMPLETED", job.getString("status"), job::encode);
      assertEquals(10_000, job.getInteger("done"));
      assertEquals(9_900, job.getInteger("applied"));
      assertEquals(100, job.getInteger("failed"));
      Map<Integer, String> reported = new HashMap<>();
      job.getJsonArray("errors").forEach(e -> reported.put(((JsonObject) e).getInteger("row"), ((JsonObject) e).getString("field")));
      assertEquals(bad, reported);
      assertTrue(progress.size() >= 10 && progress.get(progress.size() - 1).getString("status").equals("COMPLETED"), () -> "progress " + progress);
    } finally {
      events.unregister();
    }
    String export = stack.client.get("/api/v1/exports/variants").putHeader("Authorization", "Bearer " + owner.token()).send().await().bodyAsString();
    List<String> lines = export.lines().toList();
    assertEquals(9_901, lines.size());
    assertEquals(50, api.get("/api/v1/products?limit=200", owner.token()).items().size());
    long stock = 0;
    for (String line : lines.subList(1, lines.size())) stock += Long.parseLong(line.split(",")[7]);
    assertEquals(expectedStock, stock);
    assertTrue(export.contains(",\"blue, light\",M"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("a second import updates known SKUs (price, level, attributes) and counts their stock; JSON lines work the same")
  void updateAndNdjson() throws Exception {
    Session owner = api.signup("Reimport Co");
    Res first = upload(owner, "text/csv", "product,sku,price,stock\nMug,RE-1,500,10\nMug,RE-2,600,0\n");
    assertEquals("COMPLETED", finished(owner, first.id()).getString("status"));
    String v1 = api.get("/api/v1/variants?sku=RE-1", owner.token()).items().getJsonObject(0).getString("id");
    Res second = upload(owner, "application/x-ndjson", """
      {"product": "Mug", "sku": "RE-1", "price": 550, "reorderLevel": 3, "stock": 7, "attributes": {"color": "white"}}
      {"product": "Mug", "sku": "RE-3", "price": 700, "stock": 4}
      {"product": "Mug", "sku": "RE-2", "price": "cheap"}
      not json
      {"product": "Mug", "sku": "RE-7", "price": 100, "tenantId": "%s"}
      {"product": "Mug", "sku": "RE-8", "price": 100, "attributes": {"color": "%s"}}
      """.formatted(new org.bson.types.ObjectId().toHexString(), "x".repeat(65)));
    assertEquals(202, second.status(), second::toString);
    JsonObject job = finished(owner, second.id());
    assertEquals(2, job.getInteger("applied"), job::encode);
    assertEquals(4, job.getInteger("failed"), "a server-owned field, and an attribute value the API refuses too (65 > 64): " + job.encode());
    assertEquals(0, api.get("/api/v1/variants?sku=RE-7", owner.token()).items().size());
    assertEquals(0, api.get("/api/v1/variants?sku=RE-8", owner.token()).items().size());
    JsonObject updated = api.get("/api/v1/variants/" + v1, owner.token()).json();
    assertEquals(550, updated.getLong("price"));
    assertEquals(3, updated.getLong("reorderLevel"));
    assertEquals(7, updated.getLong("stock"));
    assertEquals("white", updated.getJsonObject("attributes").getString("color"));
    JsonObject count = api.get("/api/v1/stock-movements?variantId=" + v1, owner.token()).items().getJsonObject(1);
    assertEquals(-3, count.getLong("quantity"));
    assertEquals("IMPORT", count.getJsonObject("source").getString("kind"));
    assertEquals(1, api.get("/api/v1/variants?sku=RE-3", owner.token()).items().size());

    String store = api.createLocation(owner, "STORE-9");
    Res located = upload(owner, "text/csv", "product,sku,price,stock,location\nMug,RE-1,550,4,STORE-9\nMug,RE-4,800,6,STORE-9\n"
      + "Mug,RE-5,800,1,NOWHERE\nMug,RE-6,800,2,MAIN\n");
    JsonObject placed = finished(owner, located.id());
    assertEquals(3, placed.getInteger("applied"), placed::encode);
    assertEquals(new JsonObject().put("row", 3).put("field", "location")
      .put("message", "is not the code of one of your locations: NOWHERE"), placed.getJsonArray("errors").getJsonObject(0));
    JsonObject atStore = api.get("/api/v1/variants/" + v1 + "/levels", owner.token()).items().stream().map(o -> (JsonObject) o)
      .filter(r -> store.equals(r.getString("locationId"))).findFirst().orElseThrow();
    assertEquals(4, atStore.getLong("stock"));
    assertEquals(11, api.get("/api/v1/variants/" + v1, owner.token()).json().getLong("stock"), "7 at MAIN and 4 counted at the store");
    String v4 = api.get("/api/v1/variants?sku=RE-4", owner.token()).items().getJsonObject(0).getString("id");
    assertEquals(6, api.get("/api/v1/variants/" + v4, owner.token()).json().getLong("stock"));
    assertEquals(2, api.get("/api/v1/variants?sku=RE-6", owner.token()).items().getJsonObject(0).getLong("stock"));
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("files the service cannot take are refused whole and change nothing; staff and other tenants cannot reach imports")
  void refusedFiles() throws Exception {
    Session owner = api.signup("Refused Import Co");
    Session staff = api.addUser(owner, "STAFF");
    assertProblem(upload(owner, "text/csv", "name,sku,price\nMug,R-1,1\n"), 400);
    assertProblem(upload(owner, "text/csv", "product,price\nMug,1\n"), 400);
    assertProblem(upload(owner, "text/csv", "product,sku,price\n"), 400);
    assertProblem(upload(owner, "text/plain", "product,sku,price\nMug,R-1,1\n"), 415);
    assertProblem(api.post("/api/v1/imports", owner.token(), new JsonObject().put("product", "Mug")), 415);
    StringBuilder many = new StringBuilder("product,sku,price\n");
    for (int i = 0; i <= 20_000; i++) many.append("P,M-").append(i).append(",1\n");
    assertProblem(upload(owner, "text/csv", many.toString()), 413);
    assertProblem(upload(owner, "text/csv", "product,sku,price\n" + "P,BIG,1\n".repeat(300_000)), 413);
    assertProblem(upload(staff, "text/csv", "product,sku,price\nMug,R-1,1\n"), 403);
    assertEquals(0, api.get("/api/v1/variants", owner.token()).items().size());

    Res started = upload(owner, "text/csv", "product,sku,price\nMug,R-1,1\n");
    finished(owner, started.id());
    Session other = api.signup("Other Import Co");
    assertProblem(api.get("/api/v1/imports/" + started.id(), other.token()), 404);
    assertProblem(api.get("/api/v1/imports/" + started.id(), staff.token()), 403);

    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("GET /imports lists the tenant's jobs newest first, paged, without their errors, filtered by status; never another tenant's")
  void listsImports() {
    Session owner = api.signup("Listed Import Co");
    Session other = api.signup("Unlisted Import Co");
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Res job = upload(owner, "text/csv", "product,sku,price\nMug,LI-" + i + ",1\nMug,LI-BAD-" + i + ",-1\n");
      assertEquals(202, job.status(), job::toString);
      assertEquals("COMPLETED", finished(owner, job.id()).getString("status"));
      started.add(job.id());
    }
    String theirs = upload(other, "text/csv", "product,sku,price\nCup,LO-1,1\n").id();
    finished(other, theirs);

    List<String> listed = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      Res page = api.get("/api/v1/imports?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), owner.token());
      assertEquals(200, page.status(), page::toString);
      for (Object item : page.items()) {
        JsonObject job = (JsonObject) item;
        listed.add(job.getString("id"));
        assertEquals(1, job.getInteger("failed"), job::encode);
        assertTrue(!job.containsKey("errors"), () -> "a listed job leaves its errors to GET /imports/{id}: " + job.encode());
      }
      sizes.add(page.items().size());
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    assertEquals(List.of(started.get(2), started.get(1), started.get(0)), listed, "newest first, each once, only the tenant's own");
    assertEquals(List.of(2, 1), sizes);

    assertEquals(3, api.get("/api/v1/imports?status=COMPLETED", owner.token()).items().size());
    assertEquals(0, api.get("/api/v1/imports?status=RUNNING", owner.token()).items().size());
    assertEquals(List.of(theirs), api.get("/api/v1/imports", other.token()).items().stream().map(j -> ((JsonObject) j).getString("id")).toList());
    assertProblem(api.get("/api/v1/imports?status=DONE", owner.token()), 400);
    assertProblem(api.get("/api/v1/imports?cursor=bm90LWEtY3Vyc29y", owner.token()), 400);
    assertProblem(api.get("/api/v1/imports", api.addUser(owner, "STAFF").token()), 403);
  }

  @Test
  @DisplayName("a new SKU's stock, at the default location or another, is published like every stock change: ADJUSTED at sequence 1")
  void newSkusPublishTheirOpeningStock() throws Exception {
    Session owner = api.signup("Import Events Co");
    String store = api.createLocation(owner, "STORE-7");
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    VertxTestContext published = new VertxTestContext();
    Checkpoint stockEvent = published.laxCheckpoint(2);
    MessageConsumer<JsonObject> events = stack.vertx.eventBus().consumer(StockEvents.address(owner.tenantId()), m -> {
      if ("IMPORT_PROGRESS".equals(m.body().getString("type"))) return;
      received.add(m.body());
      stockEvent.flag();
    });
    events.completion().await();
    try {
      Res started = upload(owner, "application/x-ndjson", """
        {"product": "Crate", "sku": "OPEN-A", "price": 100, "stock": 5}
        {"product": "Crate", "sku": "OPEN-B", "price": 100, "stock": 2, "location": "STORE-7"}
        {"product": "Crate", "sku": "OPEN-C", "price": 100}
        """);
      assertEquals("COMPLETED", finished(owner, started.id()).getString("status"));
      assertTrue(published.awaitCompletion(2, TimeUnit.SECONDS), () -> "two stock events: " + received);
      Eventually.holds(Duration.ofMillis(100), () -> received.size() > 2);
      assertEquals(2, received.size(), () -> "OPEN-C has no stock, so no event: " + received);
      Map<String, JsonObject> bySku = new HashMap<>();
      for (JsonObject event : received) {
        assertEquals("ADJUSTED", event.getString("type"));
        assertEquals(started.id(), event.getString("sourceId"));
        JsonObject opened = event.getJsonArray("variants").getJsonObject(0);
        assertEquals(1, opened.getLong("sequence"), event::encode);
        bySku.put(opened.getString("sku"), opened);
      }
      assertEquals(5, bySku.get("OPEN-A").getLong("stockAfter"));
      assertEquals(2, bySku.get("OPEN-B").getLong("stockAfter"));
      assertEquals(store, bySku.get("OPEN-B").getString("locationId"));
    } finally {
      events.unregister().await();
    }
    Invariants.assertHold(stack, owner);
  }

  @Test
  @DisplayName("imports.maxRunningPerTenant (3 here) holds under 30 concurrent uploads; an import that ends frees its slot")
  void runningImportsCapHoldsUnderRaces() throws InterruptedException {
    Session owner = api.signup("Cap Race Imports Co");
    StringBuilder slow = new StringBuilder("product,sku,price,stock\n");
    for (int i = 0; i < 1_000; i++) slow.append("P,S-").append(i).append(",1,1\n");
    Res first = upload(owner, "text/csv", slow.toString());
    assertEquals(202, first.status(), first::toString);
    String shorter = slow.substring(0, slow.indexOf("P,S-300,"));
    List<Future<Res>> at = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      at.add(api.send(HttpMethod.POST, "/api/v1/imports", owner.token(), new Api.Upload("text/csv", shorter.replace("S-", "S" + i + "-"))));
    }
    Future.join(at).await();
    List<Integer> statuses = at.stream().map(f -> f.result().status()).toList();
    assertEquals(2, statuses.stream().filter(status -> status == 202).count(), statuses::toString);
    assertEquals(28, statuses.stream().filter(status -> status == 409).count(), statuses::toString);
    at.stream().map(Future::result).filter(r -> r.status() == 409).forEach(r -> assertProblem(r, 409));

    finished(owner, first.id());
    Res next = upload(owner, "text/csv", "product,sku,price\nMug,AFTER-1,1\n");
    assertEquals(202, next.status(), () -> "an ended import gives its slot back: " + next);
    for (Future<Res> f : at) if (f.result().status() == 202) finished(owner, f.result().id());
    finished(owner, next.id());
    assertEquals(0, stack.mongo.count("import_jobs", new JsonObject().put("tenantId", owner.tenantId())
      .put("slot", new JsonObject().put("$exists", true))).await(), "no ended job holds a slot");
  }
}
