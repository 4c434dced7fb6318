package io.stockroom.purchasing;

import io.stockroom.platform.money.Amounts;

import java.math.BigInteger;

/**
 * One variant of a purchase order: what was ordered at what unit cost, and what arrived of it so far at what value.
 * Stored and shown as its components, inside its {@link PurchaseOrder}.
 */
public record PurchaseOrderLine(String variantId, String sku, long quantity, long unitCost, long received, BigInteger receivedValue,
                                BigInteger variance) {

  /** Lines stored before deliveries were valued have received nothing of value yet. */
  public PurchaseOrderLine {
    if (receivedValue == null) receivedValue = BigInteger.ZERO;
    if (variance == null) variance = BigInteger.ZERO;
  }

  /** A line as ordered, nothing received yet. */
  static PurchaseOrderLine ordered(String variantId, String sku, long quantity, long unitCost) {
    return new PurchaseOrderLine(variantId, sku, quantity, unitCost, 0, BigInteger.ZERO, BigInteger.ZERO);
  }

  long outstanding() {
    return quantity - received;
  }

  boolean complete() {
    return received == quantity;
  }

  BigInteger orderedValue() {
    return Amounts.times(unitCost, quantity);
  }

  /** The line once {@code delivered} arrived on it. */
  PurchaseOrderLine after(ReceiptLine delivered) {
    return new PurchaseOrderLine(variantId, sku, quantity, unitCost, received + delivered.quantity(),
      receivedValue.add(delivered.value()), variance.add(delivered.lineVariance()));
  }
}
