package io.stockroom.purchasing;

import io.stockroom.platform.money.Amounts;

import java.math.BigInteger;

/** What one delivery brought of one variant, at the cost it was ordered at and the cost it was delivered at. */
public record ReceiptLine(String variantId, String sku, long quantity, long orderedUnitCost, long unitCost) {

  long unitVariance() {
    return unitCost - orderedUnitCost;
  }

  BigInteger lineVariance() {
    return Amounts.times(unitVariance(), quantity);
  }

  BigInteger value() {
    return Amounts.times(unitCost, quantity);
  }

  /** The line as stored and shown, with its variances and value. */
  Entry entry() {
    return new Entry(variantId, sku, quantity, orderedUnitCost, unitCost, unitVariance(), lineVariance(), value());
  }

  /** A receipt's line in its document (where the line's total variance keeps its first name, lineVariance). */
  record Entry(String variantId, String sku, long quantity, long orderedUnitCost, long unitCost, long unitVariance,
               BigInteger lineVariance, BigInteger value) {

    Shown toApi() {
      return new Shown(variantId, sku, quantity, orderedUnitCost, unitCost, unitVariance, lineVariance, value);
    }
  }

  /** A receipt's line as clients see it: the total variance is {@code variance}, as on a purchase order's line. */
  record Shown(String variantId, String sku, long quantity, long orderedUnitCost, long unitCost, long unitVariance,
               BigInteger variance, BigInteger value) {
  }
}
