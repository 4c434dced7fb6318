package io.stockroom.transfer;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransferTest {
  private static final Instant CREATED = Instant.parse("2026-01-05T10:00:00.000Z");
  private static final Instant SHIPPED = Instant.parse("2026-01-05T11:00:00.000Z");
  private static final Instant ARRIVED = Instant.parse("2026-01-06T09:30:00.000Z");

  private static Transfer draft() {
    return Transfer.draft("tenant-1", "main", "store", List.of(new TransferLine("rug", "RUG", 6, 0), new TransferLine("mat", "MAT", 2, 0)),
      null, "user-1", CREATED);
  }

  private static TransferReceipt receipt(TransferItem... items) {
    return TransferReceipt.of(List.of(items), null, "user-2", ARRIVED);
  }

  private static void assertRefused(TransferStatus current, UnaryOperator<Transfer> transition) {
    ServiceError refused = assertThrows(ServiceError.class, () -> transition.apply(in(current)));
    assertEquals(ErrorCode.CONFLICT, refused.code());
    assertEquals(current.name(), refused.extensions().getString("currentStatus"));
  }

  private static Transfer in(TransferStatus status) {
    return switch (status) {
      case DRAFT -> draft();
      case SHIPPED -> draft().ship(SHIPPED);
      case RECEIVED -> draft().ship(SHIPPED).receive(receipt(new TransferItem("rug", 6), new TransferItem("mat", 2)));
      case CANCELLED -> draft().cancel(SHIPPED);
    };
  }

  @Test
  @DisplayName("only a DRAFT ships or is cancelled, only a SHIPPED transfer receives; anything else is a 409 naming its status")
  void transitions() {
    assertEquals(TransferStatus.SHIPPED, draft().ship(SHIPPED).status());
    assertEquals(SHIPPED, draft().ship(SHIPPED).shippedAt());
    assertEquals(TransferStatus.CANCELLED, draft().cancel(SHIPPED).status());
    for (TransferStatus status : List.of(TransferStatus.SHIPPED, TransferStatus.RECEIVED, TransferStatus.CANCELLED)) {
      assertRefused(status, transfer -> transfer.ship(SHIPPED));
      assertRefused(status, transfer -> transfer.cancel(SHIPPED));
    }
    for (TransferStatus status : List.of(TransferStatus.DRAFT, TransferStatus.RECEIVED, TransferStatus.CANCELLED)) {
      assertRefused(status, transfer -> transfer.receive(receipt(new TransferItem("rug", 1))));
    }
  }

  @Test
  @DisplayName("a partial receipt leaves the rest in transit and the transfer SHIPPED; the last one makes it RECEIVED")
  void receiptsInParts() {
    Transfer shipped = draft().ship(SHIPPED);
    Transfer part = shipped.receive(receipt(new TransferItem("rug", 3), new TransferItem("rug", 1)));
    assertEquals(TransferStatus.SHIPPED, part.status());
    assertEquals(List.of(2L, 2L), part.lines().stream().map(TransferLine::outstanding).toList());
    assertEquals(4, part.lines().get(0).received());
    assertNull(part.receivedAt());
    assertEquals(1, part.receipts().size());
    assertEquals(6, shipped.lines().get(0).outstanding(), "the transfer it was given is left as it was");

    Transfer all = part.receive(receipt(new TransferItem("mat", 2), new TransferItem("rug", 2)));
    assertEquals(TransferStatus.RECEIVED, all.status());
    assertEquals(ARRIVED, all.receivedAt());
    assertEquals(List.of(0L, 0L), all.lines().stream().map(TransferLine::outstanding).toList());
    assertEquals(2, all.receipts().size());
  }

  @Test
  @DisplayName("a receipt naming more than is in transit (also by repeating a variant, or one not shipped) moves nothing")
  void neverMoreThanShipped() {
    Transfer shipped = draft().ship(SHIPPED).receive(receipt(new TransferItem("rug", 4)));
    ServiceError over = assertThrows(ServiceError.class, () -> shipped.receive(receipt(new TransferItem("rug", 2),
      new TransferItem("rug", 1), new TransferItem("mat", 2), new TransferItem("lamp", 1))));
    assertEquals(ErrorCode.CONFLICT, over.code());
    assertEquals(List.of(new JsonObject().put("variantId", "rug").put("outstanding", 2L).put("requested", 3L),
        new JsonObject().put("variantId", "lamp").put("outstanding", 0L).put("requested", 1L)),
      over.extensions().getJsonArray("lines").getList());
  }

  @Test
  @DisplayName("a receipt keeps its items as given and merges them per variant, in the order first named")
  void receiptUnits() {
    TransferReceipt receipt = receipt(new TransferItem("mat", 1), new TransferItem("rug", 2), new TransferItem("mat", 1));
    assertEquals(3, receipt.items().size());
    assertEquals(List.of("mat", "rug"), List.copyOf(receipt.unitsByVariant().keySet()));
    assertEquals(2L, receipt.unitsByVariant().get("mat"));
  }

  @Test
  @DisplayName("a transfer reads back from its document as it was written")
  void documentRoundTrip() {
    Transfer received = in(TransferStatus.SHIPPED).receive(receipt(new TransferItem("rug", 1)));
    assertEquals(received, Transfer.fromDocument(received.toDocument()));
  }

  @Test
  @DisplayName("clients see the contract's fields only, whatever else the document holds")
  void apiViewIsAnAllowList() {
    JsonObject stored = in(TransferStatus.SHIPPED).toDocument().put("version", 3).put("writtenBy", "unit:1").put("futureSecret", "x");
    JsonObject api = Transfer.fromDocument(stored).toApi();
    assertEquals(Set.of("id", "fromLocationId", "toLocationId", "status", "lines", "receipts", "note", "createdBy", "createdAt",
      "shippedAt"), api.fieldNames());
    assertEquals("2026-01-05T11:00:00.000Z", api.getString("shippedAt"));
    assertEquals(Set.of("variantId", "sku", "quantity", "received"), api.getJsonArray("lines").getJsonObject(0).fieldNames());
  }

  @Test
  @DisplayName("a transfer keeps at most MAX_RECEIPTS receipts: the last one must receive everything still in transit")
  void receiptsAreCapped() {
    Transfer transfer = Transfer.draft("tenant-1", "main", "store", List.of(new TransferLine("rug", "RUG", 1_000, 0)), null,
      "user-1", CREATED).ship(SHIPPED);
    for (int i = 1; i < Transfer.MAX_RECEIPTS; i++) transfer = transfer.receive(receipt(new TransferItem("rug", 1)));
    assertEquals(Transfer.MAX_RECEIPTS - 1, transfer.receipts().size());
    Transfer almostFull = transfer;
    ServiceError partial = assertThrows(ServiceError.class, () -> almostFull.receive(receipt(new TransferItem("rug", 1))));
    assertEquals(ErrorCode.CONFLICT, partial.code());
    assertEquals(Transfer.MAX_RECEIPTS, partial.extensions().getInteger("maxReceipts"));
    long outstanding = almostFull.lines().get(0).outstanding();
    Transfer last = almostFull.receive(receipt(new TransferItem("rug", outstanding)));
    assertEquals(TransferStatus.RECEIVED, last.status());
    assertEquals(Transfer.MAX_RECEIPTS, last.receipts().size());
  }
}
