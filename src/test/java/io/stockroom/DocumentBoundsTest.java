package io.stockroom;

import io.stockroom.inventory.StockLevels;
import io.stockroom.inventory.Variants;
import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.impl.codec.json.JsonObjectCodec;
import org.bson.BsonBinaryWriter;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import io.vertx.ext.mongo.FindOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No document grows with a tenant's data: each kind has a bound far below MongoDB's 16 MB (here: 1 MB), see
 * docs/documents.md. Worst cases are built through the API where practical (a variant stocked and with its own reorder
 * level at 100 locations, an order of 100 lines with the longest note) and from the code's builders, encoded as BSON
 * and measured; then every collection is scanned for its largest document.
 */
@Order(Integer.MAX_VALUE - 1)
class DocumentBoundsTest {
  private static final int LIMIT = 1024 * 1024;
  private static final int PAGE = 1_000;
  private static final int MAX_LOCATIONS = 100;

  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  /** The document's size as the client writes it (the client's codec: amounts beyond a long stay Decimal128). */
  static int bsonSize(JsonObject doc) {
    BasicOutputBuffer out = new BasicOutputBuffer();
    new JsonObjectCodec(new JsonObject()).encode(new BsonBinaryWriter(out), doc, EncoderContext.builder().build());
    return out.getSize();
  }

  @Test
  @DisplayName("a variant at its bound (10 attributes, 100 locations with levels and own reorder levels, all low) stays far below 1 MB")
  void variantBuilderWorstCase() {
    JsonObject attributes = new JsonObject();
    for (int i = 0; i < 10; i++) attributes.put(("a" + i + "_".repeat(30)).substring(0, 32), "v".repeat(200));
    JsonObject variant = Variants.newVariant("t".repeat(24), "p".repeat(24), "S".repeat(64), attributes, 1_000_000_000_000L, 1_000_000_000L);
    JsonObject levels = new JsonObject();
    JsonObject own = new JsonObject();
    for (int i = 0; i < MAX_LOCATIONS; i++) {
      String location = String.format("%024x", i);
      // 8-byte counts that sum without overflow; the own level above what is there and coming makes every location low
      JsonObject level = StockLevels.empty();
      level.fieldNames().forEach(f -> level.put(f, 1_000_000_000_000_000L));
      levels.put(location, level);
      own.put(location, 1_000_000_000_000_000_000L);
    }
    variant.put("levels", levels).put("locationReorderLevels", own).put("lastUnitCost", 1_000_000_000_000L);
    variant.mergeIn(StockLevels.lowFields(variant));
    assertEquals(MAX_LOCATIONS, variant.getJsonArray("lowAt").size(), "every location low: the longest lowAt");
    int size = bsonSize(variant);
    System.out.println("Worst-case variant: " + size + " bytes");
    assertTrue(size < LIMIT, "variant of " + size + " bytes");
  }

  @Test
  @DisplayName("through the API: a variant at 100 locations and an order of 100 lines stay below 1 MB; so does every stored document")
  void worstCasesThroughTheApiAndEveryCollection() {
    Session owner = api.signup("Bounds Co");
    String product = api.createProduct(owner, "B".repeat(200));
    List<String> locations = new ArrayList<>();
    locations.add(api.get("/api/v1/locations", owner.token()).items().getJsonObject(0).getString("id"));
    for (int i = locations.size(); i < MAX_LOCATIONS; i++) {
      String name = ("Location " + i + " " + "x".repeat(200)).substring(0, 200);
      String code = ("L" + i + "-" + "c".repeat(32)).substring(0, 32);
      Res created = api.post("/api/v1/locations", owner.token(), new JsonObject().put("name", name).put("code", code)
        .put("address", "a".repeat(1000)));
      assertEquals(201, created.status(), created::toString);
      locations.add(created.json().getString("id"));
    }
    String variant = api.createVariant(owner, product, "BOUND-1", 1_000_000_000_000L, 0).getString("id");
    JsonObject own = new JsonObject();
    for (String location : locations) {
      Res moved = api.post("/api/v1/variants/" + variant + "/adjustments", owner.token(), new JsonObject().put("quantity", 5)
        .put("locationId", location).put("reason", "r".repeat(500)));
      assertTrue(moved.status() < 300, moved::toString);
      own.put(location, 1_000_000L);
    }
    assertEquals(200, api.patch("/api/v1/variants/" + variant, owner.token(), new JsonObject().put("locationReorderLevels", own)).status());
    JsonArray lines = new JsonArray();
    for (int i = 0; i < 100; i++) {
      lines.add(new JsonObject().put("variantId", api.createVariant(owner, product, "LINE-" + i, 1_000_000_000_000L, 10).getString("id"))
        .put("quantity", 1));
    }
    Res order = api.placeOrder(owner, new JsonObject().put("items", lines).put("note", "n".repeat(2000)));
    assertEquals(201, order.status(), order::toString);

    JsonObject stored = stack.mongo.findOne("variants", new JsonObject().put("_id", variant).put("tenantId", owner.tenantId()), null).await();
    assertEquals(MAX_LOCATIONS, stored.getJsonObject("levels").size());
    assertEquals(MAX_LOCATIONS, stored.getJsonArray("lowAt").size(), "low at every location it has its own level at");

    List<String> over = new ArrayList<>();
    StringBuilder largest = new StringBuilder();
    for (String collection : stack.mongo.getCollections().await()) {
      if (collection.startsWith("system.")) continue;
      // page by _id: after the whole suite a collection holds more than one reply may carry
      int max = 0;
      Object after = null;
      while (true) {
        JsonObject page = after == null ? new JsonObject() : new JsonObject().put("_id", new JsonObject().put("$gt", after));
        List<JsonObject> docs = stack.mongo.findWithOptions(collection, page,
          new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(PAGE)).await();
        for (JsonObject doc : docs) {
          int size = bsonSize(doc);
          max = Math.max(max, size);
          if (size >= LIMIT) over.add(collection + " " + doc.getValue("_id") + ": " + size + " bytes");
        }
        if (docs.size() < PAGE) break;
        after = docs.get(docs.size() - 1).getValue("_id");
      }
      largest.append(collection).append('=').append(max).append(' ');
    }
    System.out.println("Largest document per collection (bytes): " + largest);
    assertTrue(over.isEmpty(), () -> "documents of 1 MB or more: " + over);
  }
}
