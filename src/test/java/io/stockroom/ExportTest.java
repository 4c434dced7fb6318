package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private String export(Session s, String path, String accept) {
    return stack.client.get(path).putHeader("Authorization", "Bearer " + s.token()).putHeader("Accept", accept).send()
      .map(r -> {
        assertEquals(200, r.statusCode(), () -> r.bodyAsString());
        return r.bodyAsString();
      }).await();
  }

  @Test
  @DisplayName("variants and stock levels export as CSV (the import's columns) and JSON lines, only the caller's tenant")
  void variantsAndLevels() {
    Session owner = api.signup("Export Co");
    String product = api.createProduct(owner, "=HYPERLINK(\"x\")");
    JsonObject small = api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "EX-S")
      .put("price", 1200).put("openingStock", 3).put("attributes", new JsonObject().put("size", "S").put("color", "red, dark"))).json();
    api.post("/api/v1/products/" + product + "/variants", owner.token(), new JsonObject().put("sku", "EX-M").put("price", 1300)
      .put("attributes", new JsonObject().put("size", "M")));
    String store = api.createLocation(owner, "EXPORT-STORE");
    String variantId = small.getString("id");
    assertEquals(201, api.post("/api/v1/variants/" + variantId + "/adjustments", owner.token(), new JsonObject().put("quantity", 2)
      .put("reason", "x").put("locationId", store)).status());
    Session other = api.signup("Other Export Co");
    api.createVariant(other, api.createProduct(other, "Theirs"), "EX-THEIRS", 100, 9);

    String csv = export(owner, "/api/v1/exports/variants", "text/csv");
    List<String> lines = csv.lines().toList();
    assertEquals("product,productId,variantId,sku,price,reorderLevel,stock,available,incoming,attr.color,attr.size", lines.get(0));
    assertEquals(3, lines.size(), csv);
    assertTrue(lines.get(1).startsWith("\"'=HYPERLINK(\"\"x\"\")\"," + product + "," + variantId + ",EX-S,1200,"), lines.get(1));
    assertTrue(lines.get(1).endsWith(",5,5,0,\"red, dark\",S"), lines.get(1));
    assertTrue(lines.get(2).endsWith(",,M"), lines.get(2));
    assertTrue(!csv.contains("EX-THEIRS"));

    String ndjson = export(owner, "/api/v1/exports/variants", "application/x-ndjson");
    List<JsonObject> rows = ndjson.lines().map(JsonObject::new).toList();
    assertEquals(2, rows.size());
    assertEquals(new JsonObject().put("size", "S").put("color", "red, dark"), rows.get(0).getJsonObject("attributes"));
    assertEquals(ndjson, export(owner, "/api/v1/exports/variants?format=ndjson", "*/*"));

    List<String> levels = export(owner, "/api/v1/exports/stock-levels", "text/csv").lines().toList();
    assertEquals("variantId,sku,locationId,stock,available,reserved,damaged,qualityControl,safetyStock,inTransit,incoming", levels.get(0));
    assertEquals(List.of(variantId + ",EX-S," + owner.tenantId() + ",3,3,0,0,0,0,0,0", variantId + ",EX-S," + store + ",2,2,0,0,0,0,0,0"),
      levels.subList(1, levels.size()));
    Res bad = api.get("/api/v1/exports/variants?format=xml", owner.token());
    assertProblem(bad, 400);
  }

  @Test
  @DisplayName("a movement reason starting with =, +, -, @, Tab, CR or LF exports prefixed with ' (quoted where RFC 4180 wants); a negative quantity stays a number")
  void formulaReasonsAreNeutralised() {
    Session owner = api.signup("Formula Export Co");
    String variantId = api.createVariant(owner, api.createProduct(owner, "Formula"), "FX-1", 100, 20).getString("id");
    Map<String, String> exported = new LinkedHashMap<>();
    exported.put("=1+1", "'=1+1");
    exported.put("+1+1", "'+1+1");
    exported.put("-1+1", "'-1+1");
    exported.put("@SUM(A1)", "'@SUM(A1)");
    exported.put("\t=1+1", "'\t=1+1");
    exported.put("\r=1+1", "\"'\r=1+1\"");
    exported.put("\n=1+1", "\"'\n=1+1\"");
    for (String reason : exported.keySet()) {
      Res adjusted = api.post("/api/v1/variants/" + variantId + "/adjustments", owner.token(), new JsonObject().put("quantity", -1)
        .put("reason", reason));
      assertEquals(201, adjusted.status(), adjusted::toString);
    }

    String csv = export(owner, "/api/v1/exports/movements", "text/csv");
    assertTrue(csv.contains(",1,-1,"), "units 1, quantity -1 as numbers: " + csv);
    exported.forEach((reason, field) -> {
      String shown = reason.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
      assertTrue(csv.contains("," + field + "\n") || csv.endsWith("," + field), shown + " in " + csv);
      assertFalse(csv.contains("," + reason) || csv.contains(",\"" + reason), shown + " exported raw: " + csv);
    });
  }

  @Test
  @DisplayName("100,000 movements stream out with bounded memory: every row, in order, and the server retains little while a slow client reads")
  void movementsStreamWithBoundedMemory() throws Exception {
    Session owner = api.signup("Big Ledger Co");
    int total = 100_000;
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int batch = 0; batch < total / 5_000; batch++) {
      List<io.vertx.ext.mongo.BulkOperation> docs = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        int n = batch * 5_000 + i;
        docs.add(io.vertx.ext.mongo.BulkOperation.createInsert(new JsonObject().put("_id", new ObjectId(java.util.Date.from(base.plusSeconds(n))).toHexString()).put("tenantId", owner.tenantId())
          .put("variantId", "v" + (n % 50)).put("sku", "SKU-" + (n % 50)).put("type", "ADJUSTMENT").put("locationId", owner.tenantId())
          .put("from", null).put("to", "available").put("units", 1).put("quantity", 1).put("stockAfter", n).put("sequence", n)
          .put("source", new JsonObject().put("kind", "ADJUSTMENT").put("id", "bulk")).put("sourceKey", "bulk:" + n)
          .put("actor", owner.userId()).put("reason", "bulk history, row " + n)
          .put("createdAt", new JsonObject().put("$date", base.plusSeconds(n).toString()))));
      }
      stack.mongo.bulkWrite("stock_movements", docs).await();
    }
    System.gc();
    long baseline = usedHeap();
    AtomicLong peak = new AtomicLong(baseline);
    AtomicLong lines = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    long sampler = stack.vertx.setPeriodic(1_500, id -> {
      System.gc();
      peak.accumulateAndGet(usedHeap(), Math::max);
    });
    HttpClient client = stack.vertx.createHttpClient();
    try {
      Promise<Void> done = Promise.promise();
      client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(stack.port)
          .setURI("/api/v1/exports/movements").putHeader("Authorization", "Bearer " + owner.token()))
        .compose(request -> request.send())
        .onSuccess(response -> read(response, lines, bytes, done))
        .onFailure(done::fail);
      done.future().await(240, TimeUnit.SECONDS);
    } finally {
      stack.vertx.cancelTimer(sampler);
      client.close();
    }
    assertEquals(total + 1, lines.get(), "a header and one line per movement");
    long retained = peak.get() - baseline;
    System.out.println("Export of " + lines.get() + " lines, " + bytes.get() / 1024 + " KiB: the heap retained at most "
      + retained / 1024 + " KiB more than before");
    assertTrue(bytes.get() > 15_000_000, "a large export: " + bytes.get() + " bytes");
    // below the size of the export itself: a server holding the whole answer (or the whole result) cannot pass
    assertTrue(retained < 16L * 1024 * 1024, "the server retained " + retained / 1024 / 1024 + " MB while streaming "
      + bytes.get() / 1024 / 1024 + " MB");
    String window = export(owner, "/api/v1/exports/movements?from=2026-01-01T00:00:10Z&to=2026-01-01T00:00:20Z", "text/csv");
    assertEquals(11, window.lines().count(), "the header and the 10 movements in [from, to)");
  }

  /** Reads slowly: pauses after every 256 KiB for a moment, so the server must wait for the connection. */
  private void read(HttpClientResponse response, AtomicLong lines, AtomicLong bytes, Promise<Void> done) {
    assertEquals(200, response.statusCode());
    long[] sinceBreak = new long[1];
    response.handler(buffer -> {
      bytes.addAndGet(buffer.length());
      for (int i = 0; i < buffer.length(); i++) if (buffer.getByte(i) == '\n') lines.incrementAndGet();
      sinceBreak[0] += buffer.length();
      if (sinceBreak[0] > 256 * 1024) {
        sinceBreak[0] = 0;
        response.pause();
        stack.vertx.setTimer(20, t -> response.resume());
      }
    });
    response.endHandler(v -> done.tryComplete());
    response.exceptionHandler(done::tryFail);
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
