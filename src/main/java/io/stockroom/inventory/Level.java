package io.stockroom.inventory;

import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

/**
 * A variant's stock at one location, as {@link StockLevels} keeps it under {@code levels.<locationId>}: every field is
 * stored (zeros included), and a missing one reads as zero. {@code available} is derived, never stored.
 */
public record Level(long onHand, long reserved, long damaged, long qualityControl, long safetyStock, long inTransit,
                    long incoming) {
  public static final Level EMPTY = new Level(0, 0, 0, 0, 0, 0, 0);

  /** The stored level, or {@link #EMPTY} for none. */
  public static Level of(JsonObject stored) {
    return stored == null ? EMPTY : RecordCodec.fromDocument(Level.class, stored);
  }

  public JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** onHand − reserved − damaged − qualityControl − safetyStock. */
  public long available() {
    long available = onHand;
    for (StockState state : StockState.STORED) {
      if (state.onHand()) available -= units(state);
    }
    return available;
  }

  /** The units stored in {@code state} ({@code available} is derived). */
  public long units(StockState state) {
    return switch (state) {
      case AVAILABLE -> available();
      case RESERVED -> reserved;
      case DAMAGED -> damaged;
      case QUALITY_CONTROL -> qualityControl;
      case SAFETY_STOCK -> safetyStock;
      case IN_TRANSIT -> inTransit;
    };
  }

  /** {@code delta} more units in a stored state ({@code available} follows from on hand). */
  public Level plus(StockState state, long delta) {
    return switch (state) {
      case AVAILABLE -> this;
      case RESERVED -> new Level(onHand, reserved + delta, damaged, qualityControl, safetyStock, inTransit, incoming);
      case DAMAGED -> new Level(onHand, reserved, damaged + delta, qualityControl, safetyStock, inTransit, incoming);
      case QUALITY_CONTROL -> new Level(onHand, reserved, damaged, qualityControl + delta, safetyStock, inTransit, incoming);
      case SAFETY_STOCK -> new Level(onHand, reserved, damaged, qualityControl, safetyStock + delta, inTransit, incoming);
      case IN_TRANSIT -> new Level(onHand, reserved, damaged, qualityControl, safetyStock, inTransit + delta, incoming);
    };
  }

  public Level plusOnHand(long delta) {
    return new Level(onHand + delta, reserved, damaged, qualityControl, safetyStock, inTransit, incoming);
  }

  public Level plusIncoming(long delta) {
    return new Level(onHand, reserved, damaged, qualityControl, safetyStock, inTransit, incoming + delta);
  }

  /** On hand (named {@code stock}, as in answers) and every stored state, by name: what the audit compares with the ledger. */
  public java.util.Map<String, Long> counts() {
    java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
    counts.put("stock", onHand);
    for (StockState state : StockState.STORED) counts.put(state.field(), units(state));
    return counts;
  }

  public boolean isEmpty() {
    return equals(EMPTY);
  }

  /** The API row of this level at {@code locationId}: on hand is {@code stock}; incoming counts purchase orders and transfers. */
  public JsonObject toApi(String locationId) {
    return RecordCodec.toApi(new Row(locationId, onHand, available(), reserved, new Unavailable(damaged, qualityControl, safetyStock),
      inTransit, incoming + inTransit));
  }

  private record Row(String locationId, long stock, long available, long reserved, Unavailable unavailable, long inTransit,
                     long incoming) {
  }

  private record Unavailable(long damaged, long qualityControl, long safetyStock) {
  }
}
