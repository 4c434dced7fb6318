package io.stockroom.purchasing;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.purchasing.PurchasingCommands.DeliveredItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A purchase order of one tenant: what is ordered from which supplier, to arrive where, and what arrived so far. Its
 * lifecycle is DRAFT → SENT → CONFIRMED → RECEIVED (or CLOSED short, or CANCELLED before anything arrived); the rules
 * of each step live here. Stored in {@code purchase_orders}; only {@link PurchaseOrderRepository} turns it into a
 * document and back. Its totals are the sums of its lines, in exact amounts.
 *
 * @param reachedAt when it reached each status after DRAFT
 */
public record PurchaseOrder(String id, String tenantId, String supplierId, String locationId, PurchaseOrderStatus status,
                            List<PurchaseOrderLine> lines, Instant expectedAt, String note, String createdBy, Instant createdAt,
                            Instant updatedAt, Map<PurchaseOrderStatus, Instant> reachedAt) {

  private static final String CURRENT_STATUS = "currentStatus";

  public PurchaseOrder {
    lines = List.copyOf(lines);
    reachedAt = reachedAt.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(reachedAt));
  }

  /** What a delivery does: the receipt's lines, and the order after it (RECEIVED once every line is complete). */
  public record Delivery(List<ReceiptLine> lines, PurchaseOrder after) {
    long totalQuantity() {
      return lines.stream().mapToLong(ReceiptLine::quantity).sum();
    }

    BigInteger totalValue() {
      return sum(lines, ReceiptLine::value);
    }

    BigInteger totalVariance() {
      return sum(lines, ReceiptLine::lineVariance);
    }

    /** The delivery completed the order: it is no longer open. */
    boolean completes() {
      return after.status() == PurchaseOrderStatus.RECEIVED;
    }
  }

  static PurchaseOrder draft(String tenantId, String supplierId, String locationId, List<PurchaseOrderLine> lines, Instant expectedAt,
                             String note, String createdBy) {
    return new PurchaseOrder(Mongo.newId(), tenantId, supplierId, locationId, PurchaseOrderStatus.DRAFT, lines, expectedAt, note,
      createdBy, now(), null, Map.of());
  }

  BigInteger orderedValue() {
    return sum(lines, PurchaseOrderLine::orderedValue);
  }

  long receivedUnits() {
    return lines.stream().mapToLong(PurchaseOrderLine::received).sum();
  }

  BigInteger receivedValue() {
    return sum(lines, PurchaseOrderLine::receivedValue);
  }

  BigInteger totalVariance() {
    return sum(lines, PurchaseOrderLine::variance);
  }

  List<String> variantIds() {
    return lines.stream().map(PurchaseOrderLine::variantId).toList();
  }

  boolean isOpen() {
    return PurchaseOrderStatus.OPEN.contains(status);
  }

  /** The same order with other content; content changes only while DRAFT. */
  PurchaseOrder changed(String supplierId, List<PurchaseOrderLine> lines, Instant expectedAt, String note) {
    requireStatus("changed", Set.of(PurchaseOrderStatus.DRAFT));
    return new PurchaseOrder(id, tenantId, supplierId, locationId, status, lines, expectedAt, note, createdBy, createdAt, updatedAt,
      reachedAt);
  }

  /** Only a DRAFT is deleted; later an order is cancelled or closed. */
  void requireDeletable() {
    requireStatus("deleted", Set.of(PurchaseOrderStatus.DRAFT));
  }

  PurchaseOrder send(Instant at) {
    return moved(PurchaseOrderStatus.SENT, Set.of(PurchaseOrderStatus.DRAFT), at);
  }

  PurchaseOrder confirm(Instant at) {
    return moved(PurchaseOrderStatus.CONFIRMED, Set.of(PurchaseOrderStatus.SENT), at);
  }

  /** Only before anything arrived. */
  PurchaseOrder cancel(Instant at) {
    PurchaseOrder cancelled = moved(PurchaseOrderStatus.CANCELLED, PurchaseOrderStatus.OPEN, at);
    if (receivedUnits() > 0) throw refusal("moved to CANCELLED", "goods were already received");
    return cancelled;
  }

  /** Ends a CONFIRMED order short of what was ordered: only once something arrived. */
  PurchaseOrder close(Instant at) {
    PurchaseOrder closed = moved(PurchaseOrderStatus.CLOSED, Set.of(PurchaseOrderStatus.CONFIRMED), at);
    if (receivedUnits() == 0) throw refusal("moved to CLOSED", "nothing was received yet");
    return closed;
  }

  /**
   * How each variant's {@code incoming} changes when this order moves to {@code to}: what is still outstanding starts
   * counting when the order is sent and stops when it leaves SENT or CONFIRMED; an empty map when nothing changes.
   */
  Map<String, Long> incomingChangeTo(PurchaseOrderStatus to) {
    boolean was = PurchaseOrderStatus.INCOMING.contains(status);
    boolean is = PurchaseOrderStatus.INCOMING.contains(to);
    Map<String, Long> change = new HashMap<>();
    if (was != is) lines.forEach(line -> change.put(line.variantId(), is ? line.outstanding() : -line.outstanding()));
    return change;
  }

  /**
   * What a delivery of {@code items} receives on this CONFIRMED order: each item on its line, at its own unit cost or
   * else the ordered one, the price variance against the ordered cost, and the status after. A delivery that names a
   * variant not on the order, or brings more of a line than is outstanding, receives nothing (409; the over-delivered
   * lines are listed).
   */
  Delivery receive(List<DeliveredItem> items, Instant at) {
    if (status != PurchaseOrderStatus.CONFIRMED) {
      throw new ServiceError(ErrorCode.CONFLICT, "Goods can be received only on a CONFIRMED purchase order; it is " + status,
        Ops.where(CURRENT_STATUS, status.name()));
    }
    Map<String, PurchaseOrderLine> byVariant = new HashMap<>();
    lines.forEach(line -> byVariant.put(line.variantId(), line));
    List<ReceiptLine> received = new ArrayList<>();
    JsonArray overDelivered = new JsonArray();
    for (DeliveredItem item : items) {
      PurchaseOrderLine line = byVariant.get(item.variantId());
      if (line == null) throw new ServiceError(ErrorCode.CONFLICT, "Variant " + item.variantId() + " is not on this purchase order");
      if (item.quantity() > line.outstanding()) {
        overDelivered.add(RecordCodec.toApi(new OverDelivered(line.variantId(), line.sku(), line.quantity(), line.received(),
          line.outstanding(), item.quantity())));
        continue;
      }
      ReceiptLine delivered = new ReceiptLine(line.variantId(), line.sku(), item.quantity(), line.unitCost(),
        item.unitCost() == null ? line.unitCost() : item.unitCost());
      received.add(delivered);
      byVariant.put(line.variantId(), line.after(delivered));
    }
    if (!overDelivered.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "Receipt exceeds the outstanding quantity; nothing was received",
        Ops.where("lines", overDelivered));
    }
    List<PurchaseOrderLine> after = lines.stream().map(line -> byVariant.get(line.variantId())).toList();
    boolean complete = after.stream().allMatch(PurchaseOrderLine::complete);
    PurchaseOrder delivered = new PurchaseOrder(id, tenantId, supplierId, locationId, status, after, expectedAt, note, createdBy,
      createdAt, updatedAt, reachedAt);
    return new Delivery(received, complete ? delivered.reached(PurchaseOrderStatus.RECEIVED, at) : delivered);
  }

  private PurchaseOrder moved(PurchaseOrderStatus to, Set<PurchaseOrderStatus> from, Instant at) {
    requireStatus("moved to " + to, from);
    return reached(to, at);
  }

  private PurchaseOrder reached(PurchaseOrderStatus to, Instant at) {
    Map<PurchaseOrderStatus, Instant> stamps = new EnumMap<>(PurchaseOrderStatus.class);
    stamps.putAll(reachedAt);
    stamps.put(to, at);
    return new PurchaseOrder(id, tenantId, supplierId, locationId, to, lines, expectedAt, note, createdBy, createdAt, updatedAt, stamps);
  }

  private void requireStatus(String action, Set<PurchaseOrderStatus> allowed) {
    if (!allowed.contains(status)) {
      throw refusal(action, "it is " + status + " (allowed from " + String.join(", ", PurchaseOrderStatus.inOrder(allowed)) + ")");
    }
  }

  private ServiceError refusal(String action, String why) {
    return new ServiceError(ErrorCode.CONFLICT, "Purchase order cannot be " + action + ": " + why,
      Ops.where(CURRENT_STATUS, status.name()));
  }

  /** What clients see (the contract's {@code PurchaseOrder}): no tenant, version or write bookkeeping. */
  public JsonObject toApi() {
    return RecordCodec.toApi(new View(id, supplierId, locationId, status, lines, orderedValue(), receivedUnits(),
      receivedValue(), totalVariance(), expectedAt, note, createdBy, createdAt, updatedAt, reachedAt.get(PurchaseOrderStatus.SENT),
      reachedAt.get(PurchaseOrderStatus.CONFIRMED), reachedAt.get(PurchaseOrderStatus.RECEIVED),
      reachedAt.get(PurchaseOrderStatus.CLOSED), reachedAt.get(PurchaseOrderStatus.CANCELLED)));
  }

  private record View(String id, String supplierId, String locationId, PurchaseOrderStatus status, List<PurchaseOrderLine> lines,
                      BigInteger orderedValue, long receivedUnits, BigInteger receivedValue, BigInteger totalVariance,
                      @ExplicitNull Instant expectedAt, @ExplicitNull String note, @ExplicitNull String createdBy,
                      Instant createdAt, Instant updatedAt, Instant sentAt,
                      Instant confirmedAt, Instant receivedAt, Instant closedAt, Instant cancelledAt) {
  }

  /** A line a delivery brings more of than is outstanding (the 409's {@code lines}). */
  private record OverDelivered(String variantId, String sku, long ordered, long received, long outstanding, long requested) {
  }

  /** Millisecond precision, the precision BSON dates keep, so an answer and a read of it say the same. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static <T> BigInteger sum(List<T> items, Function<T, BigInteger> amount) {
    return items.stream().map(amount).reduce(BigInteger.ZERO, BigInteger::add);
  }
}
