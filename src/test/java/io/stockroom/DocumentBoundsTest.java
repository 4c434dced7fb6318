package io.stockroom;

import io.stockroom.inventory.StockLevels;
import io.stockroom.order.Order;
import io.stockroom.order.OrderCommands;
import io.stockroom.order.OrderStatus;
import io.stockroom.order.Reservation;
import io.stockroom.order.ReservationStatus;
import io.stockroom.purchasing.PurchaseOrder;
import io.stockroom.purchasing.PurchaseOrderLine;
import io.stockroom.purchasing.PurchaseOrderStatus;
import io.stockroom.transfer.Transfer;
import io.stockroom.transfer.TransferItem;
import io.stockroom.transfer.TransferLine;
import io.stockroom.transfer.TransferReceipt;
import io.stockroom.transfer.TransferStatus;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.inventory.Variants;
import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.StoredDocuments;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;

import static io.stockroom.support.StoredDocuments.bsonSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No document grows with a tenant's data: each kind has a bound far below MongoDB's 16 MB (here: 1 MB), see
 * docs/documents.md. Worst cases are built through the API where practical (a variant stocked and with its own reorder
 * level at 100 locations, an order of 100 lines with the longest note) and from the code's builders, encoded as BSON
 * and measured; then every collection of this JVM's stack is scanned for its largest document (StoredDocumentsTest
 * checks what every test JVM stored, after the suite).
 */
class DocumentBoundsTest {
  private static final int LIMIT = StoredDocuments.LIMIT;
  private static final int MAX_LOCATIONS = 100;
  /** Lines of an order, purchase order... and items of a return: what the contract's {@code maxItems} allows. */
  private static final int MAX_LINES = 100;
  /** Lines of a purchase order, a receipt or a transfer, and items of a transfer's receipt ({@code maxItems}). */
  private static final int MAX_PURCHASE_LINES = 200;
  /** A count that takes the 8 bytes of a BSON long. */
  private static final long LARGE = 1_000_000_000_000L;

  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  /** A 24-character id, as ids are made. */
  private static String id(int n) {
    return String.format("%024x", n);
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

  /** The largest order: 100 lines of 64-char SKUs, each taken from 100 locations, longest note and customer, {@code returns} returns. */
  private static Order largestOrder(int returns) {
    List<Order.Line> lines = new ArrayList<>();
    for (int line = 0; line < MAX_LINES; line++) {
      List<Order.Allocated> allocations = new ArrayList<>();
      for (int location = 0; location < MAX_LOCATIONS; location++) allocations.add(new Order.Allocated(id(location), LARGE, LARGE));
      lines.add(new Order.Line(id(line), "S".repeat(64), LARGE, LARGE, LARGE, allocations, BigInteger.valueOf(LARGE).pow(2)));
    }
    List<Order.Return> recorded = new ArrayList<>();
    for (int i = 0; i < returns; i++) recorded.add(largestReturn(i));
    JsonObject customer = new JsonObject().put("name", "n".repeat(200)).put("email", "e".repeat(254)).put("reference", "f".repeat(200));
    return new Order(id(0), id(1), OrderStatus.PLACED, lines, BigInteger.valueOf(LARGE).pow(3), "EUR", customer,
      "n".repeat(2000), "v".repeat(64), recorded, LARGE, id(2), Instant.now(), Instant.now(), Instant.now());
  }

  /** A return of 100 items, each to a named location and damaged, with the longest reason. */
  private static Order.Return largestReturn(int n) {
    List<OrderCommands.ReturnedItem> items = new ArrayList<>();
    for (int item = 0; item < MAX_LINES; item++) items.add(new OrderCommands.ReturnedItem(id(item), LARGE, id(item), true));
    return new Order.Return(id(n), items, "r".repeat(500), id(n), Instant.now());
  }

  private static int measured(String what, JsonObject document) {
    int size = bsonSize(document);
    System.out.println("Worst-case " + what + ": " + size + " bytes");
    assertTrue(size < LIMIT, what + " of " + size + " bytes");
    return size;
  }

  @Test
  @DisplayName("an order at its bound (100 lines each taken from 100 locations, longest note and customer, MAX_RETURNS returns "
    + "of 100 items with the longest reason) stays below 1 MB; so does the Idempotency-Key record of its last return")
  void orderBuilderWorstCase() {
    Order order = largestOrder(Order.MAX_RETURNS);
    measured("order (" + Order.MAX_RETURNS + " returns)", RecordCodec.toDocument(order));
    // a return answers the return and the whole order after it; its Idempotency-Key record keeps that answer
    JsonObject answer = new JsonObject().put("return", RecordCodec.toApi(order.returns().get(Order.MAX_RETURNS - 1)))
      .put("order", order.toApi());
    JsonObject record = new JsonObject().put("_id", id(1) + ":createReturn:" + "k".repeat(255)).put("tenantId", id(1))
      .put("fingerprint", "f".repeat(64)).put("state", "DONE").put("version", LARGE).put("createdAt", new JsonObject().put("$date", Instant.now().toString()))
      .put("claimedAt", new JsonObject().put("$date", Instant.now().toString())).put("expiresAt", new JsonObject().put("$date", Instant.now().toString()))
      .put("status", 201).put("body", answer).put("writtenBy", id(3) + ":" + LARGE);
    measured("Idempotency-Key record of a return", record);
  }

  @Test
  @DisplayName("a reservation (100 lines each held at 100 locations), a purchase order (200 lines, longest note) and a transfer "
    + "(200 lines, MAX_RECEIPTS receipts of 200 items with the longest note) each stay below 1 MB")
  void linesDocumentsWorstCase() {
    List<Reservation.Line> held = new ArrayList<>();
    for (int line = 0; line < MAX_LINES; line++) {
      List<Reservation.Hold> holds = new ArrayList<>();
      for (int location = 0; location < MAX_LOCATIONS; location++) holds.add(new Reservation.Hold(id(location), LARGE));
      held.add(new Reservation.Line(id(line), "S".repeat(64), LARGE, holds));
    }
    Instant at = Instant.now();
    measured("reservation", RecordCodec.toDocument(new Reservation(id(0), id(1), ReservationStatus.ACTIVE, at, "r".repeat(200), held,
      id(2), LARGE, id(3), at, at, at, at, at)));

    List<PurchaseOrderLine> ordered = new ArrayList<>();
    BigInteger value = BigInteger.valueOf(LARGE).pow(2);
    for (int line = 0; line < MAX_PURCHASE_LINES; line++) {
      ordered.add(new PurchaseOrderLine(id(line), "S".repeat(64), LARGE, LARGE, LARGE, value, value));
    }
    // the record's own fields (its repository stores the dates it reached each status as a few fields more)
    measured("purchase order", RecordCodec.toDocument(new PurchaseOrder(id(0), id(1), id(2), id(3), PurchaseOrderStatus.RECEIVED,
      ordered, at, "n".repeat(2000), id(4), at, at, Map.of())));

    List<TransferLine> shipped = new ArrayList<>();
    List<TransferItem> items = new ArrayList<>();
    for (int line = 0; line < MAX_PURCHASE_LINES; line++) {
      shipped.add(new TransferLine(id(line), "S".repeat(64), LARGE, LARGE));
      items.add(new TransferItem(id(line), LARGE));
    }
    List<TransferReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < Transfer.MAX_RECEIPTS; i++) receipts.add(new TransferReceipt(id(i), items, "n".repeat(2000), id(i), at));
    measured("transfer (" + Transfer.MAX_RECEIPTS + " receipts)", RecordCodec.toDocument(new Transfer(id(0), id(1), id(2), id(3),
      TransferStatus.RECEIVED, shipped, receipts, "n".repeat(2000), id(4), at, at, at, at, at)));
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

    StoredDocuments.Scan scan = StoredDocuments.scan(stack.mongo);
    System.out.println("Largest document per collection (bytes): " + scan.largest());
    assertTrue(scan.over().isEmpty(), () -> "documents of 1 MB or more: " + scan.over());
  }
}
