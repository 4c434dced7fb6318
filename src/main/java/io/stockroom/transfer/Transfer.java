package io.stockroom.transfer;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stock moving between two locations of a tenant, one line per variant. A DRAFT moves nothing and may be cancelled;
 * shipping puts every line in transit; receipts (in parts) bring units on hand at the destination, never more than
 * shipped, until all arrived (RECEIVED). Stored in {@code transfers} by {@link TransferRepository}.
 */
public record Transfer(String id, String tenantId, String fromLocationId, String toLocationId, TransferStatus status,
                       List<TransferLine> lines, List<TransferReceipt> receipts, String note, String createdBy, Instant createdAt,
                       Instant shippedAt, Instant receivedAt, Instant cancelledAt, Instant updatedAt) {

  public Transfer {
    lines = List.copyOf(lines);
    receipts = List.copyOf(receipts);
  }

  static Transfer draft(String tenantId, String fromLocationId, String toLocationId, List<TransferLine> lines, String note,
                        String createdBy, Instant at) {
    return new Transfer(Mongo.newId(), tenantId, fromLocationId, toLocationId, TransferStatus.DRAFT, lines, List.of(), note, createdBy,
      at, null, null, null, null);
  }

  /** DRAFT → SHIPPED: every line's units leave the source and are in transit. */
  Transfer ship(Instant at) {
    require(TransferStatus.DRAFT, "shipped");
    return new Transfer(id, tenantId, fromLocationId, toLocationId, TransferStatus.SHIPPED, lines, receipts, note, createdBy, createdAt,
      at, receivedAt, cancelledAt, updatedAt);
  }

  /** DRAFT → CANCELLED; nothing had moved. */
  Transfer cancel(Instant at) {
    require(TransferStatus.DRAFT, "cancelled");
    return new Transfer(id, tenantId, fromLocationId, toLocationId, TransferStatus.CANCELLED, lines, receipts, note, createdBy,
      createdAt, shippedAt, receivedAt, at, updatedAt);
  }

  /**
   * The receipt's units arrive: all of it, or nothing when it names more of a variant than is still in transit (409
   * listing each such variant). RECEIVED once nothing is in transit any more.
   */
  Transfer receive(TransferReceipt receipt) {
    require(TransferStatus.SHIPPED, "received");
    Map<String, Long> units = receipt.unitsByVariant();
    JsonArray over = new JsonArray();
    units.forEach((variantId, requested) -> {
      long outstanding = lines.stream().filter(line -> line.variantId().equals(variantId)).mapToLong(TransferLine::outstanding)
        .findFirst().orElse(0L);
      if (requested > outstanding) {
        over.add(new JsonObject().put("variantId", variantId).put("outstanding", outstanding).put("requested", requested));
      }
    });
    if (!over.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "Cannot receive more than was shipped and not yet received",
        new JsonObject().put("lines", over));
    }
    List<TransferLine> after = lines.stream().map(line -> line.receiving(units.getOrDefault(line.variantId(), 0L))).toList();
    List<TransferReceipt> withReceipt = new ArrayList<>(receipts);
    withReceipt.add(receipt);
    boolean complete = after.stream().allMatch(line -> line.outstanding() == 0);
    return new Transfer(id, tenantId, fromLocationId, toLocationId, complete ? TransferStatus.RECEIVED : TransferStatus.SHIPPED, after,
      withReceipt, note, createdBy, createdAt, shippedAt, complete ? receipt.createdAt() : receivedAt, cancelledAt, updatedAt);
  }

  List<String> variantIds() {
    return lines.stream().map(TransferLine::variantId).toList();
  }

  private void require(TransferStatus wanted, String action) {
    if (status != wanted) {
      throw new ServiceError(ErrorCode.CONFLICT, "Transfer is " + status + "; only a " + wanted + " transfer can be " + action,
        new JsonObject().put("currentStatus", status.name()));
    }
  }

  static Transfer fromDocument(JsonObject doc) {
    List<TransferLine> lines = doc.getJsonArray("lines").stream().map(line -> TransferLine.fromDocument((JsonObject) line)).toList();
    List<TransferReceipt> receipts = doc.getJsonArray("receipts", new JsonArray()).stream()
      .map(receipt -> TransferReceipt.fromDocument((JsonObject) receipt)).toList();
    return new Transfer(doc.getString("_id"), doc.getString("tenantId"), doc.getString("fromLocationId"), doc.getString("toLocationId"),
      TransferStatus.valueOf(doc.getString("status")), lines, receipts, doc.getString("note"), doc.getString("createdBy"),
      Mongo.instant(doc.getValue("createdAt")), Mongo.instant(doc.getValue("shippedAt")), Mongo.instant(doc.getValue("receivedAt")),
      Mongo.instant(doc.getValue("cancelledAt")), Mongo.instant(doc.getValue("updatedAt")));
  }

  JsonObject toDocument() {
    JsonArray storedReceipts = new JsonArray();
    receipts.forEach(receipt -> storedReceipts.add(receipt.toDocument()));
    JsonObject doc = new JsonObject().put("_id", id).put("tenantId", tenantId).put("fromLocationId", fromLocationId)
      .put("toLocationId", toLocationId).put("status", status.name()).put("lines", linesJson()).put("receipts", storedReceipts)
      .put("note", note).put("createdBy", createdBy).put("createdAt", Mongo.date(createdAt));
    if (shippedAt != null) doc.put("shippedAt", Mongo.date(shippedAt));
    if (receivedAt != null) doc.put("receivedAt", Mongo.date(receivedAt));
    if (cancelledAt != null) doc.put("cancelledAt", Mongo.date(cancelledAt));
    if (updatedAt != null) doc.put("updatedAt", Mongo.date(updatedAt));
    return doc;
  }

  /** What clients see (the contract's {@code Transfer}); a transfer without a note shows it as null. */
  public JsonObject toApi() {
    JsonArray shownReceipts = new JsonArray();
    receipts.forEach(receipt -> shownReceipts.add(receipt.toApi()));
    JsonObject api = new JsonObject().put("id", id).put("fromLocationId", fromLocationId).put("toLocationId", toLocationId)
      .put("status", status.name()).put("lines", linesJson()).put("receipts", shownReceipts).put("note", note)
      .put("createdBy", createdBy).put("createdAt", Mongo.apiInstant(createdAt));
    if (shippedAt != null) api.put("shippedAt", Mongo.apiInstant(shippedAt));
    if (receivedAt != null) api.put("receivedAt", Mongo.apiInstant(receivedAt));
    if (cancelledAt != null) api.put("cancelledAt", Mongo.apiInstant(cancelledAt));
    if (updatedAt != null) api.put("updatedAt", Mongo.apiInstant(updatedAt));
    return api;
  }

  private JsonArray linesJson() {
    JsonArray json = new JsonArray();
    lines.forEach(line -> json.add(line.toJson()));
    return json;
  }
}
