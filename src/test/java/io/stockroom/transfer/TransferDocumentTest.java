package io.stockroom.transfer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransferDocumentTest {
  private static final Instant CREATED = Instant.parse("2026-01-05T10:00:00Z");
  private static final Instant SHIPPED = Instant.parse("2026-01-05T11:00:00Z");
  private static final Instant ARRIVED = Instant.parse("2026-01-06T09:30:00Z");

  private static Transfer received() {
    Transfer draft = new Transfer("t1", "tenant-1", "main", "store", TransferStatus.DRAFT, List.of(new TransferLine("rug", "RUG", 6, 0)),
      List.of(), null, "user-1", CREATED, null, null, null, null);
    return draft.ship(SHIPPED).receive(new TransferReceipt("r1", List.of(new TransferItem("rug", 6)), null, "user-2", ARRIVED));
  }

  @Test
  @DisplayName("a transfer is stored with the keys and value types it always had, and reads back as it was")
  void storedLayout() {
    Transfer transfer = received();
    JsonObject line = new JsonObject().put("variantId", "rug").put("sku", "RUG").put("quantity", 6L).put("received", 6L);
    JsonObject receipt = new JsonObject().put("id", "r1").put("items", new JsonArray().add(new JsonObject().put("variantId", "rug")
      .put("quantity", 6L))).put("note", null).put("createdBy", "user-2").put("createdAt", new JsonObject().put("$date", "2026-01-06T09:30:00Z"));
    JsonObject expected = new JsonObject().put("_id", "t1").put("tenantId", "tenant-1").put("fromLocationId", "main")
      .put("toLocationId", "store").put("status", "RECEIVED").put("lines", new JsonArray().add(line))
      .put("receipts", new JsonArray().add(receipt)).put("note", null).put("createdBy", "user-1")
      .put("createdAt", new JsonObject().put("$date", "2026-01-05T10:00:00Z"))
      .put("shippedAt", new JsonObject().put("$date", "2026-01-05T11:00:00Z"))
      .put("receivedAt", new JsonObject().put("$date", "2026-01-06T09:30:00Z"));
    assertEquals(expected, transfer.toDocument());
    assertEquals(transfer, Transfer.fromDocument(transfer.toDocument().put("version", 2L)));
  }

  @Test
  @DisplayName("a transfer stored before receipts existed has none")
  void beforeReceipts() {
    JsonObject old = received().toDocument();
    old.remove("receipts");
    assertEquals(List.of(), Transfer.fromDocument(old).receipts());
  }

  @Test
  @DisplayName("clients see no tenant or version, dates as text with milliseconds, and a missing note as null")
  void api() {
    JsonObject api = received().toApi();
    JsonObject receipt = new JsonObject().put("id", "r1").put("items", new JsonArray().add(new JsonObject().put("variantId", "rug")
      .put("quantity", 6L))).put("note", null).put("createdBy", "user-2").put("createdAt", "2026-01-06T09:30:00.000Z");
    JsonObject expected = new JsonObject().put("id", "t1").put("fromLocationId", "main").put("toLocationId", "store")
      .put("status", "RECEIVED").put("lines", new JsonArray().add(new JsonObject().put("variantId", "rug").put("sku", "RUG")
        .put("quantity", 6L).put("received", 6L)))
      .put("receipts", new JsonArray().add(receipt)).put("note", null).put("createdBy", "user-1")
      .put("createdAt", "2026-01-05T10:00:00.000Z").put("shippedAt", "2026-01-05T11:00:00.000Z")
      .put("receivedAt", "2026-01-06T09:30:00.000Z");
    assertEquals(expected, api);
  }
}
