package io.stockroom.purchasing;

import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;

/** One variant of a purchase order: what was ordered at what unit cost, and what arrived of it so far at what value. */
public record PurchaseOrderLine(String variantId, String sku, long quantity, long unitCost, long received, BigInteger receivedValue,
                                BigInteger variance) {

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

  JsonObject toApi() {
    return new JsonObject().put("variantId", variantId).put("sku", sku).put("quantity", quantity).put("unitCost", unitCost)
      .put("received", received).put("receivedValue", Amounts.api(receivedValue)).put("variance", Amounts.api(variance));
  }
}
