package io.stockroom.transfer;

import io.vertx.core.json.JsonObject;

/** The units of one variant a transfer moves, and how many of them arrived so far. */
public record TransferLine(String variantId, String sku, long quantity, long received) {

  /** Shipped and not yet received: in transit while the transfer is SHIPPED. */
  public long outstanding() {
    return quantity - received;
  }

  TransferLine receiving(long units) {
    return new TransferLine(variantId, sku, quantity, received + units);
  }

  static TransferLine fromDocument(JsonObject doc) {
    return new TransferLine(doc.getString("variantId"), doc.getString("sku"), doc.getLong("quantity"), doc.getLong("received"));
  }

  /** Stored and shown alike (the contract's Transfer line). */
  JsonObject toJson() {
    return new JsonObject().put("variantId", variantId).put("sku", sku).put("quantity", quantity).put("received", received);
  }
}
