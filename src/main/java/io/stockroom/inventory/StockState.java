package io.stockroom.inventory;

import java.util.List;

/**
 * The states a variant's units are in at one location. On hand = available + reserved + damaged + qualityControl +
 * safetyStock; {@code inTransit} units left another location on a transfer and are not on hand anywhere yet. Only
 * {@code available} is derived (on hand minus the rest); every other state is stored and moved by ledger movements.
 * A movement's {@code from} or {@code to} is null when the units come from or go outside (supplier, customer, count).
 */
public enum StockState {
  AVAILABLE("available"),
  RESERVED("reserved"),
  DAMAGED("damaged"),
  QUALITY_CONTROL("qualityControl"),
  SAFETY_STOCK("safetyStock"),
  IN_TRANSIT("inTransit");

  /** The states units can be moved to or from by hand ({@code state-moves}): available and the unavailable ones. */
  public static final List<StockState> UNAVAILABLE = List.of(DAMAGED, QUALITY_CONTROL, SAFETY_STOCK);
  /** Every state kept as a number on the level (all but the derived {@code available}). */
  public static final List<StockState> STORED = List.of(RESERVED, DAMAGED, QUALITY_CONTROL, SAFETY_STOCK, IN_TRANSIT);

  private final String field;

  StockState(String field) {
    this.field = field;
  }

  /** Its name in levels, movements and the API ({@code qualityControl}). */
  public String field() {
    return field;
  }

  public boolean onHand() {
    return this != IN_TRANSIT;
  }

  /** @return the state named {@code field}, or null for null (outside) */
  public static StockState of(String field) {
    if (field == null) return null;
    for (StockState state : values()) {
      if (state.field.equals(field)) return state;
    }
    throw new IllegalArgumentException("Unknown stock state " + field);
  }

  public static String fieldOf(StockState state) {
    return state == null ? null : state.field;
  }
}
