package io.stockroom.transfer;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
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
public record Transfer(@Key("_id") String id, String tenantId, String fromLocationId, String toLocationId, TransferStatus status,
                       List<TransferLine> lines, List<TransferReceipt> receipts, @ExplicitNull String note,
                       @ExplicitNull String createdBy, Instant createdAt,
                       Instant shippedAt, Instant receivedAt, Instant cancelledAt, Instant updatedAt) {
  static final String STATUS = "status";
  static final String LINES = "lines";
  static final String RECEIPTS = "receipts";
  static final String SHIPPED_AT = "shippedAt";
  static final String RECEIVED_AT = "receivedAt";
  static final String CANCELLED_AT = "cancelledAt";
  /**
   * The most receipts one transfer keeps. Each receipt takes at least one unit, but a transfer can ship millions of
   * units, so the units alone do not bound {@code receipts}; 50 receipts of 200 items with the longest note keep it
   * below 1 MB (docs/documents.md, {@code DocumentBoundsTest}). The last one must take everything still in transit, so
   * that no unit is left in transit for good.
   */
  public static final int MAX_RECEIPTS = 50;
  static final String MAX_RECEIPTS_FIELD = "maxReceipts";

  /** Transfers stored before receipts existed have none. */
  public Transfer {
    lines = List.copyOf(lines);
    receipts = receipts == null ? List.of() : List.copyOf(receipts);
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
   * listing each such variant), or when it is the {@link #MAX_RECEIPTS}th and leaves units in transit (409). RECEIVED
   * once nothing is in transit any more.
   */
  Transfer receive(TransferReceipt receipt) {
    require(TransferStatus.SHIPPED, "received");
    Map<String, Long> units = receipt.unitsByVariant();
    JsonArray over = new JsonArray();
    units.forEach((variantId, requested) -> {
      long outstanding = lines.stream().filter(line -> line.variantId().equals(variantId)).mapToLong(TransferLine::outstanding)
        .findFirst().orElse(0L);
      if (requested > outstanding) {
        over.add(RecordCodec.toApi(new Overdrawn(variantId, outstanding, requested)));
      }
    });
    if (!over.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "Cannot receive more than was shipped and not yet received", Ops.where(LINES, over));
    }
    List<TransferLine> after = lines.stream().map(line -> line.receiving(units.getOrDefault(line.variantId(), 0L))).toList();
    List<TransferReceipt> withReceipt = new ArrayList<>(receipts);
    withReceipt.add(receipt);
    boolean complete = after.stream().allMatch(line -> line.outstanding() == 0);
    if (withReceipt.size() >= MAX_RECEIPTS && !complete) {
      throw new ServiceError(ErrorCode.CONFLICT, "A transfer keeps at most " + MAX_RECEIPTS + " receipts and this one has "
        + receipts.size() + ": the last one must receive everything still in transit", Ops.where(MAX_RECEIPTS_FIELD, MAX_RECEIPTS));
    }
    return new Transfer(id, tenantId, fromLocationId, toLocationId, complete ? TransferStatus.RECEIVED : TransferStatus.SHIPPED, after,
      withReceipt, note, createdBy, createdAt, shippedAt, complete ? receipt.createdAt() : receivedAt, cancelledAt, updatedAt);
  }

  /** A variant a receipt names more of than is in transit (the 409's {@code lines}). */
  private record Overdrawn(String variantId, long outstanding, long requested) {
  }

  List<String> variantIds() {
    return lines.stream().map(TransferLine::variantId).toList();
  }

  private void require(TransferStatus wanted, String action) {
    if (status != wanted) {
      throw new ServiceError(ErrorCode.CONFLICT, "Transfer is " + status + "; only a " + wanted + " transfer can be " + action,
        Ops.where("currentStatus", status.name()));
    }
  }

  static Transfer fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(Transfer.class, doc);
  }

  /** The stored document (a transfer or receipt without a note or author stores it as null, as it always did). */
  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What clients see (the contract's {@code Transfer}); a transfer without a note shows it as null. */
  public JsonObject toApi() {
    return RecordCodec.toApi(new View(id, fromLocationId, toLocationId, status, lines, receipts, note, createdBy, createdAt, shippedAt,
      receivedAt, cancelledAt, updatedAt));
  }

  private record View(String id, String fromLocationId, String toLocationId, TransferStatus status, List<TransferLine> lines,
                      List<TransferReceipt> receipts, @ExplicitNull String note, @ExplicitNull String createdBy,
                      Instant createdAt, Instant shippedAt, Instant receivedAt, Instant cancelledAt, Instant updatedAt) {
  }
}
