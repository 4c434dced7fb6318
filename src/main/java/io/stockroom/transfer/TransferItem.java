package io.stockroom.transfer;

import io.vertx.core.json.JsonObject;

/** Units of one variant, as a client names them in a transfer or a receipt (the contract's {@code TransferItem}). */
public record TransferItem(String variantId, long quantity) {

  static TransferItem fromJson(JsonObject json) {
    return new TransferItem(json.getString("variantId"), json.getLong("quantity"));
  }

  JsonObject toJson() {
    return new JsonObject().put("variantId", variantId).put("quantity", quantity);
  }
}
