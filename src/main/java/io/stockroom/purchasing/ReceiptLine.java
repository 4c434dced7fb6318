package io.stockroom.purchasing;

import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonObject;

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

  JsonObject toDocument() {
    return new JsonObject().put("variantId", variantId).put("sku", sku).put("quantity", quantity).put("orderedUnitCost", orderedUnitCost)
      .put("unitCost", unitCost).put("unitVariance", unitVariance()).put("lineVariance", Amounts.stored(lineVariance()))
      .put("value", Amounts.stored(value()));
  }
}
